"""不合格党员处置请示: the branch asks the higher committee to approve a disposal."""
from django.utils.translation import gettext_lazy as _

from .. import layout as L
from ..gbt9704 import Builder
from .base import SAMPLE_BRANCH, SAMPLE_HIGHER, DocumentKind, person_name

#: The disposals a branch may ask for (``appraisals.models.DisposalMeasure``).
DISPOSALS = ("限期改正", "劝其退党", "除名")

SPEC = DocumentKind(
    key="disposal_request",
    description=_("不合格党员处置请示"),
    template="disposal_request.docx",
    required=("higher_org_name", "member_name", "facts", "disposal", "entitled", "present", "votes_for", "signer"),
    numbered=True, banner=True, upward=True,
    choices={"disposal": DISPOSALS},
    sample={
        "org_name": SAMPLE_BRANCH, "issue_date": "2026-08-05", "doc_number": "东街党支〔2026〕11号",
        "higher_org_name": SAMPLE_HIGHER, "member_name": "孙建华", "disposal": "劝其退党",
        "facts": "孙建华同志2024、2025年度积分均低于60分，2026年1月22日起限期整改6个月，整改期满仍无明显转变。",
        "entitled": 36, "present": 31, "votes_for": 27, "signer": "李建国",
    },
)


def build_template():
    b = Builder()
    b.banner(upward=True)
    b.title("关于对{{ member_name }}同志作出{{ disposal }}处置的请示")
    b.para(L.STYLE_ADDRESSEE, "{{ higher_org_name }}：")
    b.heading(1, "一、基本事实")
    b.body("{{ facts }}")
    b.heading(1, "二、支部意见")
    b.body("支部党员大会应到有表决权党员{{ entitled }}名，实到{{ present }}名，"
           "{{ votes_for }}名同意对{{ member_name }}同志作出{{ disposal }}处置。")
    b.body("妥否，请批示。")
    b.signature()
    b.imprint()
    return b


def subject_key(disposition):
    """The request's subject key: a regenerated request keeps its number, and the 批复 finds it by this key."""
    return f"disposition:{disposition.pk}:request"


def build_context(disposition):
    """The request for ``disposition`` (an ``appraisals.Disposition`` the branch meeting decided).

    Measure, vote (entitled, present, for) and facts are the disposition's; it is addressed
    to the evaluating organisation's parent and signed by whoever recorded the decision.
    """
    organisation = disposition.evaluation.organisation
    return {
        "higher_org_name": organisation.parent.name,
        "member_name": disposition.member.name,
        "facts": disposition.facts,
        "disposal": disposition.measure,
        "entitled": disposition.entitled,
        "present": disposition.present,
        "votes_for": disposition.votes_for,
        "signer": person_name(disposition.decided_by),
    }
