"""星级党员证书: the stars a member was awarded at the year-end evaluation (A4 landscape)."""
from django.utils.translation import gettext_lazy as _

from .. import layout as L
from ..gbt9704 import Builder
from .base import SAMPLE_BRANCH, DocumentKind, in_chinese, year_label

#: Actions that say a result is a shortcoming, not an award (``appraisals.models.DispositionAction``).
CORRECTIVE_ACTIONS = ("talk", "admonish", "rectify", "dispose", "extend_probation", "cancel_probation")
#: Grades that are no award, whatever the stars.
FAILING_GRADES = ("基本合格", "不合格")

SPEC = DocumentKind(
    key="star_certificate",
    description=_("星级党员证书"),
    template="star_certificate.docx",
    required=("member_name", "year", "stars", "max_stars", "certificate_no"),
    choices={"stars": tuple(range(1, 11)), "max_stars": (5, 10)},
    signed=True,
    sample={
        "org_name": SAMPLE_BRANCH, "issue_date": "2026-01-20", "member_name": "张红梅", "year": 2025, "stars": 5,
        "max_stars": 5, "certificate_no": "XJ-2025-0001",
    },
)


def build_template():
    b = Builder(landscape=True, border=True)
    b.para(L.STYLE_CERT_TITLE, "荣誉证书")
    b.para(L.STYLE_CERT_TITLE, "{{ stars|stars(max_stars) }}")
    b.para(L.STYLE_CERT_BODY, "{{ member_name }}同志：")
    p = b.para(L.STYLE_CERT_BODY, "在{{ year }}年度党员积分星级评定中，你被评为“{{ stars|cn_num }}星级党员”。")
    b.indent(p, L.CERT_BODY_SIZE_PT)
    b.indent(b.para(L.STYLE_CERT_BODY, "特发此证，以资鼓励。"), L.CERT_BODY_SIZE_PT)
    b.signature()
    b.verification()
    b.para(L.STYLE_VERIFY, "证书编号：{{ certificate_no }}")
    return b


def has_certificate(result, *, awarded_stars=None):
    """Whether the scheme awards ``result`` (an ``appraisals.MemberResult``) a star certificate.

    ``awarded_stars``: the star counts the scheme says earn a certificate, when the scheme
    states them. Without that, the scheme's existing data decides: stars, no 一票否决, no
    failing grade and no corrective action among the result's actions (so a ten-star
    scheme's 4-star 不合格 member and a 1-star member sent to rectification get none).
    """
    if not result.stars or result.vetoed:
        return False
    if awarded_stars is not None:
        return result.stars in awarded_stars
    return result.grade not in FAILING_GRADES and not set(result.actions or ()) & set(CORRECTIVE_ACTIONS)


def certificate_number(result):
    """``XJ-<year>-<result id, 4 digits>``."""
    return f"XJ-{result.evaluation.year}-{result.pk:04d}"


@in_chinese
def build_context(result, *, max_stars=None):
    """The certificate of ``result`` (an ``appraisals.MemberResult`` with stars).

    ``max_stars``: the scheme's scale (5 or 10); by default 10 when the result has more than 5.
    """
    return {
        "member_name": result.member.name,
        "year": year_label(result.evaluation),
        "stars": result.stars,
        "max_stars": max_stars or (10 if result.stars > 5 else 5),
        "certificate_no": certificate_number(result),
    }
