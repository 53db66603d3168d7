"""星级党员证书: the stars a member was awarded at the year-end evaluation."""
from django.utils.translation import gettext_lazy as _

from .. import layout as L
from ..gbt9704 import Builder
from .base import SAMPLE_BRANCH, DocumentKind

SPEC = DocumentKind(
    key="star_certificate",
    description=_("星级党员证书"),
    template="star_certificate.docx",
    required=("member_name", "year", "stars"),
    choices={"stars": (1, 2, 3, 4, 5)},
    sample={
        "org_name": SAMPLE_BRANCH, "issue_date": "2026-01-20", "member_name": "张红梅", "year": 2025, "stars": 5,
        "certificate_no": "XJ-2025-001",
    },
)


def build_template():
    b = Builder()
    b.title("星级党员证书", after_banner=False)
    b.para(L.STYLE_ADDRESSEE, "{{ member_name }}同志：")
    b.body("在{{ year }}年度党员星级评定中，你被评为{{ stars|cn_num }}星级党员（{{ stars|stars }}）。")
    b.body("特发此证，以资鼓励。")
    b.body("证书编号：{{ certificate_no|default('', true) }}")
    b.signature()
    return b


def has_certificate(result):
    """True when the result carries 1–5 stars."""
    return bool(result.stars) and 1 <= result.stars <= 5


def build_context(result):
    """The certificate of ``result`` (an ``appraisals.MemberResult`` with stars)."""
    return {"member_name": result.member.name, "year": result.evaluation.year, "stars": result.stars}
