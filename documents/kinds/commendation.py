"""表彰决定: the members a year-end evaluation commends."""
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import layout as L
from ..gbt9704 import Builder
from .base import SAMPLE_BRANCH, SAMPLE_HIGHER, DocumentKind, in_chinese, year_label
from .result_notice import approver, result_summary

#: ``Disposition.action`` of a commendation (``appraisals.models.DispositionAction.COMMEND``).
COMMEND = "commend"

SPEC = DocumentKind(
    key="commendation",
    description=gettext_lazy("表彰决定（优秀党员）"),
    name=gettext_lazy("表彰决定"),
    template="commendation.docx",
    required=("year", "honourees", "honour", "approver_name"),
    rows={"honourees": ("name", "deeds")},
    numbered=True, banner=True, signed=True,
    sample={
        "org_name": SAMPLE_BRANCH, "issue_date": "2026-01-20", "doc_number": "东街党支〔2026〕3号",
        "year": 2025, "honour": "优秀共产党员", "approver_name": SAMPLE_HIGHER,
        "honourees": [
            {"name": "张红梅", "deeds": "年度积分92.5分，评定等次优秀"},
            {"name": "赵卫东", "deeds": "年度积分91分，评定等次优秀"},
        ],
    },
)


def build_template():
    b = Builder()
    b.banner()
    b.title(["关于表彰", "{{ year }}年度", "{{ honour }}", "的决定"])
    b.para(L.STYLE_ADDRESSEE, "各党小组、全体党员：")
    b.body("{{ year }}年，全体党员立足岗位、积极作为。根据{{ year }}年度党员积分评定结果"
           "（经{{ approver_name }}同意并公示），支部决定对以下{{ honourees|length }}名同志"
           "授予“{{ honour }}”称号，予以表彰。")
    b.jinja_para("{%p for h in honourees %}")
    b.body("{{ loop.index }}. {{ h.name }}（{{ h.deeds }}）")
    b.jinja_para("{%p endfor %}")
    b.body("希望受表彰的同志珍惜荣誉、再接再厉。全体党员要以先进为榜样，争做合格党员。")
    b.signature()
    b.imprint()
    return b


def honoured(evaluation):
    """The evaluation's commendations (``appraisals.Disposition``), highest total first, then by name."""
    return list(
        evaluation.dispositions.filter(action=COMMEND).select_related("member", "result")
        .order_by("-result__total", "member__name")
    )


@in_chinese
def build_context(evaluation):
    """The decision commending every member the evaluation's results commend (an ``appraisals.Evaluation``).

    The results it rests on were agreed by the committee that reviewed them and publicised;
    the branch issues the decision as the scheme's rule for the results provides.
    """
    higher = approver(evaluation)
    return {
        "year": year_label(evaluation),
        "honour": _("优秀共产党员"),
        "approver_name": higher.name if higher else _("上级党组织"),
        "honourees": [
            {"name": d.member.name, "deeds": result_summary(d.result)} for d in honoured(evaluation)
        ],
    }
