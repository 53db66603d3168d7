"""bench_county's ``posting_county``: one county quarter posted to the ledger, branches in parallel.

Every branch of the built county gets a filed round in ``posting`` with ``--quarter-entries``
(15) approved declarations per member (450,000 at 30,000 members), created in bulk and not
timed. Then the rounds are split across ``--processes`` (2) worker processes, each posting
its branches' rounds one after another (``reviews.services.posting.post_round``, one
transaction per round: each branch has its own chain). Printed::

    posting_county product=<seconds> baseline=<one process's share at the posting line's rate> ratio=…
        entries=… rate=<entries/s> processes=… under_10_min=<yes|no>

``baseline`` is the time the same entries would take at the single-round ``posting`` rate
divided over the processes, so the ratio shows what parallel posting loses (or gains).
"""
import datetime
import multiprocessing
import time
from decimal import Decimal

START = datetime.date(2026, 7, 1)
END = datetime.date(2026, 9, 30)


def prepare(world, per_member):
    """A round in ``posting`` per branch with ``per_member`` approved declarations per member; ``[(round id, n)]``."""
    from members.models import Member
    from reviews.models import Declaration, ReporterKind, ReviewRound, RoundStatus

    rounds = ReviewRound.objects.bulk_create([
        ReviewRound(organisation=branch, period_start=START, period_end=END, cycle_start=datetime.date(2026, 1, 1),
                    status=RoundStatus.POSTING, opened_by=world.secretary) for branch in world.branches])
    round_of = {rr.organisation_id: rr for rr in rounds}
    counts = dict.fromkeys((rr.pk for rr in rounds), 0)
    batch = []
    members = Member.objects.filter(organisation__in=world.branches).values_list("pk", "organisation_id")
    for member_id, org_id in members.iterator(chunk_size=5000):
        rr = round_of[org_id]
        for i in range(per_member):
            points = Decimal(1 + i % 3)
            batch.append(Declaration(
                organisation_id=org_id, member_id=member_id, reporter_kind=ReporterKind.CLERK,
                declared_by=world.secretary, component="bonus" if i % 7 else "deduction", rule_item="B-03",
                rule_item_label="志愿服务", points=points, occurred_on=START + datetime.timedelta(days=i * 5),
                description="参加社区防火巡查", status="approved", review_round=rr, decided_points=points,
                decided_by=world.secretary))
            counts[rr.pk] += 1
        if len(batch) >= 20_000:
            Declaration.objects.bulk_create(batch, batch_size=5000)
            batch = []
    Declaration.objects.bulk_create(batch, batch_size=5000)
    return list(counts.items())


def _post_rounds(round_ids):
    """One worker process: post each round in its own transaction; returns the entries written."""
    from django.db import connection, transaction

    from reviews.models import ReviewRound
    from reviews.services.posting import post_round

    written = 0
    try:
        for rr in ReviewRound.objects.filter(pk__in=round_ids).select_related("organisation").order_by("pk"):
            with transaction.atomic():
                written += post_round(rr)
    finally:
        connection.close()
    return written


def measure(world, line, posting_rate, per_member=15, processes=2):
    from django.db import connections

    rounds = prepare(world, per_member)
    total = sum(n for _pk, n in rounds)
    # Branches dealt out so that each process gets about as many entries.
    shares, loads = [[] for _ in range(processes)], [0] * processes
    for pk, n in sorted(rounds, key=lambda r: -r[1]):
        lightest = loads.index(min(loads))
        shares[lightest].append(pk)
        loads[lightest] += n
    connections.close_all()  # the workers are forked: each opens its own connection
    began = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        written = sum(pool.map(_post_rounds, shares))
    product = time.perf_counter() - began
    assert written == total, (written, total)
    baseline = total / posting_rate / processes
    line("posting_county", product, baseline, entries=total, rate=f"{total / product:.0f}/s", processes=processes,
         under_10_min="yes" if product < 600 else "no")
