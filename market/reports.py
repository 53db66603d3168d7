"""The village's reports: stock and redemptions by month, balances by grid, the top households.

Every number is an aggregate over the records themselves (ledger entries, redemptions, stock
moves), never a stored total. Points are ``Decimal`` with two places.
"""
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractMonth

from ledger.models import SCORE_KINDS, EntryKind, LedgerEntry
from members.models import Member
from organisations.models import OrganisationKind

from .models import Goods, Redemption, StockMove, StockReason

ZERO = Decimal("0.00")


@dataclass
class MonthRow:
    """One month of a village's counter: ``month`` 1–12."""

    month: int
    redemptions: int = 0
    items: int = 0
    points: Decimal = ZERO
    restocked: int = 0


def by_month(village, year):
    """Twelve :class:`MonthRow`: redemptions (count, items, points) and items restocked, by month of ``year``.

    Months are those of the organisation's clock (Asia/Shanghai, the project's ``TIME_ZONE``).
    """
    rows = {m: MonthRow(m) for m in range(1, 13)}
    redeemed = (
        Redemption.objects.filter(organisation=village, redeemed_at__year=year)
        .annotate(m=ExtractMonth("redeemed_at")).values("m")
        .annotate(n=Count("pk"), items=Sum("quantity"), points=Sum("points")).order_by("m")
    )
    for r in redeemed:
        row = rows[r["m"]]
        row.redemptions, row.items, row.points = r["n"], r["items"] or 0, (r["points"] or ZERO)
    restocked = (
        StockMove.objects.filter(goods__organisation=village, at__year=year, reason=StockReason.RESTOCK)
        .annotate(m=ExtractMonth("at")).values("m").annotate(n=Sum("change")).order_by("m")
    )
    for r in restocked:
        rows[r["m"]].restocked = r["n"] or 0
    return [rows[m] for m in range(1, 13)]


def goods_table(village, year):
    """Each goods item with its stock now and, for ``year``, items redeemed and restocked."""
    return list(
        Goods.objects.filter(organisation=village).annotate(
            redeemed=Sum("redemptions__quantity", filter=Q(redemptions__redeemed_at__year=year)),
        ).order_by("-active", "price", "name")
    ), {
        row["goods_id"]: row["n"] for row in StockMove.objects.filter(
            goods__organisation=village, at__year=year, reason=StockReason.RESTOCK,
        ).values("goods_id").annotate(n=Sum("change")).order_by()
    }


@dataclass
class HouseholdRow:
    """One household's cycle: ``score`` earned (posted and corrected), ``redeemed``, ``left`` to spend."""

    member: object
    grid: object
    score: Decimal = ZERO
    redeemed: Decimal = ZERO
    left: Decimal = ZERO


@dataclass
class GridRow:
    grid: object
    households: int = 0
    score: Decimal = ZERO
    redeemed: Decimal = ZERO
    left: Decimal = ZERO
    rows: list = field(default_factory=list)

    @property
    def average(self):
        return (self.score / self.households).quantize(Decimal("0.01")) if self.households else ZERO


def household_rows(village, cycle_start):
    """A :class:`HouseholdRow` for every household on the village's roll or in its chain for the cycle.

    Two queries: one aggregate over the ledger (by member and kind), one for the members.
    """
    sums = (
        LedgerEntry.objects.filter(organisation__path__startswith=village.path, cycle_start=cycle_start)
        .values("member_id", "kind").annotate(total=Sum("points")).order_by()
    )
    by_member = {}
    for s in sums:
        row = by_member.setdefault(s["member_id"], {"score": ZERO, "redeemed": ZERO, "left": ZERO})
        if s["kind"] in SCORE_KINDS:
            row["score"] += s["total"]
        elif s["kind"] == EntryKind.REDEMPTION:
            row["redeemed"] -= s["total"]
        row["left"] += s["total"]
    members = Member.objects.filter(
        Q(pk__in=list(by_member)) | Q(organisation__path__startswith=village.path, is_active=True)
    ).select_related("organisation").order_by("organisation__path", "name", "pk")
    rows = []
    for m in members:
        sums = by_member.get(m.pk, {})
        grid = m.organisation if m.organisation.kind == OrganisationKind.GRID else None
        rows.append(HouseholdRow(m, grid, sums.get("score", ZERO), sums.get("redeemed", ZERO), sums.get("left", ZERO)))
    return rows


def by_grid(village, cycle_start, rows=None):
    """:class:`GridRow` per grid (households outside any grid grouped under ``None``), in tree order."""
    grids = {}
    for row in rows if rows is not None else household_rows(village, cycle_start):
        g = grids.setdefault(getattr(row.grid, "pk", None), GridRow(row.grid))
        g.households += 1
        g.score += row.score
        g.redeemed += row.redeemed
        g.left += row.left
        g.rows.append(row)
    return list(grids.values())


def top_households(village, cycle_start, limit=10, rows=None):
    """The ``limit`` households with the highest score of the cycle (ties by name)."""
    rows = rows if rows is not None else household_rows(village, cycle_start)
    return sorted(rows, key=lambda r: (-r.score, r.member.name, r.member.pk))[:limit]
