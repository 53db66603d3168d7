"""不合格党员处置请示: the branch asks the committee that approves disposals to approve one."""
from django.utils.translation import gettext_lazy as _

from workdays.clock import local_day

from .. import layout as L
from ..gbt9704 import Builder
from .base import (
    SAMPLE_BRANCH,
    SAMPLE_HIGHER,
    DocumentKind,
    acting_person,
    in_chinese,
    reviewing_organisation,
)

#: The disposals a branch may ask for (``appraisals.models.DisposalMeasure``).
DISPOSALS = ("限期改正", "劝其退党", "除名")

SPEC = DocumentKind(
    key="disposal_request",
    description=_("不合格党员处置请示"),
    template="disposal_request.docx",
    required=("higher_org_name", "member_name", "facts", "disposal", "meeting_date", "entitled", "present",
              "votes_for", "signer"),
    dates=("meeting_date",),
    numbered=True, banner=True, upward=True, signed=True,
    choices={"disposal": DISPOSALS},
    sample={
        "org_name": SAMPLE_BRANCH, "issue_date": "2026-08-05", "doc_number": "东街党支〔2026〕11号",
        "higher_org_name": SAMPLE_HIGHER, "member_name": "孙建华", "disposal": "劝其退党",
        "facts": "孙建华同志2024、2025年度积分均低于60分，2026年1月22日起限期整改6个月，整改期满仍无明显转变。",
        "meeting_date": "2026-08-03", "entitled": 36, "present": 31, "votes_for": 27, "signer": "李建国",
    },
)


def build_template():
    b = Builder()
    b.banner(upward=True)
    b.title(["关于对", "{{ member_name }}同志", "作出{{ disposal }}处置", "的请示"])
    b.para(L.STYLE_ADDRESSEE, "{{ higher_org_name }}：")
    b.heading(1, "一、基本事实")
    b.body("{{ facts }}")
    b.heading(1, "二、支部意见")
    b.body("{{ meeting_date|cn_date }}，支部党员大会讨论了对{{ member_name }}同志的处置意见。"
           "应到有表决权党员{{ entitled }}名，实到{{ present }}名，"
           "{{ votes_for }}名同意对{{ member_name }}同志作出{{ disposal }}处置。")
    b.body("妥否，请批示。")
    b.signature()
    b.imprint()
    return b


def subject_key(disposition):
    """The request's subject key: a regenerated request keeps its number, and the 批复 finds it by this key."""
    return f"disposition:{disposition.pk}:request"


def approving_organisation(disposition):
    """The committee that approves the disposition: the one whose reviewer agreed the evaluation's
    results (the same reviewer approves disposals), else the branch's parent."""
    evaluation = disposition.evaluation
    return reviewing_organisation(evaluation.reviewed_by, evaluation.organisation)


@in_chinese
def build_context(disposition):
    """The request for ``disposition`` (an ``appraisals.Disposition`` the branch meeting decided).

    Measure, vote (the 支部党员大会's date, entitled, present, for) and facts are the
    disposition's; it is addressed to the committee that approves it
    (:func:`approving_organisation`) and signed as :func:`~documents.kinds.base.acting_person` says:
    the branch secretary, else whoever recorded the decision.
    """
    return {
        "higher_org_name": approving_organisation(disposition).name,
        "member_name": disposition.member.name,
        "facts": disposition.facts,
        "disposal": disposition.measure,
        "meeting_date": local_day(disposition.decided_at).isoformat(),
        "entitled": disposition.entitled,
        "present": disposition.present,
        "votes_for": disposition.votes_for,
        "signer": acting_person(disposition.evaluation.organisation, disposition.decided_by)[1],
    }
