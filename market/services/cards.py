"""The 户积分卡 (from the ledger) and the 家庭积分码: a household's code and the QR image of its page.

The code is the household's id signed with the site's secret (``django.core.signing``): it
cannot be guessed from another household's code, and it opens nothing by itself — the page it
leads to asks for a login holding a role over the household's village (:data:`HOUSEHOLD_READERS`).
"""
from django.core import signing

from documents import services as documents
from documents.kinds import household_card
from documents.models import GeneratedDocument
from documents.permissions import can_view
from documents.rendering import qr_png
from members.models import Member
from organisations.models import RoleKind
from organisations.permissions import require
from workdays.clock import local_today

from .common import HOUSEHOLD_READERS, VILLAGE_STAFF

_SIGNER = signing.Signer(salt="market.household-code")
#: Who issues a household's card: the village staff and the household's grid worker (篇十六 l.1223
#: 网格员 "建立好……户主积分卡").
CARD_ISSUERS = (*VILLAGE_STAFF, RoleKind.GRID_WORKER)


def household_code(household):
    """The 家庭积分码 of ``household``: ``"<id>:<signature>"``, stable for the household."""
    return _SIGNER.sign(str(household.pk))


def household_for_code(code):
    """The ``Member`` a code names, or None for a code that was not signed here."""
    try:
        pk = int(_SIGNER.unsign(str(code)))
    except (signing.BadSignature, ValueError):
        return None
    return Member.objects.select_related("organisation").filter(pk=pk).first()


def code_png(url):
    """The QR image (PNG bytes) of a household page's absolute ``url``."""
    return qr_png(url)


def village_of(household):
    """The village a household's points are kept by: its 行政村, else the organisation reviewing it."""
    organisation = household.organisation
    return organisation.village() or organisation.reviewing_organisation()


def issue_card(household, *, by, cycle_start=None):
    """Request the 户积分卡 of ``household`` from its ledger entries; returns the ``GeneratedDocument``.

    ``cycle_start`` limits the card to one cycle (default: the cycle of the latest entries, or
    this year). Asking again makes a new version of the same card.

    Raises:
        PermissionDenied: ``by`` is neither staff of the household's village nor its grid worker.
    """
    require(by, household.organisation, CARD_ISSUERS)
    if cycle_start is None:
        latest = household.ledger_entries.filter(cycle_start__lte=local_today()).order_by("-cycle_start").first()
        cycle_start = latest.cycle_start if latest is not None else local_today().replace(month=1, day=1)
    village = village_of(household)
    return documents.request_document(
        household_card.SPEC.key, organisation=village,
        context=household_card.build_context(household, cycle_start),
        triggered_by=by, subject_key=f"household:{household.pk}:card:{cycle_start.isoformat()}", member=household,
    )


def latest_card(household, user):
    """The household's newest 户积分卡 ``user`` may open (``documents.permissions.can_view``), or None."""
    for document in GeneratedDocument.objects.filter(
        kind=household_card.SPEC.key, member=household,
    ).select_related("organisation", "member").order_by("-pk")[:5]:
        if can_view(user, document):
            return document
    return None


def require_reader(user, household):
    """Raise PermissionDenied unless ``user`` may open the household's page."""
    require(user, household.organisation, HOUSEHOLD_READERS)


__all__ = ["household_code", "household_for_code", "code_png", "issue_card", "latest_card", "require_reader",
           "village_of"]
