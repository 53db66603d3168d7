"""取消预备党员资格的决定: the branch meeting's decision, approved by the committee above."""
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workdays.clock import local_day

from .. import layout as L
from ..gbt9704 import Builder
from .base import (
    SAMPLE_BRANCH,
    SAMPLE_HIGHER,
    DocumentKind,
    cn_day,
    in_chinese,
    reviewing_organisation,
)

SPEC = DocumentKind(
    key="probation_cancellation",
    description=gettext_lazy("取消预备党员资格的决定"),
    template="probation_cancellation.docx",
    required=("member_name", "admitted", "facts", "meeting_date", "entitled", "present", "votes_for",
              "approver_name", "approval_date"),
    dates=("meeting_date", "approval_date"),
    numbered=True, banner=True, signed=True,
    sample={
        "org_name": SAMPLE_BRANCH, "issue_date": "2026-02-10", "doc_number": "东街党支〔2026〕8号",
        "member_name": "王小军", "admitted": "于2025年1月10日被接收为预备党员",
        "facts": "王小军同志2025年度积分48分，评定为不合格；2024年度同为不合格。预备期间不履行党员义务，不具备党员条件。",
        "meeting_date": "2026-01-28", "entitled": 30, "present": 27, "votes_for": 25,
        "approver_name": SAMPLE_HIGHER, "approval_date": "2026-02-08",
    },
)


def build_template():
    b = Builder()
    b.banner()
    b.title(["关于取消", "{{ member_name }}同志", "预备党员资格的决定"])
    b.para(L.STYLE_ADDRESSEE, "各党小组、全体党员：")
    b.body("{{ member_name }}同志{{ admitted }}。{{ facts }}")
    b.body("根据《中国共产党章程》第七条和《中国共产党发展党员工作细则》的有关规定，"
           "{{ meeting_date|cn_date }}支部党员大会进行了讨论，应到有表决权的正式党员{{ entitled }}名，"
           "实到{{ present }}名，{{ votes_for }}名同意取消{{ member_name }}同志的预备党员资格，"
           "并报{{ approver_name }}于{{ approval_date|cn_date }}批准。")
    b.body("经研究，决定取消{{ member_name }}同志的预备党员资格。")
    b.body("特此决定。")
    b.signature()
    b.imprint()
    return b


@in_chinese
def build_context(disposition):
    """The decision on ``disposition`` (an ``appraisals.Disposition`` cancelling probation, approved).

    The vote is the 支部党员大会's (date, entitled, present, for); the approval is the higher
    committee's (the approver's reviewing organisation and the approval date); the facts are
    the disposition's, and the member's admission date (``joined_on``) when the roll has it.
    """
    member = disposition.member
    higher = reviewing_organisation(disposition.approved_by, disposition.evaluation.organisation)
    admitted = (_("于%(d)s被接收为预备党员") % {"d": cn_day(member.joined_on)} if member.joined_on
                else _("系预备党员"))
    return {
        "member_name": member.name,
        "admitted": admitted,
        "facts": disposition.facts,
        "meeting_date": local_day(disposition.decided_at).isoformat(),
        "entitled": disposition.entitled,
        "present": disposition.present,
        "votes_for": disposition.votes_for,
        "approver_name": higher.name,
        "approval_date": local_day(disposition.approved_at).isoformat(),
    }
