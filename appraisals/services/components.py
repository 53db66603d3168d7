"""Per-star (per-dimension) appraisals: one democratic appraisal per appraisal component of the scheme.

篇十三 非公 rates each of five stars from the anonymous ratings of members and staff
(每颗星总分值为10分, l.783); 篇十三 作业区 weighs self, masses and leadership for each of five
aspects (l.697). Such a scheme has several appraisal components, and a member's appraisal is
then one entry per component: ``{name: {"score": n} | {"votes": {...}} | {"raters": {...}}}``.
This module checks that entry against the evaluation's scheme version and stores it as text
(``AppraisalInput.components``); ``AppraisalInput.to_engine`` gives it back to the engine.
"""
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from ..errors import AppraisalErrorCode as Code
from ._shared import count_input, decimal_input, invalid
from workdays.wording import join_list

#: The vote labels the form and the import know, in order.
VOTE_LABELS = ("优秀", "良好", "合格", "差")
#: The raters the provincial schemes weigh (``[appraisal.raters]``), as the form names them.
RATER_LABELS = {"self": _lazy("自评"), "masses": _lazy("群众评议"), "leadership": _lazy("领导评议")}


def appraisal_components(evaluation, category=None):
    """The scheme's appraisal components (``scoring_engine`` Component) for a member of ``category``.

    ``category`` is a category code, or None for every appraisal component.
    """
    scheme = evaluation.scheme_version.engine_scheme()
    return [c for c in scheme.components if c.from_appraisal and (category is None or c.applies_to(category))]


def per_component(evaluation):
    """True when the evaluation's scheme appraises several components (each star) separately."""
    return len(appraisal_components(evaluation)) > 1


def clean_components(evaluation, member, components):
    """``components`` checked for ``member`` and turned into the stored form (numbers as text).

    ``components``: ``{component name: {"score": v} | {"votes": {label: n}} | {"raters": {rater: v}}}``,
    one for each appraisal component that applies to the member's category. A score lies
    within 0 and the component's scale (``appraisal_max``: 10 for a 非公 star); rater scores
    within 0–100 and only where the scheme weighs raters. Returns the stored mapping.

    Raises ValidationError on ``components``: ``unknown_appraisal_component``,
    ``appraisal_component_missing``, ``raters_not_given`` (raters for a scheme without
    weights), ``no_votes`` / ``unknown_vote_grade`` / ``not_an_integer`` / ``negative``
    (votes), ``required`` / ``not_a_number`` / ``out_of_range`` (a score).
    """
    if not isinstance(components, dict) or not components:
        raise invalid(_("请为每个评议项目分别填写评议结果。"), Code.APPRAISAL_COMPONENT_MISSING, field="components",
                      names=join_list(c.label for c in appraisal_components(evaluation)))
    category = member.category.code if getattr(member, "category_id", None) else None
    wanted = {c.name: c for c in appraisal_components(evaluation, category)}
    every = {c.name: c for c in appraisal_components(evaluation)}
    for name in components:
        if name not in every:
            raise invalid(_("“%(name)s”不是该方案的评议项目；可选：%(names)s。"), Code.UNKNOWN_APPRAISAL_COMPONENT,
                          field="components", name=name, names=join_list(c.label for c in every.values()))
    missing = [c.label for name, c in wanted.items() if name not in components]
    if missing:
        raise invalid(_("缺少以下评议项目的结果：%(names)s。"), Code.APPRAISAL_COMPONENT_MISSING, field="components",
                      names=join_list(missing))
    raters = evaluation.scheme_version.engine_scheme().appraisal_raters
    return {name: _clean_one(every[name], spec, raters) for name, spec in components.items()}


def _clean_one(component, spec, raters):
    label = component.label
    if not isinstance(spec, dict) or len(spec) != 1 or next(iter(spec)) not in ("score", "votes", "raters"):
        raise invalid(_("“%(label)s”须且只能填写一种：得分、各档票数或自评/群众/领导评分。"), Code.ONE_APPRAISAL_METHOD,
                      field="components", label=label)
    kind, value = next(iter(spec.items()))
    if kind == "score":
        score = decimal_input(value, _("“%(label)s”得分") % {"label": label}, field="components",
                              high=component.appraisal_max)
        return {"score": format(score, "f")}
    if kind == "votes":
        if not isinstance(value, dict) or set(value) - set(VOTE_LABELS):
            raise invalid(_("未知的票档：%(k)s；可选：优秀、良好、合格、差。"), Code.UNKNOWN_VOTE_GRADE, field="components",
                          k=join_list(sorted(set(value) - set(VOTE_LABELS))) if isinstance(value, dict) else value)
        counts = {grade: count_input(value.get(grade), _("“%(label)s”%(grade)s票") % {"label": label, "grade": grade},
                                     field="components") for grade in VOTE_LABELS}
        if not any(counts.values()):
            raise invalid(_("“%(label)s”总票数为 0，无法计算测评得分。"), Code.NO_VOTES, field="components", label=label)
        return {"votes": counts}
    if not raters:
        raise invalid(_("该方案未规定自评、群众、领导评价的权重，“%(label)s”请填写得分。"), Code.RATERS_NOT_GIVEN,
                      field="components", label=label)
    if not isinstance(value, dict):
        raise invalid(_("请分别填写“%(label)s”的自评、群众评议、领导评议得分。"), Code.RATERS_NOT_GIVEN,
                      field="components", label=label)
    return {"raters": {
        rater: format(decimal_input(value.get(rater), _("“%(label)s”%(rater)s得分") % {
            "label": label, "rater": RATER_LABELS.get(rater, rater)}, field="components"), "f")
        for rater in raters
    }}
