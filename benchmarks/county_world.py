"""bench_county's ``--reuse`` (the county an earlier run built, found again instead of rebuilt), its raw
connection and the ledger hash its baselines write out independently."""
import datetime
import hashlib
import json
import sys
import types
from decimal import Decimal


def reuse(members):
    """The county built by an earlier run (``--reuse``): its world, without rebuilding it."""
    from django.contrib.auth import get_user_model

    from ledger.models import LedgerEntry
    from members.models import Member
    from organisations.models import Organisation

    county = Organisation.objects.filter(code="bench-county").first()
    if county is None:
        sys.exit("--reuse: no county built yet; run once without --reuse")
    User = get_user_model()
    branches = list(Organisation.objects.filter(parent=county, code__regex=r"^bench-b[0-9]+$").order_by("pk"))
    found = Member.objects.filter(organisation__in=branches).count()
    if found != members:
        sys.exit(f"--reuse: the built county has {found} members, not {members}; run without --reuse")
    return types.SimpleNamespace(county=county, branches=branches,
                                 county_secretary=User.objects.get(username="bench-county-secretary"),
                                 reviewer=User.objects.get(username="bench-reviewer"),
                                 secretary=User.objects.get(username="bench-secretary"), members=members,
                                 entries=LedgerEntry.objects.filter(organisation__in=branches).count())


def raw_connection():
    """The psycopg connection under Django's (connected)."""
    from django.db import connection

    connection.ensure_connection()
    return connection.connection


def hash_values(org, seq, member, cycle, component, points, occurred, kind, source, ref, corrects, note, by, at, prev):
    """The ledger's canonical hash (ledger.models), written out independently for the baselines."""
    at = at.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    payload = {"v": 1, "organisation": org, "seq": seq, "member": member, "cycle_start": cycle.isoformat(),
               "component": component, "points": str(Decimal(points).quantize(Decimal("0.01"))),
               "occurred_on": occurred.isoformat(), "kind": kind, "source": source, "source_ref": ref,
               "corrects": corrects, "note": note, "recorded_by": by,
               "recorded_at": at.strftime("%Y-%m-%dT%H:%M:%S.%fZ"), "prev_hash": prev}
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
                          .encode("utf-8")).hexdigest()


def add_to_totals(totals, org, member, cycle, component, points, occurred):
    """The ledger's per-quarter totals (ledger.totals), written out independently for the
    ``verify_ledger`` baseline: ``totals[(org, member, cycle, component)]`` becomes ``[q1, q2, q3,
    q4, other, entries, lowest, highest, first_on, last_on]`` as ``ledger_scoretotal`` stores them."""
    months = (occurred.year - cycle.year) * 12 + occurred.month - cycle.month - (occurred.day < cycle.day)
    slot = months // 3 if 0 <= months < 12 else 4
    total = totals.get((org, member, cycle, component))
    if total is None:
        total = totals[org, member, cycle, component] = [None] * 5 + [0, points, points, occurred, occurred]
    total[slot] = points if total[slot] is None else total[slot] + points
    total[5] += 1
    total[6], total[7] = min(total[6], points), max(total[7], points)
    total[8], total[9] = min(total[8], occurred), max(total[9], occurred)
