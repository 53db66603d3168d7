"""What the ledger of the cycle says about the scheme before a year end is computed (台账核对).

A year end computed from a ledger that does not fit the scheme grades every member on nothing:
a component the scheme scores from entries with no entry for anyone (the quarter's rounds not
yet posted, or posted under other components) puts 0 there for all, and entries under a
component the scheme does not have cannot be scored at all. :func:`ledger_findings` reads the
cycle's entries once (grouped by component) and names both; the page shows them, a trial
computation (试算) refuses entries under unknown components, and closing the appraisal
(``evaluations.finish_appraisal``, 计算) needs the branch's explicit confirmation while any remain.
"""
from django.db.models import Count
from django.utils.translation import gettext as _

from ledger.models import SCORE_KINDS, LedgerEntry
from schemes.words import word
from workdays.wording import join_clauses, join_list

from ..errors import AppraisalErrorCode as Code
from ._shared import invalid, subtree_members

#: Finding types (``{"type": …}``) and what they block.
UNKNOWN_COMPONENTS = "ledger_unknown_components"
COMPONENT_WITHOUT_ENTRIES = "component_without_entries"


def component_counts(evaluation):
    """``{component: number of entries}`` of the cycle's scored ledger entries of the subtree's members."""
    members = subtree_members(evaluation).values("pk")
    return dict(
        LedgerEntry.objects.filter(member__in=members, cycle_start=evaluation.cycle_start,
                                   kind__in=SCORE_KINDS)
        .order_by().values_list("component").annotate(n=Count("pk")))


def _scored_from_entries(component):
    """A component whose value is nothing but its entries (starts at 0, adds, may rise): with no
    entry for anyone it is 0 for everyone. A deduction component with no entry is a clean year."""
    return (component.accepts_events and not component.from_appraisal and component.mode == "add"
            and component.accepts != "negative" and not component.start
            and not any(component.start_by_category.values()))


def ledger_findings(evaluation, counts=None):
    """The findings about the cycle's ledger under the evaluation's scheme version (``[]``: none).

    ``{"type": UNKNOWN_COMPONENTS, "components": {name: entries}}`` when entries are under
    components the scheme does not have; ``{"type": COMPONENT_WITHOUT_ENTRIES, "component": name,
    "blocking": bool}`` for each component scored only from ledger entries that has none for any
    member — blocking when no component of the scheme that takes entries has any (the year's
    rounds not posted, or posted under other components): every member would be graded on the
    appraisal alone.
    """
    scheme = evaluation.scheme_version.engine_scheme()
    counts = component_counts(evaluation) if counts is None else counts
    findings = []
    unknown = {name: n for name, n in sorted(counts.items()) if name not in scheme.component_index}
    if unknown:
        findings.append({"type": UNKNOWN_COMPONENTS, "components": unknown})
    fed = [c for c in scheme.components if c.accepts_events and not c.from_appraisal]
    blocking = bool(fed) and not any(counts.get(c.name) for c in fed)
    for component in fed:
        if _scored_from_entries(component) and not counts.get(component.name):
            findings.append({"type": COMPONENT_WITHOUT_ENTRIES, "component": component.name, "blocking": blocking})
    return findings


def finding_text(finding, evaluation):
    """One finding as ``{"kind", "label", "text"}`` in the active language (the scheme's own labels)."""
    version = evaluation.scheme_version
    if finding["type"] == UNKNOWN_COMPONENTS:
        listed = join_list(_("%(c)s（%(n)s 条）") % {"c": name, "n": n} for name, n in finding["components"].items())
        scheme = version.engine_scheme()
        text = _("本周期台账有记在方案没有的积分项目下的记录：%(list)s。方案“%(scheme)s”只有：%(known)s。"
                 "这些记录无法计分，请先核对台账或方案，再计算。") % {
            "list": listed, "scheme": version,
            "known": join_list(word(c.label, version) for c in scheme.components)}
        return {"kind": finding["type"], "label": _("台账与方案不符"), "text": text}
    scheme = version.engine_scheme()
    name = finding["component"]
    label = word(scheme.component(name).label, version) if name in scheme.component_index else name
    text = _("本周期台账中没有任何成员的“%(c)s”记录，计算时人人该项按 0 分计，等次会因此偏低。"
             "请核对本年度的审核批次是否已公示期满记入台账。") % {"c": label}
    return {"kind": finding["type"], "label": _("台账缺项"), "text": text}


def unknown_components_text(evaluation, counts=None):
    """The finding about entries under components the scheme lacks, as text (``""``: there are none)."""
    for finding in ledger_findings(evaluation, counts):
        if finding["type"] == UNKNOWN_COMPONENTS:
            return finding_text(finding, evaluation)["text"]
    return ""


def require_confirmed(evaluation, confirmed):
    """Raise ValidationError on ``confirm`` (``ledger_findings_unconfirmed``) while a blocking finding
    stands unconfirmed (entries under unknown components are refused by the computation itself)."""
    blocking = [f for f in ledger_findings(evaluation) if f.get("blocking")]
    if blocking and not confirmed:
        texts = join_clauses(finding_text(f, evaluation)["text"] for f in blocking)
        raise invalid(_("台账与方案核对有问题，计算结果会把成员评为较低等次：%(texts)s 如确认按现有台账计算，请勾选确认后再计算。"),
                      Code.LEDGER_FINDINGS_UNCONFIRMED, field="confirm", texts=texts)
