"""bench_county's county: built (:func:`build`), or found again instead of rebuilt (``--reuse``), its raw
connection and the ledger hash its baselines write out independently."""
import datetime
import hashlib
import json
import random
import sys
import types
from decimal import Decimal

CYCLE = datetime.date(2025, 1, 1)
COMPONENTS = (("base", 1, 3, 9), ("bonus", 1, 3, 8), ("deduction", 1, 3, 1))
GENESIS = "0" * 64


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


def build(members, entries_per_member, seed=2025):
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from ledger.totals import VALUE_FIELDS, tally
    from members.models import Member
    from organisations.models import Organisation, OrganisationKind, Role, RoleKind

    rng = random.Random(seed)
    county = Organisation.objects.create(name="测试县委", short_name="测试县委", kind=OrganisationKind.COMMITTEE,
                                         code="bench-county")
    branches_n = max(2, round(members * 640 / 30_000))
    branches = Organisation.objects.bulk_create([
        Organisation(name=f"第{i + 1}党支部", short_name=f"{i + 1}支", kind=OrganisationKind.BRANCH, parent=county,
                     code=f"bench-b{i:04d}") for i in range(branches_n)])
    Organisation.objects.filter(parent=county).update(path=county.path)  # then the own id appended
    with raw_connection().cursor() as cursor:
        cursor.execute("UPDATE organisations_organisation SET path = path || id || '/' WHERE parent_id = %s",
                       (county.pk,))
    branches = list(Organisation.objects.filter(parent=county).order_by("pk"))
    User = get_user_model()
    county_secretary = User.objects.create_user("bench-county-secretary")
    reviewer = User.objects.create_user("bench-reviewer")
    secretary = User.objects.create_user("bench-secretary")
    Role.objects.bulk_create([Role(user=county_secretary, organisation=county, kind=RoleKind.SECRETARY),
                              Role(user=reviewer, organisation=county, kind=RoleKind.REVIEWER)]
                             + [Role(user=secretary, organisation=b, kind=RoleKind.SECRETARY) for b in branches])
    Member.objects.bulk_create([
        Member(organisation=branches[i % branches_n], name=f"党员{i:05d}", phone=f"139{i:08d}")
        for i in range(members)], batch_size=5000)
    member_rows = list(Member.objects.values_list("pk", "organisation_id").order_by("pk"))

    # The ledger: entries_per_member per member in the member's branch chain, COPY'd.
    choices = [(name, low, high) for name, low, high, weight in COMPONENTS for _ in range(weight)]
    days = [CYCLE + datetime.timedelta(days=n) for n in range(365)]
    by_branch = {}
    for member_id, org_id in member_rows:
        by_branch.setdefault(org_id, []).append(member_id)
    now = timezone.now()
    columns = ("organisation_id", "seq", "member_id", "cycle_start", "component", "points", "occurred_on", "kind",
               "source", "source_ref", "corrects_id", "note", "recorded_by_id", "recorded_at", "prev_hash",
               "entry_hash")
    heads, totals = [], []
    # Each entry's canonical JSON (ledger.models) from a template of its fixed parts, which the
    # baselines' hash_values (json.dumps) confirms on each chain's first entry: building is not
    # timed, but it is most of a small county's run.
    at = now.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    template = ('{{"component":"{}","corrects":null,"cycle_start":"' + CYCLE.isoformat() + '","kind":"posted",'
                '"member":{},"note":"","occurred_on":"{}","organisation":{},"points":"{}.00","prev_hash":"{}",'
                '"recorded_at":"' + at + '","recorded_by":null,"seq":{},"source":"review","source_ref":"{}",'
                '"v":1}}')
    day_texts = [(day, day.isoformat()) for day in days]
    conn = raw_connection()
    with conn.cursor() as cursor:
        with cursor.copy(f"COPY ledger_ledgerentry ({', '.join(columns)}) FROM STDIN") as copy:
            for org_id, ids in by_branch.items():
                prev, seq, scored = GENESIS, 0, []
                for member_id in ids:
                    for _ in range(entries_per_member):
                        name, low, high = rng.choice(choices)
                        seq += 1
                        whole = rng.randint(low, high)
                        day, day_text = rng.choice(day_texts)
                        ref = f"bench/{org_id}/{seq}"
                        entry_hash = hashlib.sha256(template.format(name, member_id, day_text, org_id, whole, prev,
                                                                    seq, ref).encode()).hexdigest()
                        points = Decimal(whole)
                        if seq == 1:
                            assert entry_hash == hash_values(org_id, seq, member_id, CYCLE, name, points, day,
                                                             "posted", "review", ref, None, "", None, now, prev)
                        copy.write_row((org_id, seq, member_id, CYCLE, name, points, day, "posted", "review", ref,
                                        None, "", None, now, prev, entry_hash))
                        scored.append((member_id, CYCLE, name, points, day))
                        prev = entry_hash
                heads.append((org_id, seq, prev))
                totals.extend((org_id, *key, *values) for key, values in tally(scored).items())
        cursor.executemany("INSERT INTO ledger_chainhead (organisation_id, seq, entry_hash, signature) "
                           "VALUES (%s, %s, %s, '')", heads)
        # The ledger's totals, as ledger.services keeps them when posting (ledger.totals.tally per chain).
        total_columns = ("organisation_id", "member_id", "cycle_start", "component", *VALUE_FIELDS)
        with cursor.copy(f"COPY ledger_scoretotal ({', '.join(total_columns)}) FROM STDIN") as copy:
            for row in totals:
                copy.write_row(row)
    with raw_connection().cursor() as cursor:
        # As a live county's tables are: vacuumed and analysed (otherwise autovacuum starts on the
        # 1.8M new entries in the middle of the measurements, on the same cores), and checkpointed
        # (otherwise the checkpoint the build's WAL asked for writes its pages during them).
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("CHECKPOINT")
    return types.SimpleNamespace(county=county, branches=branches, county_secretary=county_secretary,
                                 reviewer=reviewer, secretary=secretary, members=members,
                                 entries=members * entries_per_member)
