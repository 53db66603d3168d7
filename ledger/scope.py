"""Which organisation and which cycle a screen shows: the user's part of the tree, and the
assessment cycles that have ledger entries."""
import datetime

from django.db.models import Max

from members import roles
from organisations.models import Organisation
from safeguards.params import int_param
from workdays.clock import local_today

from .models import LedgerEntry
from .summary import subtree_cycles


def top_organisations(user):
    """The user's visible organisations that have no visible ancestor (the roots of their view)."""
    orgs = list(roles.visible_organisations(user).order_by("path"))
    roots = []
    for org in orgs:
        if not any(org.path.startswith(r.path) for r in roots):
            roots.append(org)
    return roots


def chosen_organisation(request, queryset=None):
    """The organisation picked with ``?org=<id>``, limited to what the user may see; else the first root."""
    visible = queryset if queryset is not None else roles.visible_organisations(request.user)
    org_id = int_param(request.GET, "org")
    if org_id is not None:
        found = visible.filter(pk=org_id).first()
        if found is not None:
            return found
    roots = top_organisations(request.user)
    return roots[0] if roots else None


def default_cycle_start(organisation=None, member=None):
    """The latest cycle with ledger entries (for the member or the subtree), else 1 January this year."""
    today = local_today()
    if member is None and organisation is not None:  # cached until the subtree's ledger changes
        latest = next((c for c in subtree_cycles(organisation) if c <= today), None)
        return latest or datetime.date(today.year, 1, 1)
    qs = LedgerEntry.objects.all()
    if member is not None:
        qs = qs.filter(member=member)
    latest = qs.filter(cycle_start__lte=today).aggregate(m=Max("cycle_start"))["m"]
    return latest or datetime.date(today.year, 1, 1)


def cycle_choices(organisation=None, member=None):
    if member is None and organisation is not None:  # cached until the subtree's ledger changes
        return subtree_cycles(organisation)
    qs = LedgerEntry.objects.all()
    if member is not None:
        qs = qs.filter(member=member)
    # DISTINCT in the database (order_by() drops the model's ordering, which would defeat it): a
    # handful of rows, not every entry of the subtree (1.8 million in a county) read into Python.
    return sorted(qs.order_by().values_list("cycle_start", flat=True).distinct(), reverse=True)


def chosen_cycle(request, organisation=None, member=None):
    raw = request.GET.get("cycle")
    if raw:
        try:
            return datetime.date.fromisoformat(raw)
        except ValueError:
            pass
    return default_cycle_start(organisation, member)


__all__ = ["Organisation", "top_organisations", "chosen_organisation", "chosen_cycle", "cycle_choices"]
