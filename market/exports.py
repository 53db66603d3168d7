"""The village's reports as one .xlsx workbook.

Written through :func:`write_workbook`, the one place this app touches a spreadsheet writer:
every text cell is stored as text (a name starting with "=" stays a name, never a formula) and
control characters are replaced: it is the project's one safe writer, ``safeguards.xlsx`` (issue 13).
"""
from django.utils.translation import gettext as _

from safeguards import xlsx as safe_xlsx

from . import reports


def write_workbook(sheets):
    """``sheets``: ``[(title, header, rows)]`` → .xlsx bytes. Numbers and dates stay typed; the rest is text."""
    return safe_xlsx.write_workbook(sheets)


def reports_workbook(village, year, cycle_start):
    """The four reports of :mod:`market.reports` for ``village``: by month, goods, by grid, top households."""
    months = reports.by_month(village, year)
    goods, restocked = reports.goods_table(village, year)
    rows = reports.household_rows(village, cycle_start)
    grids = reports.by_grid(village, cycle_start, rows)
    top = reports.top_households(village, cycle_start, rows=rows)
    return write_workbook([
        (_("按月兑换与入库"), [_("月份"), _("兑换笔数"), _("兑换件数"), _("扣减积分"), _("入库件数")],
         [[_("%(m)s月") % {"m": m.month}, m.redemptions, m.items, m.points, m.restocked] for m in months]),
        (_("物品库存"), [_("物品"), _("单位"), _("兑换积分"), _("库存"), _("上架"), _("本年兑换"), _("本年入库")],
         [[g.name, g.unit, g.price, g.stock, _("是") if g.active else _("否"), g.redeemed or 0,
           restocked.get(g.pk, 0)] for g in goods]),
        (_("各网格积分"), [_("网格"), _("户数"), _("积分合计"), _("户均积分"), _("已兑换"), _("可兑换余额")],
         [[g.grid.name if g.grid else _("（未分网格）"), g.households, g.score, g.average, g.redeemed, g.left]
          for g in grids]),
        (_("积分排名"), [_("名次"), _("户主"), _("网格"), _("积分"), _("已兑换"), _("可兑换余额")],
         [[i, r.member.name, r.grid.name if r.grid else "", r.score, r.redeemed, r.left]
          for i, r in enumerate(top, start=1)]),
    ])
