"""异议受理回执: the receipt handed to whoever objects to a published score."""
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workdays.calendar import is_provisional_span

from ..gbt9704 import Builder
from .base import (
    SAMPLE_BRANCH,
    DocumentKind,
    cn_day,
    in_chinese,
    inner_quotes,
    item_label,
    acting_name,
    acting_person,
    signed_text,
)
from .terms import member_terms

SPEC = DocumentKind(
    key="objection_receipt",
    description=gettext_lazy("异议受理回执"),
    template="objection_receipt.docx",
    required=("objector_name", "received_date", "subject_name", "disputed", "reason", "handler",
              "answer_due_date"),
    dates=("received_date", "answer_due_date"),
    signed=True, terms=True,
    sample={
        "org_name": SAMPLE_BRANCH, "issue_date": "2025-04-12", "objector_name": "赵大伟",
        "received_date": "2025-04-12", "subject_name": "刘志强",
        "disputed": "2025年第一季度公示的刘志强同志“志愿服务”一项（2025年3月8日），公示分值+3分",
        "reason": "刘志强同志3月份未参加社区志愿服务，但公示积分中含志愿服务加分。",
        "handler": "王芳", "answer_due_date": "2025-04-22", "receipt_no": "YY-2025-007",
    },
)


def build_template():
    b = Builder(form_header=True)
    b.title("积分异议受理回执", after_banner=False)
    b.form([
        ("回执编号", "{{ receipt_no|default('', true) }}"),
        ("异议人", "{{ objector_name }}"),
        ("受理日期", "{{ received_date|cn_date }}"),
        ("异议事项", "{{ disputed }}"),
        ("异议理由", "{{ reason }}"),
        ("受理人", "{{ handler }}"),
        ("答复期限", "{{ answer_due_date|cn_date }}前（7个工作日内）{{ due_note|default('', true) }}"),
    ], [32, 124])
    b.body("您反映的情况已收悉，{{ terms.body }}将认真调查核实，并在上述期限内书面答复您。")
    b.signature()
    b.verification()
    return b


def receipt_number(objection):
    """``YY-<year received>-<objection id, 3 digits>``."""
    return f"YY-{objection.received_on.year}-{objection.pk:03d}"


#: ``Publicity.kind`` of a corrections publicity (``reviews.models.PublicityKind.CORRECTIONS``).
CORRECTIONS = "corrections"


def published_points(objection):
    """The value the publicity objected to showed: the branch's decision in a results notice,
    the corrected value in a corrections notice."""
    d, publicity = objection.declaration, objection.publicity
    if publicity.kind == CORRECTIONS:
        corrected = d.objections.filter(republished_in=publicity).order_by("-answered_on", "-pk").first()
        if corrected is not None:
            return corrected.corrected_points
    return d.decided_points


def named(member, terms):
    """``刘志强同志``, ``莫德明户``: a member's name with the honorific ``terms`` give."""
    return f"{member.name}{terms['honorific']}"


def disputed_text(objection, value, terms):
    """The score objected to: round, member, rule item, when it occurred, and ``value`` (signed text)."""
    d = objection.declaration
    return _("%(period)s公示的%(member)s“%(item)s”一项（%(day)s），公示分值%(points)s分") % {
        "period": d.review_round.period_label, "member": named(d.member, terms), "item": inner_quotes(item_label(d)),
        "day": cn_day(d.occurred_on), "points": value}


def due_note(objection):
    """"（暂按法定节假日推算）" when the answer date was counted over a year whose holiday schedule is
    not yet published (``workdays.calendar.is_provisional_span``), else ""."""
    return "（暂按法定节假日推算）" if is_provisional_span(objection.received_on, objection.due_on) else ""


def handler_name(objection, organisation):
    """受理人 on a receipt: whoever received the objection, else who handles it for ``organisation``
    (:func:`~documents.kinds.base.acting_person`: the branch secretary, else who answered it, else
    the nearest secretary above, named with their organisation and role), else the branch itself."""
    if objection.received_by is not None:
        return acting_name(objection.received_by, organisation)
    return acting_person(organisation, objection.answered_by)[1]


@in_chinese
def build_context(objection, *, signed_points):
    """The receipt of ``objection`` (a ``reviews.Objection``), as lodged.

    Names the disputed score with the value the publicity showed (:func:`published_points`,
    signed by ``signed_points(declaration, points)``, the review chain's rule). The handler is
    whoever received it, else who handles it for the branch (an objection lodged on the public
    board has no receiver), else the branch itself (:func:`handler_name`). ``due_note`` is
    "（暂按法定节假日推算）" when the answer date was counted over a year whose holiday schedule
    is not yet published, else "".
    """
    organisation = objection.declaration.review_round.organisation
    terms = member_terms(objection.declaration.review_round, objection.declaration.member)
    return {
        "issue_date": objection.received_on.isoformat(),  # the receipt is dated the day it was lodged
        "terms": terms,
        "objector_name": objection.objector_name,
        "received_date": objection.received_on.isoformat(),
        "subject_name": objection.declaration.member.name,
        "disputed": disputed_text(objection, signed_text(signed_points(objection.declaration,
                                                                       published_points(objection))), terms),
        "reason": objection.reason,
        "handler": handler_name(objection, organisation),
        "answer_due_date": objection.due_on.isoformat(),
        "receipt_no": receipt_number(objection),
        "due_note": due_note(objection),
    }
