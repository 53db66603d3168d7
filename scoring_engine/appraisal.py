"""The scenario's democratic appraisal (民主评议): scores, votes (东塘 formula) or rater weights."""
from decimal import Decimal

from .errors import SchemeError, join
from .reader import ZERO, to_decimal


def _score_from(spec, scheme, component, where):
    """One appraisal score on the component's scale from {score}, {votes} or {raters}."""
    if not isinstance(spec, dict) or len(spec) != 1 or next(iter(spec)) not in ("score", "votes", "raters"):
        raise SchemeError(where, "应为 {\"score\": n}、{\"votes\": {...}} 或 {\"raters\": {...}} 之一 "
                                 "(expected one of score / votes / raters)")
    kind, value = next(iter(spec.items()))
    scale = component.appraisal_max
    if kind == "score":
        if type(value) is Decimal and value.is_finite():
            score = value
        else:
            score = to_decimal(value, join(where, "score"))
        if not (ZERO <= score <= scale):
            raise SchemeError(join(where, "score"), f"评议分应在 0 至 {scale} 之间，收到 {score} (score out of range)")
        return score
    if kind == "votes":
        vwhere = f"{where}.votes"
        if not isinstance(value, dict):
            raise SchemeError(vwhere, "应为对象 (expected an object)")
        values = scheme.appraisal_votes
        cast = 0
        weighted = ZERO
        for label, count in value.items():
            if label not in values:
                raise SchemeError(join(vwhere, label),
                                  f"未知票种 {label!r}，可选：{', '.join(values)} (unknown vote kind)")
            if type(count) is not int or count < 0:
                n = to_decimal(count, join(vwhere, label))
                if n < 0 or n != n.to_integral_value():
                    raise SchemeError(join(vwhere, label), f"票数应为非负整数，收到 {count} (votes must be a whole number)")
                count = int(n)
            cast += count
            weighted += count * values[label]
        if cast == 0:
            raise SchemeError(vwhere, "总票数为 0，无法计算测评分 (no votes cast)")
        # 东塘: (优秀票×100 + 良好票×80 + 合格票×60 + 差票×40) ÷ 总票数, on the component's scale.
        return weighted / cast * scale / 100 if scale != 100 else weighted / cast
    rwhere = join(where, "raters")
    weights = scheme.appraisal_raters
    if not weights:
        raise SchemeError(rwhere, "该方案未规定评价主体权重 (the scheme defines no rater weights)")
    if not isinstance(value, dict):
        raise SchemeError(rwhere, "应为对象 (expected an object)")
    for label in value:
        if label not in weights:
            raise SchemeError(join(rwhere, label), f"未知评价主体 {label!r}，可选：{', '.join(weights)} (unknown rater)")
    total = ZERO
    for label, weight in weights.items():
        if label not in value:
            raise SchemeError(join(rwhere, label), f"缺少评价主体 {label} 的评分 (rater score missing)")
        rater = value[label]
        rater_spec = rater if isinstance(rater, dict) else {"score": rater}
        total += weight * _score_from(rater_spec, scheme, component, join(rwhere, label))
    return total


def parse_appraisal(data, scheme, members, path="appraisal"):
    """Per member: {component name: score on that component's scale}."""
    result = [None] * len(members)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise SchemeError(path, "应为对象 {成员编号: 评议} (expected an object keyed by member id)")
    appraisal_components = [c for c in scheme.components if c.from_appraisal]
    by_id = {m.id: m for m in members} if data else {}  # no appraisal yet: no table to build
    for member_id, spec in data.items():
        where = join(path, member_id)
        member = by_id.get(member_id)
        if member is None:
            raise SchemeError(where, f"未知成员 {member_id!r} (unknown member)")
        if not appraisal_components:
            raise SchemeError(where, "该方案没有民主评议部分 (the scheme has no appraisal component)")
        if not isinstance(spec, dict):
            raise SchemeError(where, "应为对象 (expected an object)")
        scores = {}
        if "components" in spec:
            if len(spec) != 1 or not isinstance(spec["components"], dict):
                raise SchemeError(join(where, "components"), "应为 {组成部分: 评议} (expected an object)")
            for name, sub in spec["components"].items():
                sub_where = join(join(where, "components"), name)
                if name not in scheme.component_index or not scheme.component(name).from_appraisal:
                    raise SchemeError(sub_where, f"{name!r} 不是评议类组成部分 (not an appraisal component)")
                scores[name] = _score_from(sub, scheme, scheme.component(name), sub_where)
        else:
            if len(appraisal_components) != 1:
                raise SchemeError(where, "该方案有多个评议部分，请用 {\"components\": {...}} 分别给出 "
                                         "(several appraisal components: use components)")
            component = appraisal_components[0]
            scores[component.name] = _score_from(spec, scheme, component, where)
        result[member.index] = scores
    return result
