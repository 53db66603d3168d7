"""The engine's keys as words: component names, result actions and the checks of an evaluation.

The engine speaks in keys (``daily``, ``commend``, ``quota_tie``) and stores its checks with a
bilingual message; people read the scheme's labels, the actions' names and a sentence in
their language built from the check's own data.
"""
import re

from django.utils.translation import get_language
from django.utils.translation import gettext as _

import scoring_engine
from schemes.words import word
from workdays.wording import join_list, points_text

from .models import DispositionAction

_BILINGUAL = re.compile(r"^(?P<zh>.*?)\s*\((?P<en>[^()]*)\)\s*$", re.S)


def component_labels(evaluation):
    """``{component key: label}`` of the evaluation's scheme version (the key itself when unreadable)."""
    try:
        scheme = evaluation.scheme_version.engine_scheme()
    except scoring_engine.SchemeError:
        return {}
    return {c.name: word(c.label, scheme) for c in scheme.components}


def action_label(key):
    try:
        return DispositionAction(key).label
    except ValueError:
        return key


def engine_message(message):
    """The part of an engine message ("中文 (english)") in the active language."""
    match = _BILINGUAL.match(message or "")
    if not match:
        return message or ""
    return match.group("en") if (get_language() or "").startswith("en") else match.group("zh")


def check_text(check, names, branches=None, scheme=None):
    """One evaluation check as a sentence in the active language, with the people it names.

    ``names``: ``{member id (str): name}``; ``branches``: ``{organisation id (str): name}``;
    ``scheme``: the evaluation's scheme version, whose words (grades) are shown in the active language.
    Returns ``{"kind", "text", "people"}``.
    """
    branches = branches or {}
    kind = check.get("type", "")
    people_ids = check.get("members") or check.get("moved") or ([check["member"]] if check.get("member") else [])
    people = join_list(names.get(str(m), str(m)) for m in people_ids)
    branch = branches.get(str(check.get("branch")), check.get("branch") or "")
    target = word(check.get("target", ""), scheme)  # a grade label of the scheme
    if kind == "quota_tie":
        text = _("%(target)s名额在 %(total)s 分处并列：%(n)s 人争 %(left)s 个名额，须由支部研究决定并写明理由。") % {
            "target": target, "total": points_text(check.get("total")), "n": len(check.get("members") or []),
            "left": check.get("places_left")}
        label = _("名额并列")
    elif kind == "quota":
        text = _("%(target)s名额上限 %(limit)s 人，%(n)s 人达到分数线，其余按排名未入选。") % {
            "target": target, "limit": check.get("limit"), "n": check.get("candidates")}
        label = _("名额限制")
    elif kind == "quota_minimum":
        text = _("%(target)s及以上应不少于 %(required)s 人，实际 %(count)s 人。") % {
            "target": target, "required": check.get("required"), "count": check.get("count")}
        label = _("名额下限")
    elif kind == "quota_branch_minimum":
        text = _("%(branch)s的%(target)s人数为 %(count)s，原则上至少 %(required)s 人。") % {
            "branch": branch, "target": target, "count": check.get("count"), "required": check.get("required")}
        label = _("支部名额")
    elif kind == "appraisal_missing":
        text = _("%(n)s 人尚无民主评议结果，评议分按 0 计。") % {"n": len(check.get("members") or [])}
        label = _("评议未录入")
    elif kind == "share_below":
        text = _("%(where)s：%(n)s 人中 %(count)s 人低于 %(threshold)s 分，方案要求 %(low)s–%(high)s 人。") % {
            "where": branch or _("本组织"), "n": check.get("members_scored"), "count": check.get("count"),
            "threshold": points_text(check.get("threshold")), "low": check.get("required_min") or 0,
            "high": check.get("required_max") if check.get("required_max") is not None else check.get("members_scored")}
        label = _("低分比例")
    elif kind == "group_bonus":
        text = _("%(branch)s人均 %(avg)s 分，集体加 %(points)s 分。") % {
            "branch": branch, "avg": points_text(check.get("per_capita")), "points": points_text(check.get("points"))}
        label = _("集体加分")
    elif kind == "branch_ranking":
        rows = check.get("ranking") or []
        text = _("单元排名（先看得星百分比，再看总分）：%(list)s") % {
            "list": join_list(branches.get(str(r.get("branch")), str(r.get("branch"))) for r in rows)}
        label = _("单元排名")
    elif kind == "cycle":
        text, label = engine_message(check.get("message", "")), _("考核周期")
    else:
        text, label = engine_message(check.get("message", "")), _("检查提示")
    return {"kind": kind, "label": label, "text": text, "people": people}
