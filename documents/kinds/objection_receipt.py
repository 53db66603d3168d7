"""异议受理回执: the receipt handed to whoever objects to a published score."""
from django.utils.translation import gettext_lazy as _

from workdays.calendar import is_provisional_span

from ..gbt9704 import Builder
from .base import SAMPLE_BRANCH, DocumentKind, person_name, secretary

SPEC = DocumentKind(
    key="objection_receipt",
    description=_("异议受理回执"),
    template="objection_receipt.docx",
    required=("objector_name", "received_date", "subject_name", "reason", "handler", "answer_due_date"),
    dates=("received_date", "answer_due_date"),
    sample={
        "org_name": SAMPLE_BRANCH, "issue_date": "2025-04-12", "objector_name": "赵大伟",
        "received_date": "2025-04-12", "subject_name": "刘志强",
        "reason": "刘志强同志3月份未参加社区志愿服务，但公示积分中含志愿服务加分。",
        "handler": "王芳", "answer_due_date": "2025-04-22", "receipt_no": "YY-2025-007",
    },
)


def build_template():
    b = Builder(form_header=True)
    b.title("积分异议受理回执", after_banner=False)
    b.table(["项目", "内容"], ["", ""], [40, 116], before_rows=[
        ["回执编号", "{{ receipt_no|default('', true) }}"],
        ["异议人", "{{ objector_name }}"],
        ["受理日期", "{{ received_date|cn_date }}"],
        ["被反映人", "{{ subject_name }}"],
        ["异议事由", "{{ reason }}"],
        ["受理人", "{{ handler }}"],
        ["答复期限", "{{ answer_due_date|cn_date }}前（7个工作日内）{{ due_note|default('', true) }}"],
    ])
    b.body("你反映的情况已收悉，支部将认真调查核实，并在上述期限内书面答复。")
    b.signature()
    return b


def receipt_number(objection):
    """``YY-<year received>-<objection id, 3 digits>``."""
    return f"YY-{objection.received_on.year}-{objection.pk:03d}"


def build_context(objection):
    """The receipt of ``objection`` (a ``reviews.Objection``), as lodged.

    The handler is whoever received it, else the branch secretary (an objection lodged
    on the public board has no receiver). ``due_note`` is "（暂按法定节假日推算）" when the answer
    date was counted over a year whose holiday schedule is not yet published, else "".
    """
    organisation = objection.declaration.review_round.organisation
    return {
        "objector_name": objection.objector_name,
        "received_date": objection.received_on.isoformat(),
        "subject_name": objection.declaration.member.name,
        "reason": objection.reason,
        "handler": person_name(objection.received_by) or person_name(secretary(organisation)),
        "answer_due_date": objection.due_on.isoformat(),
        "receipt_no": receipt_number(objection),
        "due_note": "（暂按法定节假日推算）" if is_provisional_span(objection.received_on, objection.due_on) else "",
    }
