"""Per-quarter totals of the score entries (``ScoreTotal``), kept beside the ledger.

``record`` adds newly appended entries to their chain's totals (``ledger.services`` calls it
under the chain lock, in the transaction that appends them); ``tally`` adds up entries from
scratch (``verify_ledger`` compares it with the stored totals; ``backfill`` fills the table
with it). A total is keyed ``(member_id, cycle_start, component)`` within its chain and holds
the values of ``VALUE_FIELDS``: ``[q1, q2, q3, q4, other, entries, lowest, highest, first_on,
last_on]`` (a quarter without entries is ``None``).
"""
import itertools

from scoring_engine.cycle import Cycle

from .models import SCORE_KINDS, ScoreTotal

#: The fields of a total after its key, in the order of a tally's values.
VALUE_FIELDS = ("q1", "q2", "q3", "q4", "other", "entries", "lowest", "highest", "first_on", "last_on")
#: The quarters a total keeps apart (``q1``–``q4``); the others' points go to ``other``.
QUARTERS = 4
_OTHER, _ENTRIES, _LOWEST, _HIGHEST, _FIRST, _LAST = range(QUARTERS, QUARTERS + 6)


def quarter_of(cycle_start, day):
    """The 0-based quarter of ``day`` counted from ``cycle_start`` as the scoring engine counts it
    (``scoring_engine.cycle.Cycle.quarter_of``: Jan–Mar is 0 of a calendar year); an int, below 0
    for a day before the cycle."""
    return Cycle(cycle_start, cycle_start).quarter_of(day)


def tally(rows, totals=None):
    """Add up score entries given as ``(member_id, cycle_start, component, points, occurred_on)``.

    Returns (or extends) ``totals``: ``{(member_id, cycle_start, component): [q1, q2, q3, q4,
    other, entries, lowest, highest, first_on, last_on]}``; points are Decimal, the caller
    filters the kinds (``SCORE_KINDS``).
    """
    totals = {} if totals is None else totals
    slots = {}
    for member_id, cycle_start, component, points, occurred_on in rows:
        slot = slots.get((cycle_start, occurred_on))
        if slot is None:
            q = quarter_of(cycle_start, occurred_on)
            slot = slots[cycle_start, occurred_on] = q if 0 <= q < QUARTERS else _OTHER
        key = (member_id, cycle_start, component)
        total = totals.get(key)
        if total is None:
            total = totals[key] = [None] * QUARTERS + [None, 1, points, points, occurred_on, occurred_on]
            total[slot] = points
            continue
        total[slot] = points if total[slot] is None else total[slot] + points
        total[_ENTRIES] += 1
        if points < total[_LOWEST]:
            total[_LOWEST] = points
        elif points > total[_HIGHEST]:
            total[_HIGHEST] = points
        if occurred_on < total[_FIRST]:
            total[_FIRST] = occurred_on
        elif occurred_on > total[_LAST]:
            total[_LAST] = occurred_on
    return totals


def stored(organisation_ids):
    """The stored totals of the organisations: ``{organisation_id: {key: [values]}}`` (as :func:`tally`)."""
    found = {}
    rows = ScoreTotal.objects.filter(organisation_id__in=organisation_ids).values_list(
        "organisation_id", "member_id", "cycle_start", "component", *VALUE_FIELDS)
    for organisation_id, member_id, cycle_start, component, *values in rows.iterator(chunk_size=5000):
        found.setdefault(organisation_id, {})[(member_id, cycle_start, component)] = values
    return found


def _merged(total, added):
    """``total``'s values (a list as :func:`tally`'s) with ``added`` added to them."""
    merged = [a if t is None else t if a is None else t + a for t, a in zip(total[:_ENTRIES], added[:_ENTRIES])]
    return merged + [total[_ENTRIES] + added[_ENTRIES], min(total[_LOWEST], added[_LOWEST]),
                     max(total[_HIGHEST], added[_HIGHEST]), min(total[_FIRST], added[_FIRST]),
                     max(total[_LAST], added[_LAST])]


def record(organisation_id, entries):
    """Add appended ``entries`` (LedgerEntry instances of one chain) to the chain's stored totals.

    The caller holds the chain lock (``ledger.services``) inside the transaction that appended
    them; entries of other kinds than ``SCORE_KINDS`` are left out. Three queries at most: the
    totals already stored for the entries' members, one update of those that change, one
    insert of the new ones.
    """
    added = tally((e.member_id, e.cycle_start, e.component, e.points, e.occurred_on)
                  for e in entries if e.kind in SCORE_KINDS)
    if not added:
        return
    existing = {(t.member_id, t.cycle_start, t.component): t for t in ScoreTotal.objects.filter(
        organisation_id=organisation_id, member_id__in={key[0] for key in added},
        cycle_start__in={key[1] for key in added}, component__in={key[2] for key in added})}
    changed, new = [], []
    for key, values in added.items():
        total = existing.get(key)
        if total is None:
            new.append(ScoreTotal(organisation_id=organisation_id, member_id=key[0], cycle_start=key[1],
                                  component=key[2], **dict(zip(VALUE_FIELDS, values))))
            continue
        for name, value in zip(VALUE_FIELDS, _merged([getattr(total, name) for name in VALUE_FIELDS], values)):
            setattr(total, name, value)
        changed.append(total)
    if changed:
        ScoreTotal.objects.bulk_update(changed, VALUE_FIELDS, batch_size=500)
    if new:
        ScoreTotal.objects.bulk_create(new, batch_size=1000)


def first_difference(expected, found):
    """The first key whose stored total differs from the entries' tally, as ``(key, expected values
    or None, stored values or None)``; ``None`` when every total matches (both as :func:`tally`)."""
    if expected == found:
        return None
    for key in sorted(expected.keys() | found.keys()):
        want, have = expected.get(key), found.get(key)
        if want is None or have is None or list(want) != list(have):
            return key, want, have
    return None


def backfill(entry_model=None, total_model=None):
    """Fill the totals from every score entry, chain by chain (the totals must be empty).

    For the migration that created ``ScoreTotal`` (it passes its historical models) and for
    ledgers written without ``ledger.services`` (``benchmarks/bench_county.py`` COPYs its county).
    Returns the number of totals written.
    """
    entry_model = entry_model or ScoreTotal._meta.apps.get_model("ledger", "LedgerEntry")
    total_model = total_model or ScoreTotal
    rows = entry_model.objects.filter(kind__in=[str(kind) for kind in SCORE_KINDS]).order_by(
        "organisation_id").values_list("organisation_id", "member_id", "cycle_start", "component", "points",
                                       "occurred_on").iterator(chunk_size=10000)
    written = 0
    for organisation_id, chain in itertools.groupby(rows, key=lambda row: row[0]):
        found = tally(row[1:] for row in chain)
        total_model.objects.bulk_create([
            total_model(organisation_id=organisation_id, member_id=key[0], cycle_start=key[1], component=key[2],
                        **dict(zip(VALUE_FIELDS, values))) for key, values in found.items()], batch_size=2000)
        written += len(found)
    return written
