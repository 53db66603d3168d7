"""The words a review-chain document uses for who is scored and who decides, read from the records.

A party branch scores 党员 and decides as 支部 (支委会, 支部党员大会), publishing on the 党务公开栏
to 各位党员、群众. A village scoring households (户积分) scores 农户 (counted in 户, named by the
户主, ``莫德明户``), decides as 村党组织 (村两委会, 村党员大会) and publishes on the 村务公开栏 to
各位村民. The templates print these words from the context key ``terms`` (a dict of the keys of
:data:`PARTY`), which each builder fills with :func:`terms_for`; a context stored before the key
existed renders with :data:`PARTY` (see :func:`documents.rendering.prepare_context`).

Who decides follows the organisation's kind (a 行政村 or 网格 is a village; anything else a
party organisation); who is scored follows the kinds of the members concerned (households,
party members, teachers, anyone else), so a village branch scoring its party members still
writes 党员.
"""
from members.models import Member, MemberKind
from organisations.models import OrganisationKind

from .base import PARTY_MEMBER_KINDS

#: ``reviews.models.MeetingKind`` values.
MEETING_COMMITTEE, MEETING_ASSEMBLY = "committee", "branch_meeting"
#: ``reviews.models.PeriodKind`` values → the heading of a period's total.
PERIOD_TOTAL = {"month": "本月积分", "quarter": "季度积分", "half_year": "半年积分", "year": "年度积分"}

PARTY_SUBJECT = {
    "subject": "党员", "unit": "名", "honorific": "同志", "points": "党员积分", "rules": "党员积分制管理",
    "name_header": "姓名", "count_label": "合计人数", "count_unit": "人",
}
HOUSEHOLD_SUBJECT = {
    "subject": "农户", "unit": "户", "honorific": "户", "points": "户积分", "rules": "户积分管理",
    "name_header": "户主", "count_label": "合计户数", "count_unit": "户",
}
TEACHER_SUBJECT = {**PARTY_SUBJECT, "subject": "教师", "honorific": "老师", "points": "教师积分",
                   "rules": "教师积分管理"}
OTHER_SUBJECT = {**PARTY_SUBJECT, "subject": "成员", "honorific": "", "points": "积分", "rules": "积分制管理"}

PARTY_BODY = {
    "body": "支部", "we": "我支部", "audience": "各位党员、群众", "board": "党务公开栏",
    "higher": "上级党组织", "committee": "支委会", "assembly": "支部党员大会", "stock": "支部现有",
}
VILLAGE_BODY = {
    "body": "村党组织", "we": "我村", "audience": "各位村民", "board": "村务公开栏",
    "higher": "上级", "committee": "村两委会", "assembly": "村党员大会", "stock": "本村现有",
}

#: The words of a party branch scoring its party members: the default.
PARTY = {**PARTY_BODY, **PARTY_SUBJECT, "period_total": PERIOD_TOTAL["quarter"]}

VILLAGE_KINDS = (OrganisationKind.VILLAGE, OrganisationKind.GRID)


def subject_words(kinds, organisation=None):
    """The subject's words for members of ``kinds`` (``Member.kind`` values); without any, the
    organisation's usual subject (households in a village, party members elsewhere)."""
    kinds = set(kinds)
    if not kinds:
        village = organisation is not None and organisation.kind in VILLAGE_KINDS
        return HOUSEHOLD_SUBJECT if village else PARTY_SUBJECT
    if kinds == {MemberKind.HOUSEHOLD}:
        return HOUSEHOLD_SUBJECT
    if kinds <= set(PARTY_MEMBER_KINDS):
        return PARTY_SUBJECT
    if kinds == {MemberKind.TEACHER}:
        return TEACHER_SUBJECT
    return OTHER_SUBJECT


def terms_for(organisation, members=(), *, period_kind="quarter"):
    """The words of ``organisation``'s documents about ``members`` (``members.Member``s or their
    kinds), for a period of ``period_kind``."""
    kinds = {getattr(m, "kind", m) for m in members}
    body = VILLAGE_BODY if organisation.kind in VILLAGE_KINDS else PARTY_BODY
    return {**body, **subject_words(kinds, organisation), "period_total": PERIOD_TOTAL.get(period_kind, "本期积分")}


def round_terms(review_round):
    """The words of ``review_round``'s documents: its organisation, the kinds of the members who
    declared in it (without any, the organisation's usual subject), its period."""
    kinds = set()
    if review_round.pk is not None:
        kinds = set(review_round.declarations.values_list("member__kind", flat=True).distinct())
    return terms_for(review_round.organisation, kinds, period_kind=review_round.period_kind)


def member_terms(review_round, member):
    """The words of a document about one ``member`` of ``review_round`` (an objection's papers): the
    round's organisation and period, the subject this member is — a party member objected to in a
    round that also scored households is 同志, never 户."""
    return terms_for(review_round.organisation, [member], period_kind=review_round.period_kind)


def meeting_name(meeting, terms):
    """What ``meeting`` (a ``reviews.BranchMeeting``) is called where it was held: 支委会 or
    支部党员大会 in a branch, 村两委会 or 村党员大会 in a village."""
    return terms["assembly"] if meeting.kind == MEETING_ASSEMBLY else terms["committee"]


def subject_count(organisation, terms):
    """How many of the scored are on the roll of ``organisation`` and below: party members
    (正式 and 预备) where ``terms`` speak of 党员, households where of 农户, else every member."""
    members = Member.objects.filter(organisation__path__startswith=organisation.path, is_active=True)
    if terms["subject"] == PARTY_SUBJECT["subject"]:
        members = members.filter(kind__in=PARTY_MEMBER_KINDS)
    elif terms["subject"] == HOUSEHOLD_SUBJECT["subject"]:
        members = members.filter(kind=MemberKind.HOUSEHOLD)
    elif terms["subject"] == TEACHER_SUBJECT["subject"]:
        members = members.filter(kind=MemberKind.TEACHER)
    return members.count()
