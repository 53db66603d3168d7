"""Subtree figures over the ledger, cached until the subtree's ledger changes.

A county's ledger holds millions of entries, and a page that sums them on every request
scans them all. The ledger is append-only and every append rewrites its chain's head
(``ChainHead``) in the same transaction, so the heads of the subtree's chains (their ids,
lengths and last hashes) identify what the subtree's ledger holds: figures computed from
it stay valid while those heads are unchanged. One small query (one row per organisation
with a chain) checks that on each use.
"""
import hashlib
from array import array
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Q, Sum

from .models import SCORE_KINDS, ChainHead, LedgerEntry

ZERO = Decimal(0)


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


def signed_totals(organisation, cycle_start, signer):
    """``(by member, by organisation)`` of the subtree's ledgers in one cycle, each component signed by
    the scheme in force for ``organisation`` (``signer``: a ``ledger.signs.Signer``; a deduction
    recorded as 2 counts -2): ``{member_id: score}`` over the members with score entries
    (``SCORE_KINDS``) and ``{organisation_id: all points}`` over the ledgers (every kind), as
    Decimals. Worked out from :func:`subtree_sums` and cached with it (also keyed by the scheme
    version that signs them): a county's 180,000 sums are signed once, not on every page view.
    The cache keeps the figures as whole hundredths (ledger points have two places), which load
    several times faster than 30,000 pickled Decimals.
    """
    version = signer.version(organisation, cycle_start)

    def compute():
        by_member, by_org, signing = {}, {}, {}
        for org_id, member_id, component, score, every in subtree_sums(organisation, cycle_start):
            sign = signing.get(component)
            if sign is None:
                sign = signing[component] = signer.signing(organisation, cycle_start, component)
            if score is not None:
                by_member[member_id] = by_member.get(member_id, ZERO) + sign(score)
            if every is not None:
                by_org[org_id] = by_org.get(org_id, ZERO) + sign(every)
        return _packed(by_member), _packed(by_org)

    members, orgs = _cached("signed-totals", organisation, compute, cycle_start,
                            version.pk if version is not None else "-")
    return _unpacked(members), _unpacked(orgs)


def _packed(figures):
    """``{key: Decimal}`` as ``(keys, hundredths)`` (two arrays); as it is if a figure has more places."""
    hundredths = array("q")
    for value in figures.values():
        scaled = value.scaleb(2)
        if scaled != scaled.to_integral_value():
            return figures
        hundredths.append(int(scaled))
    return array("q", figures), hundredths


def _unpacked(packed):
    if isinstance(packed, dict):
        return packed
    keys, hundredths = packed
    return {key: Decimal(n).scaleb(-2) for key, n in zip(keys, hundredths)}
