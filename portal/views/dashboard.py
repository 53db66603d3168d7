"""统计: totals histogram, branches compared, rounds by step, overdue and soon-due objections, documents.

Charts are inline SVG drawn on the server (portal.charts); every chart also lists its
numbers in text, and a table follows for screen readers and printing.
"""
import math
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import render
from django.utils.translation import gettext as _

from documents.kinds import KINDS
from documents.models import GeneratedDocument
from ledger import scope, summary
from ledger import signs as ledger_signs
from members import roles
from members.models import Member
from reviews.deadlines import panel_for
from reviews.models import ReviewRound, RoundStatus, local_today

from .. import charts


def total_bins(values, count=6):
    """Equal-width integer bins covering ``values``: ``[(label, low, high), ...]``."""
    if not values:
        return []
    low = math.floor(min(values))
    high = math.floor(max(values)) + 1
    width = max(1, math.ceil((high - low) / count))
    # Round the width to a friendly step (1, 2, 5, 10, 20, 50, ...).
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 500, 1000):
        if width <= step:
            width = step
            break
    start = (low // width) * width
    bins = []
    edge = start
    while edge < high:
        bins.append((f"{edge}–{edge + width - 1}" if width > 1 else f"{edge}", Decimal(edge), Decimal(edge + width)))
        edge += width
    return bins


def member_totals(organisation, sums):
    """Each member's cycle total as ``ledger.services.branch_table`` counts it (``SCORE_KINDS`` points
    recorded in the subtree's ledgers; every active member of the subtree, with 0 if none), each
    component signed as the scheme counts it (a deduction recorded as 2 counts -2; ``ledger.signs``):
    plain Decimals, no rows. ``sums``: the signed sums by member of ``ledger.summary.signed_totals``
    (cached until the ledger changes); one query for the active members' ids, whatever the number of
    members.
    """
    active = Member.objects.filter(organisation__path__startswith=organisation.path, is_active=True)
    zero = Decimal("0.00")
    totals = [total.quantize(zero) for total in sums.values()]
    totals += [zero for pk in active.values_list("pk", flat=True).order_by() if pk not in sums]
    return totals


def branch_comparison(organisation, cycle_start, signer=None, signed=None):
    """Per branch (organisations of kind branch in the subtree, or the children): members, total, average.

    A constant number of queries whatever the number of branches: the branches, the ledger's signed
    sums (``ledger.summary``, cached until the ledger changes), the organisations' paths and the
    member counts; each organisation's figures go to the branches on its path. ``signed``: the signed
    sums already read.
    """

    branches = list(organisation.subtree().filter(kind="branch", is_active=True))
    if not branches:
        branches = [organisation]
    signer = signer or ledger_signs.Signer()  # scores as they read: a deduction recorded as 2 counts -2
    _by_member, by_org = signed or summary.signed_totals(organisation, cycle_start, signer)
    paths = dict(organisation.subtree().values_list("pk", "path"))
    sums = [(paths[org_id], total) for org_id, total in by_org.items() if org_id in paths]
    counts = (
        Member.objects.filter(organisation__path__startswith=organisation.path, is_active=True)
        .values_list("organisation__path").annotate(n=Count("pk")).values_list("organisation__path", "n")
        .order_by()
    )
    by_id = {b.pk: b for b in branches}
    totals = {b.pk: Decimal(0) for b in branches}
    members = {b.pk: 0 for b in branches}

    def _branches_on(path):
        return [int(p) for p in path.strip("/").split("/") if p and int(p) in by_id]

    for path, total in sums:
        for pk in _branches_on(path):
            totals[pk] += total or 0
    for path, n in counts:
        for pk in _branches_on(path):
            members[pk] += n
    rows = []
    for b in branches:
        total, count = totals[b.pk], members[b.pk]
        average = (total / count).quantize(Decimal("0.01")) if count else Decimal(0)
        rows.append({"organisation": b, "name": b.name, "members": count, "total": total, "average": average})
    return rows


def documents_summary(organisations):
    """``[(kind label, count)]`` of generated documents."""

    field_names = {f.name for f in GeneratedDocument._meta.get_fields()}
    qs = GeneratedDocument.objects.all()
    if "organisation" in field_names:
        qs = qs.filter(organisation__in=organisations)
    key = "kind" if "kind" in field_names else None
    if key is None:
        return [(_("文书"), qs.count())]
    rows = qs.values(key).annotate(n=Count("pk")).order_by(key)
    return [(str(KINDS[r[key]].description) if r[key] in KINDS else r[key], r["n"]) for r in rows]


@login_required
def dashboard(request):
    if not roles.has_any_role(request.user):
        raise PermissionDenied(_("统计页面只对书记、支委和上级审查人开放。"))
    visible = roles.visible_organisations(request.user)
    organisation = scope.chosen_organisation(request, visible)
    if organisation is None:
        raise PermissionDenied(_("您没有任何组织的角色。"))
    subtree = organisation.subtree()
    cycle = scope.chosen_cycle(request, organisation=organisation)

    signer = ledger_signs.Signer()
    signed = summary.signed_totals(organisation, cycle, signer)
    totals = member_totals(organisation, signed[0])
    histogram = charts.histogram(totals, total_bins(totals))
    branches = branch_comparison(organisation, cycle, signer, signed)
    by_status = dict(
        ReviewRound.objects.filter(organisation__in=subtree).values_list("status").annotate(n=Count("pk"))
    )
    rounds_by_step = [(label, by_status.get(value, 0)) for value, label in RoundStatus.choices]
    today = local_today()
    docs = documents_summary(subtree)
    return render(
        request,
        "portal/dashboard.html",
        {
            "organisation": organisation,
            "organisations": visible.order_by("path"),
            "cycle": cycle,
            "cycles": scope.cycle_choices(organisation=organisation),
            "member_count": len(totals),
            "histogram": histogram,
            "branches": branches,
            "branch_chart": [(b["organisation"].name, b["average"]) for b in branches],
            "rounds_by_step": rounds_by_step,
            "deadlines": panel_for(request.user, subtree, today),
            "documents": docs,
            "today": today,
        },
    )
