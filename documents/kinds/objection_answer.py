"""异议处理反馈: the branch's written answer to an objection."""
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import layout as L
from ..gbt9704 import Builder
from .base import SAMPLE_BRANCH, DocumentKind, signed_text

#: ``Objection.outcome`` of an upheld objection (``reviews.models.ObjectionOutcome.UPHELD``).
UPHELD = "upheld"

SPEC = DocumentKind(
    key="objection_answer",
    description=gettext_lazy("异议处理反馈"),
    template="objection_answer.docx",
    required=("objector_name", "received_date", "subject_name", "reason", "findings", "result"),
    dates=("received_date",),
    numbered=True, banner=True,
    sample={
        "org_name": SAMPLE_BRANCH, "issue_date": "2025-04-18", "doc_number": "东街党支〔2025〕5号",
        "objector_name": "赵大伟", "received_date": "2025-04-12", "subject_name": "刘志强",
        "reason": "刘志强同志3月份未参加社区志愿服务，但公示积分中含志愿服务加分。",
        "findings": "经查阅志愿服务签到记录并询问社区网格员，刘志强同志3月份确未参加志愿服务，相关加分系录入错误。",
        "result": "异议成立。支部委员会决定撤销该项加分2分，刘志强同志一季度积分由9分更正为7分，更正记录已载入积分台账。",
    },
)


def build_template():
    b = Builder()
    b.banner()
    b.title("关于积分异议处理结果的反馈")
    b.para(L.STYLE_ADDRESSEE, "{{ objector_name }}同志：")
    b.body("你于{{ received_date|cn_date }}反映的“{{ reason }}”问题，支部已受理并调查核实。现将处理结果反馈如下。")
    b.heading(1, "一、调查核实情况")
    b.body("{{ findings }}")
    b.heading(1, "二、处理结果")
    b.body("{{ result }}")
    b.body("如对处理结果仍有异议，可向上级党组织反映。")
    b.signature()
    b.imprint()
    return b


def outcome_text(objection, previous_points):
    """The result of an answered objection in one sentence; ``previous_points`` is the item's value before it."""
    if objection.outcome == UPHELD:
        return _("异议成立。%(member)s 该项积分由 %(old)s 分更正为 %(new)s 分，更正记录将载入积分台账，更正结果另行公示。") % {
            "member": objection.declaration.member.name, "old": signed_text(previous_points),
            "new": signed_text(objection.corrected_points)}
    return _("异议不成立，维持原认定结果。")


def build_context(objection, *, previous_points):
    """The answer to ``objection`` (a ``reviews.Objection``, answered).

    ``previous_points``: the item's points before this objection (the branch's decision or
    an earlier correction), which the review chain knows; the findings are the answer's reason.
    """
    return {
        "objector_name": objection.objector_name,
        "received_date": objection.received_on.isoformat(),
        "subject_name": objection.declaration.member.name,
        "reason": objection.reason,
        "findings": objection.answer_reason,
        "result": outcome_text(objection, previous_points),
    }
