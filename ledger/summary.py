"""Subtree figures over the ledger, cached until the subtree's ledger changes.

A county's ledger holds millions of entries, and a page that sums them on every request
scans them all. The ledger is append-only and every append rewrites its chain's head
(``ChainHead``) in the same transaction, so the heads of the subtree's chains (their ids,
lengths and last hashes) identify what the subtree's ledger holds: figures computed from
it stay valid while those heads are unchanged. One small query (one row per organisation
with a chain) checks that on each use.
"""
import hashlib

from django.core.cache import cache
from django.db.models import Q, Sum

from .models import SCORE_KINDS, ChainHead, LedgerEntry


def ledger_version(organisation):
    """A digest of the heads of ``organisation``'s subtree's chains (changes with every append)."""
    heads = (ChainHead.objects.filter(organisation__path__startswith=organisation.path)
             .order_by("organisation_id").values_list("organisation_id", "seq", "entry_hash"))
    digest = hashlib.sha256(organisation.path.encode())
    for org_id, seq, entry_hash in heads:
        digest.update(f"{org_id}:{seq}:{entry_hash};".encode())
    return digest.hexdigest()


def _cached(name, organisation, compute, *extra):
    key = "jifen:ledger-summary:" + hashlib.sha256(
        "|".join([name, str(organisation.pk), ledger_version(organisation), *map(str, extra)]).encode()).hexdigest()
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, timeout=24 * 3600)
    return found


def subtree_cycles(organisation):
    """The cycle starts that have entries in the subtree's ledgers, newest first."""
    def compute():
        qs = LedgerEntry.objects.filter(organisation__path__startswith=organisation.path)
        # DISTINCT in the database (order_by() drops the model's ordering, which would defeat it)
        return sorted(qs.order_by().values_list("cycle_start", flat=True).distinct(), reverse=True)
    return _cached("cycles", organisation, compute)


def subtree_sums(organisation, cycle_start):
    """``[(organisation_id, member_id, component, score points, all points)]`` of the subtree's ledgers
    in one cycle, one row per ledger, member and component (points are recorded as written; the
    scheme signs them by component, ``ledger.signs``): score points count ``SCORE_KINDS`` (as
    balances and results do), all points every kind. One ``SUM … GROUP BY`` when not cached."""
    def compute():
        return list(
            LedgerEntry.objects.for_subtree(organisation).filter(cycle_start=cycle_start)
            .values_list("organisation_id", "member_id", "component")
            .annotate(score=Sum("points", filter=Q(kind__in=SCORE_KINDS)), every=Sum("points"))
            .values_list("organisation_id", "member_id", "component", "score", "every").order_by()
        )
    return _cached("sums-by-component", organisation, compute, cycle_start)
