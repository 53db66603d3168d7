"""Scores as people read them: each component's recorded magnitudes signed by the scheme.

Ledger entries keep points as recorded magnitudes per component (what the year-end engine
reads, signing them itself); a deduction of 2 is stored as 2. What a screen, an export or the
API shows as a member's score is the signed movement: each component total signed by the
scheme in force for the organisation whose ledger holds it, on the first day of the entries'
cycle (``schemes.signs``; without a scheme the component ``deduction`` counts negatively).
"""
from decimal import Decimal

from django.db.models import Sum

from organisations.models import Organisation
from schemes import signs
from schemes.models import SchemeVersion

from .models import SCORE_KINDS, TWO_PLACES, LedgerEntry

ZERO = Decimal("0.00")


class Signer:
    """Signs ``(organisation, cycle_start, component, points)``; one scheme lookup per organisation and
    cycle, the sign rule worked out once per organisation, cycle and component (a county's dashboard
    signs 180,000 totals)."""

    def __init__(self):
        self._versions = {}
        self._signings = {}

    def version(self, organisation, cycle_start):
        key = (organisation.pk, cycle_start)
        if key not in self._versions:
            self._versions[key] = SchemeVersion.objects.in_force(organisation, cycle_start)
        return self._versions[key]

    def signing(self, organisation, cycle_start, component):
        """The sign rule of ``component`` as a function of the points (``schemes.signs.signing``)."""
        key = (organisation.pk, cycle_start, component)
        signing = self._signings.get(key)
        if signing is None:
            signing = self._signings[key] = signs.signing(self.version(organisation, cycle_start), component)
        return signing

    def sign(self, organisation, cycle_start, component, points):
        if points is None:
            return None
        return self.signing(organisation, cycle_start, component)(points)


def _organisations(ids):
    return Organisation.objects.in_bulk(list(ids))


def _signed_rows(rows, signer):
    rows = list(rows)
    organisations = _organisations({row["organisation_id"] for row in rows})
    for row in rows:
        org = organisations[row["organisation_id"]]
        yield row, signer.sign(org, row["cycle_start"], row["component"], row["total"])


def signed_component_totals(member, cycle_start, signer=None) -> dict[str, Decimal]:
    """``{component: signed points}`` of the member's score for the cycle, components in name order."""
    rows = (
        LedgerEntry.objects.filter(member=member, cycle_start=cycle_start, kind__in=SCORE_KINDS)
        .values("organisation_id", "cycle_start", "component")
        .annotate(total=Sum("points"))
        .order_by("component")
    )
    totals: dict[str, Decimal] = {}
    for row, signed in _signed_rows(rows, signer or Signer()):
        totals[row["component"]] = totals.get(row["component"], ZERO) + signed
    return {component: total.quantize(TWO_PLACES) for component, total in totals.items()}


def signed_balance(member, cycle_start=None, signer=None) -> Decimal:
    """The member's score as it reads (deductions negative): all cycles unless ``cycle_start`` is given."""
    queryset = LedgerEntry.objects.filter(member=member, kind__in=SCORE_KINDS)
    if cycle_start is not None:
        queryset = queryset.filter(cycle_start=cycle_start)
    rows = queryset.values("organisation_id", "cycle_start", "component").annotate(total=Sum("points")).order_by()
    return sum((signed for _row, signed in _signed_rows(rows, signer or Signer())), ZERO).quantize(TWO_PLACES)


def signed_entry_points(entry, signer=None):
    """One entry's points as they move the member's score."""
    return (signer or Signer()).sign(entry.organisation, entry.cycle_start, entry.component, entry.points)


def signed_row_total(organisation, cycle_start, components, signer=None) -> Decimal:
    """A ``ledger.services.BranchRow``'s total with each component signed (``components``: ``{name: points}``).

    The row's points are recorded in ``organisation``'s subtree; the scheme in force for
    ``organisation`` on ``cycle_start`` signs them.
    """
    signer = signer or Signer()
    return sum((signer.sign(organisation, cycle_start, c, p) for c, p in components.items()), ZERO).quantize(TWO_PLACES)
