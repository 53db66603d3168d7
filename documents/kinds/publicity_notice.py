"""公示通知: a review round's results (or corrections) put up for at least 7 days."""
from decimal import Decimal

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .. import layout as L
from ..gbt9704 import Builder
from .base import SAMPLE_BRANCH, DocumentKind, by_member, contact, decided_declarations, quarter_of, signed_text

SPEC = DocumentKind(
    key="publicity_notice",
    description=_("公示通知（含公示起止日期和公示栏二维码）"),
    template="publicity_notice.docx",
    required=("year", "quarter", "window_start", "window_end", "board_url", "rows",
              "contact_person", "contact_phone"),
    rows={"rows": ("name", "total", "note")},
    dates=("window_start", "window_end"),
    numbered=True, banner=True,
    sample={
        "org_name": SAMPLE_BRANCH, "issue_date": "2025-04-10", "doc_number": "东街党支〔2025〕4号",
        "year": 2025, "quarter": 1, "window_start": "2025-04-10", "window_end": "2025-04-16",
        "board_url": "http://127.0.0.1:8000/public/dongjie/",
        "contact_person": "王芳", "contact_phone": "0731-85551234",
        "rows": [
            {"name": "张红梅", "total": "15", "note": ""},
            {"name": "刘志强", "total": "9", "note": ""},
            {"name": "陈小燕", "total": "8", "note": "预备党员"},
        ],
    },
)


def build_template():
    b = Builder()
    b.banner()
    b.title("关于{{ year }}年第{{ quarter|cn_num }}季度党员积分情况的公示")
    b.para(L.STYLE_ADDRESSEE, "各位党员、群众：")
    b.body("根据党员积分制管理有关规定，经支部委员会审核、上级党组织审查备案，"
           "现将{{ org_name }}{{ year }}年第{{ quarter|cn_num }}季度党员积分情况予以公示。")
    b.body("公示时间：{{ window_start|cn_date }}至{{ window_end|cn_date }}。")
    b.body("公示期间，如对公示结果有异议，可以书面、电话或扫描下方二维码在公示栏中提出，"
           "支部将在7个工作日内答复。联系人：{{ contact_person }}，联系电话：{{ contact_phone }}。")
    b.table(["序号", "姓名", "季度积分", "备注"],
            ["{{ loop.index }}", "{{ r.name }}", "{{ r.total|points }}", "{{ r.note }}"],
            [20, 40, 40, 56], loop="r in rows")
    b.figure("{{ qr_code }}")
    b.figure("扫码查看公示栏：{{ board_url }}")
    b.signature()
    b.imprint()
    return b


def board_url(organisation):
    """The public board of ``organisation`` (printed as a QR code): ``PUBLIC_BASE_URL`` + its path."""
    return settings.PUBLIC_BASE_URL.rstrip("/") + reverse("public_board", args=[organisation.code])


def build_context(publicity, *, signed_points):
    """The notice of ``publicity`` (a ``reviews.Publicity``: results, or corrections after objections).

    One row per member with an item in this publicity, in the order of their first item;
    the row's 季度积分 is the member's total for the round over all their decided items
    (``signed_points(declaration)``: the review chain's rule, deductions negative and upheld
    corrections applied), so a corrections notice prints the corrected quarter total, not
    the corrected item's value.
    """
    rr = publicity.review_round
    published = by_member(publicity.declarations.select_related("member").order_by("occurred_on", "pk"))
    decided = by_member(decided_declarations(rr))
    rows = []
    for member in published:
        items = decided.get(member, [])
        total = sum((signed_points(d) for d in items), Decimal("0"))
        rows.append({"name": member.name, "total": signed_text(total), "note": ""})
    person, phone = contact(rr.organisation, rr.opened_by)
    return {
        "year": rr.period_start.year,
        "quarter": quarter_of(rr.period_start),
        "window_start": publicity.start_on.isoformat(),
        "window_end": publicity.end_on.isoformat(),
        "board_url": board_url(rr.organisation),
        "rows": rows,
        "contact_person": person,
        "contact_phone": phone,
        "title_note": str(publicity.get_kind_display()),
    }
