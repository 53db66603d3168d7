"""年度评定结果通知: one member's year-end score and grade."""
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import layout as L
from ..gbt9704 import Builder
from .base import (
    SAMPLE_BRANCH,
    SAMPLE_HIGHER,
    DocumentKind,
    cn_count,
    in_chinese,
    plain_points,
    reviewing_organisation,
    year_label,
)

SPEC = DocumentKind(
    key="result_notice",
    description=gettext_lazy("年度评定结果通知"),
    template="result_notice.docx",
    required=("member_name", "year", "score", "grade", "approver_name"),
    numbered=True, banner=True, signed=True,
    choices={"grade": ("优秀", "良好", "合格", "基本合格", "不合格")},
    sample={
        "org_name": SAMPLE_BRANCH, "issue_date": "2026-01-15", "doc_number": "东街党支〔2026〕2号",
        "member_name": "张红梅", "year": 2025, "score": "92.5", "grade": "优秀", "approver_name": SAMPLE_HIGHER,
        "remark": "请继续发挥先锋模范作用。",
    },
)


def build_template():
    b = Builder()
    b.banner()
    b.title(["关于", "{{ year }}年度", "党员积分评定结果", "的通知"])
    b.para(L.STYLE_ADDRESSEE, "{{ member_name }}同志：")
    b.body("经民主评议和支部审议，并报{{ approver_name }}同意，"
           "你{{ year }}年度积分为{{ score|points }}分，评定等次为{{ grade }}。")
    b.body("{{ remark|default('', true) }}")
    b.body("如对评定结果有异议，可在收到本通知之日起7日内向支部委员会书面提出。")
    b.body("特此通知。")
    b.signature()
    b.imprint()
    return b


def has_notice(result):
    """True when the result's grade is one this notice states (a scheme grading in stars or a–d has none)."""
    return result.grade in SPEC.choices["grade"]


def result_summary(result):
    """``年度积分92.5分，评定等次优秀`` (or ``评定为五星级`` for a scheme that rates in stars)."""
    text = _("年度积分%(t)s分") % {"t": plain_points(result.total)}
    if result.grade:
        text += _("，评定等次%(g)s") % {"g": result.grade}
    if result.stars:
        text += _("，评定为%(n)s星级") % {"n": cn_count(result.stars)}
    return text


def approver(evaluation):
    """The committee that agreed the evaluation's results (its reviewer's organisation)."""
    return reviewing_organisation(evaluation.reviewed_by, evaluation.organisation)


@in_chinese
def build_context(result):
    """The notice of ``result`` (an ``appraisals.MemberResult``): its total, grade, any 一票否决,
    and the committee that agreed the results."""
    higher = approver(result.evaluation)
    return {
        "member_name": result.member.name,
        "year": year_label(result.evaluation),
        "score": plain_points(result.total),
        "grade": result.grade,
        "approver_name": higher.name if higher else _("上级党组织"),
        "remark": _("一票否决") if result.vetoed else "",
    }
