"""情况说明: the branch's account of an objection, filed by the committee that filed the round."""
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workdays.calendar import is_provisional_span

from .. import layout as L
from ..gbt9704 import Builder
from .base import (
    SAMPLE_BRANCH,
    SAMPLE_HIGHER,
    DocumentKind,
    cn_day,
    filing_organisation,
    in_chinese,
    acting_person,
    signed_text,
)
from .objection_answer import outcome_text
from .objection_receipt import disputed_text
from .terms import member_terms

SPEC = DocumentKind(
    key="explanation",
    description=gettext_lazy("情况说明（向上级党组织备案）"),
    name=gettext_lazy("情况说明"),
    template="explanation.docx",
    required=("higher_org_name", "period", "background", "handling", "outcome", "signer"),
    numbered=True, banner=True, upward=True, signed=True, terms=True,
    sample={
        "org_name": SAMPLE_BRANCH, "issue_date": "2025-04-19", "doc_number": "东街党支〔2025〕6号",
        "higher_org_name": SAMPLE_HIGHER, "period": "2025年第一季度",
        "background": "2025年4月10日至16日公示期间，我支部于2025年4月12日收到赵大伟对2025年第一季度公示的刘志强同志"
                      "“志愿服务”一项（2025年3月8日），公示分值+3分的异议：刘志强同志3月份未参加社区志愿服务。",
        "handling": "支部调查核实后，于2025年4月18日书面答复异议人（答复期限2025年4月22日）。",
        "outcome": "异议成立。刘志强同志“志愿服务”一项积分由+3分更正为0分，更正记录将载入积分台账，更正结果另行公示。",
        "signer": "李建国",
    },
)


def build_template():
    b = Builder()
    b.banner(upward=True)
    b.title(["关于", "{{ period }}", "积分公示期间", "异议处理情况", "的说明"])
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


@in_chinese
def build_context(objection, *, previous_points, signed_points):
    """The branch's account of ``objection`` (a ``reviews.Objection``, answered).

    Addressed to the committee that files it: the one that filed the round
    (:func:`~documents.kinds.base.filing_organisation`), whose reviewer files the
    explanation. ``previous_points`` and ``signed_points`` as for
    :func:`documents.kinds.objection_answer.build_context`. Signed by the branch secretary,
    else by whoever answered (named with their organisation and role when acting from above:
    :func:`~documents.kinds.base.acting_person`).
    """
    rr = objection.declaration.review_round
    organisation = rr.organisation
    higher = filing_organisation(rr)
    publicity = objection.publicity
    terms = member_terms(rr, objection.declaration.member)
    return {
        "issue_date": objection.answered_on.isoformat(),  # sent up with the answer, the day it was given
        "terms": terms,
        "higher_org_name": higher.name if higher else "",
        "period": rr.period_label,
        "background": _("%(start)s至%(end)s公示期间，%(we)s于%(d)s收到%(name)s对%(disputed)s的异议：%(reason)s") % {
            "we": terms["we"],
            "start": cn_day(publicity.start_on), "end": cn_day(publicity.end_on),
            "d": cn_day(objection.received_on), "name": objection.objector_name,
            "disputed": disputed_text(objection, signed_text(signed_points(objection.declaration, previous_points)),
                                      terms),
            "reason": objection.reason},
        "handling": _("%(body)s调查核实后，于%(d)s书面答复异议人（答复期限%(due)s）。") % {
            "body": terms["body"],
            "d": cn_day(objection.answered_on),
            "due": cn_day(objection.due_on) + (_("，暂按法定节假日推算") if is_provisional_span(
                objection.received_on, objection.due_on) else "")},
        "outcome": outcome_text(objection, previous_points, signed_points, terms),
        "signer": acting_person(organisation, objection.answered_by)[1],
    }
