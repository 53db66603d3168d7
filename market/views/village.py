"""The village's side of the points supermarket: catalogue and stock, bars, year end, reports."""
import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from members.models import Member
from organisations.permissions import require
from safeguards.params import int_param
from schemes.models import Scheme
from workdays.clock import local_today
from workdays.wording import points_text
from workflow.forms import WordedChoices, apply_error, error_messages

from .. import exports
from .. import reports as village_reports
from ..models import CycleClose, Goods, GoodsKind, RedemptionBar
from ..services import bars as bar_services
from ..services import catalogue, year_end
from ..services.common import CASHIERS, VILLAGE_STAFF
from .common import abilities, chosen_village


class GoodsForm(WordedChoices, forms.Form):
    name = forms.CharField(label=_lazy("物品名称"), max_length=60)
    kind = forms.ChoiceField(label=_lazy("类别"), choices=GoodsKind.choices, initial=GoodsKind.GOODS)
    unit = forms.CharField(label=_lazy("单位"), max_length=10, initial="件")
    price = forms.CharField(label=_lazy("兑换积分"), max_length=12)
    stock = forms.IntegerField(label=_lazy("首次入库数量"), min_value=0, max_value=999, initial=0, required=False)


class RestockForm(forms.Form):
    quantity = forms.CharField(label=_lazy("入库数量"), max_length=4)
    note = forms.CharField(label=_lazy("说明"), max_length=200, required=False)


class GoodsEditForm(forms.Form):
    price = forms.CharField(label=_lazy("兑换积分"), max_length=12)
    active = forms.BooleanField(label=_lazy("上架"), required=False)


def _village_url(name, village, **extra):
    query = "&".join([f"village={village.pk}", *(f"{k}={v}" for k, v in extra.items())])
    return f"{reverse(name)}?{query}"


@login_required
def index(request):
    """The catalogue of the chosen village; its staff add goods here."""
    village, villages = chosen_village(request)
    can = abilities(request.user, village)
    form = GoodsForm(request.POST or None, prefix="add")
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                goods = catalogue.add_goods(village=village, by=request.user, name=data["name"], price=data["price"],
                                            stock=data["stock"] or 0, unit=data["unit"], kind=data["kind"])
            except (ValidationError, PermissionDenied) as exc:
                apply_error(form, exc)
            else:
                messages.success(request, _("已上架：%(goods)s。") % {"goods": goods})
                return redirect(_village_url("market:index", village))
    goods = Goods.objects.filter(organisation=village).order_by("-active", "price", "name")
    return render(request, "market/index.html", {
        "village": village, "villages": villages, "goods": goods, "form": form, "can": can,
    })


@login_required
def goods_detail(request, pk):
    """One item: its stock moves; the staff restock it or change its price and shelf state."""
    goods = get_object_or_404(Goods.objects.select_related("organisation"), pk=pk)
    require(request.user, goods.organisation, VILLAGE_STAFF)
    restock_form = RestockForm(request.POST if request.POST.get("action") == "restock" else None, prefix="restock")
    edit_form = GoodsEditForm(request.POST if request.POST.get("action") == "edit" else None, prefix="edit",
                              initial={"price": points_text(goods.price), "active": goods.active})
    if request.method == "POST":
        form = restock_form if request.POST.get("action") == "restock" else edit_form
        if form.is_valid():
            try:
                if form is restock_form:
                    catalogue.restock(goods, by=request.user, quantity=form.cleaned_data["quantity"],
                                      note=form.cleaned_data["note"])
                else:
                    catalogue.update_goods(goods, by=request.user, price=form.cleaned_data["price"],
                                           active=form.cleaned_data["active"])
            except (ValidationError, PermissionDenied) as exc:
                apply_error(form, exc, {"quantity": "quantity"})
            else:
                messages.success(request, _("已保存。"))
                return redirect("market:goods", pk=goods.pk)
    return render(request, "market/goods.html", {
        "goods": goods, "moves": goods.moves.select_related("by", "redemption").order_by("-at", "-pk")[:100],
        "restock_form": restock_form, "edit_form": edit_form,
    })


class BarForm(WordedChoices, forms.Form):
    household = forms.ModelChoiceField(label=_lazy("农户"), queryset=Member.objects.none())
    reason = forms.CharField(label=_lazy("事由（村集体决定）"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))
    start_on = forms.DateField(label=_lazy("起始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    end_on = forms.DateField(label=_lazy("截止日期（不填为未定）"), required=False,
                             widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, village, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"].queryset = Member.objects.filter(
            organisation__path__startswith=village.path, is_active=True).order_by("organisation__path", "name")


@login_required
def bars(request):
    """Bars on redemption in the village: record one (staff), see which are in force (staff and the
    cashier, who must know who may not redeem)."""
    village, villages = chosen_village(request, VILLAGE_STAFF + CASHIERS)
    can = abilities(request.user, village)
    form = BarForm(request.POST or None, village=village, initial={"start_on": local_today()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            bar_services.record_bar(member=data["household"], by=request.user, reason=data["reason"],
                                    start_on=data["start_on"], end_on=data["end_on"])
        except (ValidationError, PermissionDenied) as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("已登记不得兑换标记：%(m)s。") % {"m": data["household"]})
            return redirect(_village_url("market:bars", village))
    today = local_today()
    rows = RedemptionBar.objects.filter(member__organisation__path__startswith=village.path).select_related(
        "member__organisation", "recorded_by")
    return render(request, "market/bars.html", {
        "village": village, "villages": villages, "form": form, "can": can,
        "bars": [(b, b.in_force_on(today)) for b in rows],
    })


@login_required
@require_POST
def lift_bar(request, pk):
    bar = get_object_or_404(RedemptionBar.objects.select_related("member__organisation"), pk=pk)
    try:
        bar_services.lift_bar(bar, by=request.user)
    except (ValidationError, PermissionDenied) as exc:
        for m in error_messages(exc):
            messages.error(request, m)
    else:
        messages.success(request, _("已解除：%(m)s。") % {"m": bar.member})
    village = bar.member.organisation.village()
    return redirect(_village_url("market:bars", village) if village else reverse("market:index"))


@login_required
def year_end(request):
    """The cycles of the village's schemes and their year end: reset or carry over, once each."""
    village, villages = chosen_village(request, VILLAGE_STAFF)
    schemes = list(Scheme.objects.filter(organisation=village).order_by("-cycle_start"))
    closes = {c.cycle_start: c for c in CycleClose.objects.filter(organisation=village)}
    if request.method == "POST":
        try:
            cycle_start = datetime.date.fromisoformat(request.POST.get("cycle_start", ""))
        except ValueError:
            messages.error(request, _("请选择要办理的周期。"))
        else:
            try:
                close = year_end.close_cycle(village, by=request.user, cycle_start=cycle_start)
            except (ValidationError, PermissionDenied) as exc:
                for m in error_messages(exc):
                    messages.error(request, m)
            else:
                messages.success(request, _("%(close)s：%(n)s 户，合计 %(p)s 分，已写入台账。") % {
                    "close": close, "n": close.households, "p": close.points})
        return redirect(_village_url("market:year_end", village))
    rows = []
    for scheme in schemes:
        version = scheme.current_version()
        mode = version.engine_scheme().redemption if version is not None else None
        rows.append({"scheme": scheme, "redemption": mode, "close": closes.get(scheme.cycle_start),
                     "over": scheme.cycle_end < local_today()})
    return render(request, "market/year_end.html", {"village": village, "villages": villages, "rows": rows})


def _report_period(request, village):
    today = local_today()
    year = int_param(request.GET, "year", default=today.year, minimum=2000, maximum=today.year + 1)
    scheme = Scheme.objects.in_force(village, datetime.date(year, 12, 31) if year < today.year else today)
    cycle_start = scheme.cycle_start if scheme is not None else datetime.date(year, 1, 1)
    return year, cycle_start


@login_required
def reports(request):
    """Stock and redemptions by month, balances by grid, the top households; .xlsx below."""
    village, villages = chosen_village(request)
    year, cycle_start = _report_period(request, village)
    rows = village_reports.household_rows(village, cycle_start)
    goods, restocked = village_reports.goods_table(village, year)
    return render(request, "market/reports.html", {
        "village": village, "villages": villages, "year": year, "cycle_start": cycle_start,
        "months": village_reports.by_month(village, year),
        "goods": [(g, restocked.get(g.pk, 0)) for g in goods],
        "grids": village_reports.by_grid(village, cycle_start, rows),
        "top": village_reports.top_households(village, cycle_start, rows=rows),
    })


@login_required
def reports_xlsx(request):
    village, _villages = chosen_village(request)
    year, cycle_start = _report_period(request, village)
    data = exports.reports_workbook(village, year, cycle_start)
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="market-{village.code}-{year}.xlsx"'
    return response

