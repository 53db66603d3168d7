"""What every document kind shares: the spec, and the helpers its context builder reads records with.

A kind module (``documents/kinds/<key>.py``) holds

* ``SPEC``: a :class:`DocumentKind` naming its template, the context keys the template
  needs (checked at the edge, before anything is numbered or stored, so a caller learns
  *which* key is missing), which keys are dates and lists, and realistic sample data used
  by ``render_document --sample``, the layout tests and the benchmark;
* ``build_template()``: the template, described with :class:`documents.gbt9704.Builder`
  (``manage.py build_templates`` writes it to ``templates_docx/``);
* ``build_context(records…)``: the context, read from the records the document reports on.

Context builders take the domain records (a review round, a meeting, an objection, an
evaluation result, a disposition…) as arguments and read their fields and related managers
(duck typing): the documents app sits below the domain apps and imports none of them
except ``organisations`` and ``members``. Where a value depends on a domain rule (the
sign of a deduction, the points before a correction), the caller passes the rule's
function or result as a keyword argument, so the rule keeps one home.

The keys ``org_name``, ``issue_date`` and, for numbered kinds, ``doc_number`` are filled by
:func:`documents.services.request_document` from the organisation, the clock and the number
sequence; callers of :func:`documents.rendering.render_document_bytes` pass them.
"""
import functools
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext as _

from members.models import Member, MemberKind
from organisations.models import Role, RoleKind
from organisations.permissions import role_holders

COMMON_KEYS = ("org_name", "issue_date")

#: Sample organisations used by the kinds' sample contexts.
SAMPLE_BRANCH = "中共城关镇东街社区支部委员会"
SAMPLE_HIGHER = "中共城关镇委员会"

#: Who counts as a party member (党员) in "支部现有党员 N 名": full and probationary members.
PARTY_MEMBER_KINDS = (MemberKind.PARTY_MEMBER, MemberKind.PROBATIONARY)


@dataclass(frozen=True)
class DocumentKind:
    key: str
    #: what the kind is, for staff choosing it (``公示通知（含公示起止日期和核验二维码）``)
    description: str
    template: str
    required: tuple = ()
    #: list-valued keys → keys every row must have
    rows: dict = field(default_factory=dict)
    #: keys holding dates (ISO ``YYYY-MM-DD`` in JSON), validated and shown as ``2025年3月6日``
    dates: tuple = ()
    #: keys restricted to a fixed set of values
    choices: dict = field(default_factory=dict)
    #: carries a 发文字号 allocated per organisation and year
    numbered: bool = False
    #: issued by an organisation as a notice: red banner and red separator
    banner: bool = False
    #: an upward document (请示/报告): 签发人 beside the 发文字号
    upward: bool = False
    #: carries the issuing organisation's signature, so its seal (when uploaded) and a 用印登记
    signed: bool = False
    #: prints the words of who is scored and who decides from the key ``terms`` (:mod:`.terms`)
    terms: bool = False
    sample: dict = field(default_factory=dict)
    #: the document's own name as the public reads it (``公示通知``); empty: the description is the name
    name: str = ""

    @property
    def title(self):
        """The plain document name: ``name``, else ``description`` (which then has no bracketed gloss)."""
        return self.name or self.description

    @property
    def all_required(self):
        keys = list(COMMON_KEYS)
        if self.numbered:
            keys.append("doc_number")
        keys.extend(k for k in self.required if k not in keys)
        return tuple(keys)


# -- reading records ----------------------------------------------------------------------


#: The language every document is written in, whoever's session asks for it.
DOCUMENT_LANGUAGE = "zh-hans"


def in_chinese(build_context):
    """Decorate a ``build_context``: its text (labels, gettext sentences) is Chinese even when
    the user who completed the step reads the site in English."""

    @functools.wraps(build_context)
    def wrapper(*args, **kwargs):
        with translation.override(DOCUMENT_LANGUAGE):
            return build_context(*args, **kwargs)

    return wrapper



def person_name(user):
    """A user's full name, else their username; ``""`` for ``None``."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def secretary(organisation):
    """The user holding the 书记 role on ``organisation`` (the first by role id), or ``None``."""
    role = (
        Role.objects.filter(organisation=organisation, kind=RoleKind.SECRETARY)
        .select_related("user").order_by("pk").first()
    )
    return role.user if role else None


def acting_name(user, organisation):
    """``user``'s name as printed on a paper of ``organisation``: plain (``李建国``) when they hold a
    role on ``organisation`` itself or none on an organisation above it; else with the organisation
    and role they act from, the nearest above: ``邓志刚（城关镇机关党总支书记）``. ``""`` for ``None``."""
    if user is None:
        return ""
    name = person_name(user)
    roles = list(Role.objects.filter(user=user).select_related("organisation").order_by("pk"))
    if any(r.organisation_id == organisation.pk for r in roles):
        return name
    above = [r for r in roles if organisation.path and organisation.is_within(r.organisation)]
    if not above:
        return name
    nearest = max(above, key=lambda r: len(r.organisation.path))
    with translation.override(DOCUMENT_LANGUAGE):
        role = str(RoleKind(nearest.kind).label)
    return f"{name}（{nearest.organisation.name}{role}）"


def acting_person(organisation, user=None):
    """``(user or None, printed name)``: who signs (签发人), is the contact (联系人) or handles
    (受理人) for ``organisation`` — the one rule of every kind that prints one.

    ``organisation``'s own 书记 on record; else ``user``, who did the step (opened the round or
    evaluation, answered the objection, recorded the decision); else the nearest 书记 above whose
    role covers it. Named by :func:`acting_name` (a person acting from above carries their
    organisation and role). Nobody: ``(None, organisation.name)``.
    """
    chosen = secretary(organisation) or user
    if chosen is None:
        chosen = role_holders(organisation, (RoleKind.SECRETARY,), strictly_above=True).order_by("pk").first()
    if chosen is None:
        return None, organisation.name
    return chosen, acting_name(chosen, organisation)


def contact(organisation, fallback_user=None):
    """``(name, phone)`` printed as 联系人/联系电话: :func:`acting_person` of ``organisation``
    with ``fallback_user`` as who did the step (the branch secretary, else that user, else the
    nearest secretary above, else the organisation's name).

    The phone is the contact's member record's (``Member.phone``); ``"—"`` when there is none.
    """
    user, name = acting_person(organisation, fallback_user)
    member = getattr(user, "member", None) if user is not None else None
    phone = getattr(member, "phone", "") if member is not None else ""
    return name, (phone or "—")


def party_member_count(organisation):
    """Party members (正式 and 预备) on the roll (``is_active``) of ``organisation`` and below.

    The members app's rule for "members of an organisation": active members whose
    organisation lies in its subtree (materialised ``path``).
    """
    return Member.objects.filter(
        organisation__path__startswith=organisation.path, is_active=True, kind__in=PARTY_MEMBER_KINDS
    ).count()


def decided_declarations(review_round):
    """The round's decided declarations (approved, adjusted or rejected) with their members, as they occurred."""
    return [d for d in review_round.declarations.select_related("member").order_by("occurred_on", "pk") if d.is_decided]


def by_member(declarations):
    """``{member: [declaration, …]}``, members in the order of their first declaration."""
    grouped = {}
    for d in declarations:
        grouped.setdefault(d.member, []).append(d)
    return grouped


def reviewing_organisation(user, organisation):
    """The nearest organisation above ``organisation`` where ``user`` holds the 审查人 role;
    without one (or without a user), ``organisation``'s parent. This is the committee that
    reviews, files or approves what ``organisation`` sends up."""
    if user is not None:
        held = set(Role.objects.filter(user=user, kind=RoleKind.REVIEWER).values_list("organisation_id", flat=True))
        for ancestor in reversed(organisation.ancestors()):
            if ancestor.pk in held:
                return ancestor
    return organisation.parent


def filing_organisation(review_round):
    """The committee that filed ``review_round`` (its last 审查通过并备案), else the branch's parent."""
    filing = review_round.filings.filter(outcome=FILED).order_by("-review_pass", "-pk").first()
    return filing.reviewer_organisation if filing is not None else review_round.organisation.parent


#: ``FilingDecision.outcome`` of a filed round (``reviews.models.FilingOutcome.FILED``).
FILED = "filed"
#: Who decided a disposition, from its record: a vote (应到/实到/赞成) is the 支部党员大会's.
BRANCH_ASSEMBLY, BRANCH_COMMITTEE = "支部党员大会", "支部委员会"


def decision_body(disposition):
    """``支部党员大会`` when the disposition carries a vote, else ``支部委员会``."""
    return BRANCH_ASSEMBLY if disposition.votes_for is not None else BRANCH_COMMITTEE


def item_label(declaration):
    """The rule item a declaration is under, as printed: its label, else its code."""
    return declaration.rule_item_label or declaration.rule_item or declaration.component


def inner_quotes(text):
    """``按时参加“三会一课”`` → ``按时参加‘三会一课’``: text set inside “…” takes single quotes
    for its own (GB/T 15834), so “按时参加‘三会一课’” never reads “按时参加“三会一课””."""
    return text.replace("“", "‘").replace("”", "’")


def quoted(text):
    """``“<text>”`` with the text's own quotes single and its closing full stop left to the
    sentence that quotes it: ``理由是：“…不符”。``, never ``“…不符。”。``."""
    return f"“{inner_quotes(str(text).strip().rstrip('。'))}”"


def contact_text(person, phone):
    """``联系人：王芳，联系电话：0731-85551234``; the phone part left out when unknown."""
    if phone and phone != "—":
        return _("联系人：%(person)s，联系电话：%(phone)s") % {"person": person, "phone": phone}
    return _("联系人：%(person)s") % {"person": person}


def year_label(evaluation):
    """The year an evaluation's cycle is named by: ``2025``, or ``2025—2026`` for a cycle that
    straddles two calendar years (a school year from 1 July)."""
    start, end = evaluation.cycle_start, evaluation.cycle_end
    return str(start.year) if end.year == start.year else f"{start.year}—{end.year}"


def quarter_of(day):
    """1–4: the quarter ``day`` falls in."""
    return (day.month - 1) // 3 + 1


def cn_count(n):
    """1 → 一 … 10 → 十 (五星级, 第四季度)."""
    return "零一二三四五六七八九十"[int(n)]


def cn_day(day):
    """``date(2025, 3, 6)`` → ``2025年3月6日`` (GB/T 9704 7.3.5: Arabic numerals, no leading zeros)."""
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def signed_text(value):
    """Points as a change: ``+2``, ``-1.5``, ``0``; ``""`` for ``None``."""
    if value is None:
        return ""
    text = plain_points(value)
    return f"+{text}" if Decimal(value) > 0 else text


def plain_points(value):
    """Points without sign or trailing zeros: ``Decimal("92.50")`` → ``92.5``, ``0`` → ``0``."""
    value = Decimal(value).quantize(Decimal("0.01"))
    text = format(value, "f").rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"
