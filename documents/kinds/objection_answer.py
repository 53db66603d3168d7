"""异议处理反馈: the branch's written answer to an objection."""
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import layout as L
from ..gbt9704 import Builder
from .base import SAMPLE_BRANCH, DocumentKind, in_chinese, inner_quotes, item_label, signed_text
from .objection_receipt import disputed_text, named
from .terms import member_terms

#: ``Objection.outcome`` of an upheld objection (``reviews.models.ObjectionOutcome.UPHELD``).
UPHELD = "upheld"

SPEC = DocumentKind(
    key="objection_answer",
    description=gettext_lazy("异议处理反馈"),
    template="objection_answer.docx",
    required=("objector_name", "received_date", "disputed", "reason", "findings", "result"),
    dates=("received_date",),
    numbered=True, banner=True, signed=True, terms=True,
    sample={
        "org_name": SAMPLE_BRANCH, "issue_date": "2025-04-18", "doc_number": "东街党支〔2025〕5号",
        "objector_name": "赵大伟", "received_date": "2025-04-12",
        "disputed": "2025年第一季度公示的刘志强同志“志愿服务”一项（2025年3月8日），公示分值+3分",
        "reason": "刘志强同志3月份未参加社区志愿服务，但公示积分中含志愿服务加分。",
        "findings": "经查阅志愿服务签到记录并询问社区网格员，刘志强同志3月份确未参加志愿服务，相关加分系录入错误。",
        "result": "异议成立。刘志强同志“志愿服务”一项积分由+3分更正为0分，更正记录将载入积分台账，更正结果另行公示。",
    },
)


def build_template():
    b = Builder()
    b.banner()
    b.title(["关于", "积分异议", "处理结果的反馈"])
    b.para(L.STYLE_ADDRESSEE, "{{ objector_name }}：")
    b.body("您于{{ received_date|cn_date }}对{{ disputed }}提出异议，理由是：{{ reason|quoted }}。"
           "{{ terms.body }}已受理并调查核实，现将处理结果反馈如下。")
    b.heading(1, "一、调查核实情况")
    b.body("{{ findings }}")
    b.heading(1, "二、处理结果")
    b.body("{{ result }}")
    b.body("如对处理结果仍有异议，可向{{ terms.higher }}反映。")
    b.signature()
    b.imprint()
    return b


def outcome_text(objection, previous_points, signed_points, terms):
    """The result of an answered objection in one sentence.

    ``previous_points``: the item's value before it; ``signed_points(declaration, points)``
    signs a value as it moves the member's total (the review chain's rule).
    """
    d = objection.declaration
    if objection.outcome == UPHELD:
        return _("异议成立。%(member)s“%(item)s”一项积分由%(old)s分更正为%(new)s分，"
                 "更正记录将载入积分台账，更正结果另行公示。") % {
            "member": named(d.member, terms), "item": inner_quotes(item_label(d)),
            "old": signed_text(signed_points(d, previous_points)),
            "new": signed_text(signed_points(d, objection.corrected_points))}
    return _("异议不成立，维持%(member)s“%(item)s”一项的原认定结果。") % {
        "member": named(d.member, terms), "item": inner_quotes(item_label(d))}


@in_chinese
def build_context(objection, *, previous_points, signed_points):
    """The answer to ``objection`` (a ``reviews.Objection``, answered).

    ``previous_points``: the item's points before this objection (the branch's decision or
    an earlier correction), which the review chain knows; the findings are the answer's
    reason; the disputed score is named as on the receipt.
    """
    terms = member_terms(objection.declaration.review_round, objection.declaration.member)
    return {
        "issue_date": objection.answered_on.isoformat(),  # the answer is dated the day it was given
        "terms": terms,
        "objector_name": objection.objector_name,
        "received_date": objection.received_on.isoformat(),
        "disputed": disputed_text(objection, signed_text(signed_points(objection.declaration, previous_points)),
                                  terms),
        "reason": objection.reason,
        "findings": objection.answer_reason,
        "result": outcome_text(objection, previous_points, signed_points, terms),
    }
