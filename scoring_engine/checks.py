"""Organisation-level checks: shares below a total, group bonuses, rankings, flags, grade summaries, the top N."""
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from .conditions import Condition, parse_condition
from .errors import SchemeError
from .reader import ONE, ZERO, Reader


@dataclass(frozen=True, slots=True)
class Check:
    type: str
    threshold: Decimal | None = None
    min_share: Decimal | None = None
    max_share: Decimal | None = None
    when: Condition | None = None
    per_capita: Decimal | None = None
    base_points: Decimal | None = None
    step: Decimal | None = None
    step_points: Decimal | None = None
    message: str | None = None
    per_grade: Mapping | None = None
    scope: str = "all"
    count: int | None = None
    grade: str | None = None



CHECK_TYPES = ("share_below", "group_bonus", "branch_ranking", "member_flag", "grade_summary", "member_ranking",
               "top_ranked")


def parse_check(raw, path, names, labels):
    obj = Reader(raw, path)
    kind = obj.string("type", choices=CHECK_TYPES)
    obj.raw("reason", None)
    if kind == "share_below":
        check = Check(kind, threshold=obj.decimal("threshold"),
                      min_share=obj.decimal("min_share", None, minimum=ZERO),
                      max_share=obj.decimal("max_share", None, minimum=ZERO),
                      scope=obj.string("scope", "all", choices=("all", "branch")))
        if check.min_share is None and check.max_share is None:
            raise SchemeError(path, "须给出 min_share 或 max_share (give min_share or max_share)")
        if check.min_share is not None and check.max_share is not None and check.min_share > check.max_share:
            raise SchemeError(obj.where("max_share"), "max_share 小于 min_share (max below min)")
    elif kind == "group_bonus":
        check = Check(kind, per_capita=obj.decimal("per_capita", minimum=ZERO),
                      base_points=obj.decimal("base_points", minimum=ZERO),
                      step=obj.decimal("step", minimum=ONE), step_points=obj.decimal("step_points", minimum=ZERO))
    elif kind == "branch_ranking":
        check = Check(kind)
    elif kind == "member_ranking":
        # 篇十三 作业区 l.1097: members ranked by stars, then by the sum of their stars' scores.
        check = Check(kind, message=obj.string("message", None))
    elif kind == "top_ranked":
        # 篇十 l.301: the top three by total among those graded 优秀 are reported upward.
        grade = obj.string("grade", None)
        if grade is not None and grade not in labels:
            raise SchemeError(obj.where("grade"), f"未知等次 {grade!r} (unknown grade label)")
        check = Check(kind, count=obj.integer("count", minimum=1), grade=grade, message=obj.string("message"))
    elif kind == "grade_summary":
        per = obj.obj("per_grade")
        per_grade = {}
        for label in per.data:
            if label not in labels:
                raise SchemeError(per.where(label), f"未知等次 {label!r} (unknown grade label)")
            per_grade[label] = per.decimal(label, minimum=ZERO)
        per.done()
        check = Check(kind, per_grade=per_grade, message=obj.string("message"))
    else:
        check = Check(kind, when=parse_condition(obj.raw("when"), obj.where("when"), names, labels),
                      message=obj.string("message"))
    obj.done()
    return check
