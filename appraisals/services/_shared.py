"""What the year-end stage modules share: who may act, the workflow locks, input checks, documents.

Private to ``appraisals.services``; callers outside the package import the stage modules,
which re-export what they need from here (``evaluations.OWNERS``, ``evaluations.can_view``).
"""
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from documents.services import request_document as _request_document
from members.models import Member
from organisations.models import Role, RoleKind
from organisations.permissions import can_act_on, can_review
from workflow.steps import locked_process

from .. import flows
from ..errors import AppraisalErrorCode as Code

#: Who opens an evaluation, confirms the grades and decides dispositions.
OWNERS = (RoleKind.SECRETARY,)


#: The member kinds a year end evaluates.
EVALUATED_KINDS = ("party_member", "probationary", "teacher", "other")


def invalid(message, code, *, field=None, **params):
    """A ValidationError with ``code`` and ``params``, keyed by ``field`` when it concerns an input.

    ``invalid(_("请填写%(label)s。"), Code.REQUIRED, field="place", label=_("谈话地点"))`` is
    ``ValidationError({"place": ValidationError(msg, code="required", params={"label": ...})})``.
    """
    error = ValidationError(message, code=code, params=params or None)
    return ValidationError({field: error}) if field else error


def subtree_members(evaluation):
    """The active members of the evaluation's subtree that year-end evaluates (``EVALUATED_KINDS``), a queryset."""
    return Member.objects.filter(organisation__path__startswith=evaluation.organisation.path, is_active=True,
                                 kind__in=EVALUATED_KINDS)


def decimal_input(value, label, *, field, low=Decimal("0"), high=Decimal("100")):
    """``value`` as a Decimal with 2 places, ``low`` ≤ value ≤ ``high``.

    Raises ValidationError on ``field``: ``required`` (empty), ``not_a_number``, ``out_of_range``.
    """
    if value is None or value == "":
        raise invalid(_("请填写%(label)s。"), Code.REQUIRED, field=field, label=label)
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise invalid(_("%(label)s“%(v)s”不是数字。"), Code.NOT_A_NUMBER, field=field, label=label, v=value) from None
    if not number.is_finite() or number < low or number > high:
        raise invalid(_("%(label)s应在 %(low)s–%(high)s 之间，实际为 %(v)s。"), Code.OUT_OF_RANGE, field=field,
                      label=label, low=low, high=high, v=value)
    return number.quantize(Decimal("0.01"))


def count_input(value, label, *, field):
    """``value`` as a non-negative int (empty is 0).

    Raises ValidationError on ``field``: ``not_an_integer``, ``negative``.
    """
    if value is None or value == "":
        return 0
    try:
        number = int(str(value).strip())
    except ValueError:
        raise invalid(_("%(label)s“%(v)s”不是整数。"), Code.NOT_AN_INTEGER, field=field, label=label, v=value) from None
    if number < 0:
        raise invalid(_("%(label)s不能为负数（%(v)s）。"), Code.NEGATIVE, field=field, label=label, v=value)
    return number


def blank(text):
    return not (text or "").strip()


# -- who may act -------------------------------------------------------------------------------


def can_view(user, evaluation):
    """Anyone with a role on the organisation (or above) and the higher reviewers."""
    return can_act_on(user, evaluation.organisation) or can_review(user, evaluation.organisation)


def require_reviewer(user, organisation):
    """Raises PermissionDenied unless ``user`` reviews ``organisation`` from above (never itself)."""
    if not can_review(user, organisation):
        raise PermissionDenied(
            _("只有“%(org)s”的上级党组织审查人才能审批，本组织不能审批自己的评定或处置。") % {"org": organisation}
        )


def reviewer_organisation(user, organisation):
    """The nearest organisation above ``organisation`` where ``user`` reviews (issues the 批复)."""
    held = set(Role.objects.filter(user=user, kind=RoleKind.REVIEWER).values_list("organisation_id", flat=True))
    for ancestor in reversed(organisation.ancestors()):
        if ancestor.pk in held:
            return ancestor
    return organisation.parent


# -- workflow locks ----------------------------------------------------------------------------


def locked_evaluation(evaluation):
    """Hold the evaluation's workflow lock; yield fresh ``(evaluation, process)``.

    Raises ValidationError(code="no_process") or StepConflict(code="busy") (``workflow.steps``).
    """
    return locked_process(
        flows.YearEndFlow, evaluation, subject_field="evaluation_id",
        select_related=("organisation", "scheme_version__scheme"),
        missing_message=_("年终评定“%(e)s”没有对应的流程。") % {"e": evaluation},
        busy_message=_("年终评定“%(e)s”正由他人处理，请稍后再试。") % {"e": evaluation},
    )


def locked_disposition(disposition):
    """Hold the disposition's workflow lock; yield fresh ``(disposition, process)``.

    Raises ValidationError(code="no_process") when the disposition needs no approval, or
    StepConflict(code="busy") (``workflow.steps``).
    """
    return locked_process(
        flows.DisposalFlow, disposition, subject_field="disposition_id",
        select_related=("evaluation__organisation", "member", "result"),
        missing_message=_("“%(d)s”不需要上级审批，没有审批流程。") % {"d": disposition},
        busy_message=_("该处置事项正由他人处理，请稍后再试。"),
    )


# -- documents and their wording ---------------------------------------------------------------


def _addressee(member, organisation):
    """The member a document is addressed to (their own login may download it), when still below the issuer."""
    if member is None:
        return None
    path = Member.objects.filter(pk=member.pk).values_list("organisation__path", flat=True).first()
    return member if path and path.startswith(organisation.path) else None


def request_document(kind, *, organisation, context, by=None, process=None, task=None, subject_key=None,
                     member=None):
    """Queue document ``kind`` (``documents.services.request_document``), addressed to ``member`` if below."""
    return _request_document(kind, organisation=organisation, context=context, triggered_by=by,
                             process=process, task=task, subject_key=subject_key,
                             member=_addressee(member, organisation))


def person_name(user):
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def points_text(value):
    """Points for a notice: ``92.5``, ``71``."""
    value = Decimal(value).quantize(Decimal("0.01"))
    text = format(value, "f").rstrip("0").rstrip(".")
    return text or "0"
