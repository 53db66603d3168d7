"""情况说明: the branch's account of an objection, filed by the higher committee."""
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workdays.calendar import is_provisional_span

from .. import layout as L
from ..gbt9704 import Builder
from .base import SAMPLE_BRANCH, SAMPLE_HIGHER, DocumentKind, person_name, secretary
from .objection_answer import outcome_text

SPEC = DocumentKind(
    key="explanation",
    description=gettext_lazy("情况说明（向上级党组织备案）"),
    template="explanation.docx",
    required=("higher_org_name", "subject", "background", "handling", "outcome", "signer"),
    numbered=True, banner=True, upward=True,
    sample={
        "org_name": SAMPLE_BRANCH, "issue_date": "2025-04-19", "doc_number": "东街党支〔2025〕6号",
        "higher_org_name": SAMPLE_HIGHER, "subject": "2025年第一季度积分公示期间异议处理",
        "background": "2025年4月10日至16日公示期间，我支部收到群众异议1件，反映刘志强同志志愿服务加分不实。",
        "handling": "支部于4月12日受理后，查阅签到记录、询问网格员，4月18日将处理结果书面反馈异议人。",
        "outcome": "异议成立，撤销加分2分，积分更正已记入台账，异议人对处理结果无异议。",
        "signer": "李建国",
    },
)


def build_template():
    b = Builder()
    b.banner(upward=True)
    b.title("关于{{ subject }}的情况说明")
    b.para(L.STYLE_ADDRESSEE, "{{ higher_org_name }}：")
    b.heading(1, "一、基本情况")
    b.body("{{ background }}")
    b.heading(1, "二、处理过程")
    b.body("{{ handling }}")
    b.heading(1, "三、处理结果")
    b.body("{{ outcome }}")
    b.body("特此说明，请予备案。")
    b.signature()
    b.imprint()
    return b


def build_context(objection, *, previous_points):
    """The branch's account of ``objection`` (a ``reviews.Objection``, answered), to its parent organisation.

    ``previous_points`` as for :func:`documents.kinds.objection_answer.build_context`.
    Signed by the branch secretary, else by whoever answered.
    """
    rr = objection.declaration.review_round
    organisation = rr.organisation
    higher = organisation.parent
    return {
        "higher_org_name": higher.name if higher else "",
        "subject": _("%(round)s积分公示期间异议处理情况") % {"round": rr.period_label},
        "background": _("公示期间，我支部于%(d)s收到%(name)s对%(member)s积分事项的异议：%(reason)s") % {
            "d": objection.received_on.isoformat(), "name": objection.objector_name,
            "member": objection.declaration.member.name, "reason": objection.reason},
        "handling": _("支部调查核实后，于%(d)s书面答复异议人（答复期限%(due)s）。") % {
            "d": objection.answered_on.isoformat(),
            "due": objection.due_on.isoformat() + (_("，暂按法定节假日推算") if is_provisional_span(
                objection.received_on, objection.due_on) else "")},
        "outcome": outcome_text(objection, previous_points),
        "signer": person_name(secretary(organisation)) or person_name(objection.answered_by),
    }
