"""The counter: find a household (its 家庭积分码 or name), see its balance and bars, redeem, print the slip."""
import uuid

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from documents.models import DocumentStatus
from documents.permissions import mark_retryable
from ledger import services as ledger
from members.models import Member
from organisations.models import OrganisationKind
from organisations.permissions import can_act_on, require
from workdays.clock import local_today
from workdays.wording import points_text
from workflow.forms import WordedChoices, apply_error, error_messages

from ..models import Goods, Redemption
from ..services import bars as bar_services
from ..services import cards
from ..services import redemption as redemption_services
from ..services.common import CASHIERS, VILLAGE_STAFF, scheme_in_force
from .common import chosen_village


class RedeemForm(WordedChoices, forms.Form):
    goods = forms.ModelChoiceField(label=_lazy("兑换物品"), queryset=Goods.objects.none())
    quantity = forms.IntegerField(label=_lazy("数量"), min_value=1, max_value=999, initial=1)
    key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, village, **kwargs):
        super().__init__(*args, **kwargs)
        goods = self.fields["goods"]
        goods.queryset = Goods.objects.filter(organisation=village, active=True).order_by("price", "name")
        goods.label_from_instance = lambda g: _("%(name)s（%(price)s 分/%(unit)s，库存 %(stock)s）") % {
            "name": g.name, "price": points_text(g.price), "unit": g.unit, "stock": g.stock}


@login_required
def counter(request):
    """The cashier's start page: scan or type a 家庭积分码, or look a household up by name."""
    village, villages = chosen_village(request, CASHIERS + VILLAGE_STAFF)
    query = (request.GET.get("q") or "").strip()
    found = []
    if query:
        by_code = cards.household_for_code(query.rstrip("/").split("/")[-1])
        if by_code is not None:
            return redirect("market:household", code=cards.household_code(by_code))
        found = [(m, cards.household_code(m)) for m in Member.objects.filter(
            organisation__path__startswith=village.path, is_active=True, name__contains=query,
        ).select_related("organisation").order_by("organisation__path", "name")[:50]]
        if len(found) == 1:  # one household by that name: straight to it
            return redirect("market:household", code=found[0][1])
    recent = Redemption.objects.filter(organisation=village).select_related("household", "goods", "cashier")[:20]
    return render(request, "market/counter.html", {
        "village": village, "villages": villages, "query": query, "found": found, "recent": recent,
    })


def _household_or_404(request, code):
    household = cards.household_for_code(code)
    if household is None:
        raise Http404(_("家庭积分码无效。"))
    cards.require_reader(request.user, household)
    return household


def _household_context(request, household, form=None):
    """What the read-only household page shows: name, grid, balance and score of the cycle, bars, exchanges;
    for a cashier, the redemption form unless the household is barred (``barring``, the bars that stop it)."""
    village = cards.village_of(household)
    today = local_today()
    context = {"household": household, "village": village, "code": cards.household_code(household),
               "grid": household.organisation if household.organisation.kind == OrganisationKind.GRID else None}
    try:
        in_force = scheme_in_force(village, today)
    except ValidationError as exc:
        context["scheme_problem"] = error_messages(exc)
        in_force = None
    if in_force is not None:
        context.update(
            scheme=in_force.scheme, cycle_start=in_force.cycle_start,
            balance=ledger.redeemable_balance(household, in_force.cycle_start),
            score=ledger.balance(household, cycle_start=in_force.cycle_start),
            barring=bar_services.barring(household, in_force.redemption, today),
        )
    context["bars"] = bar_services.bars_in_force(household, today)
    context["redemptions"] = household.redemptions.select_related("goods", "cashier")[:20]
    context["is_cashier"] = can_act_on(request.user, village, CASHIERS)
    context["can_see_receipts"] = (household.user_id is not None and household.user_id == request.user.pk) or \
        can_act_on(request.user, village, CASHIERS + VILLAGE_STAFF)
    context["can_issue_card"] = can_act_on(request.user, household.organisation, cards.CARD_ISSUERS)
    card = cards.latest_card(household, request.user)
    context["card"] = mark_retryable([card], request.user)[0] if card is not None else None
    # A household barred under the scheme gets no redemption form: the page shows the bar instead.
    if context["is_cashier"] and in_force is not None and not context.get("barring"):
        context["form"] = form or RedeemForm(village=village, initial={"key": uuid.uuid4()})
    return context


@login_required
def household(request, code):
    """The page the 家庭积分码 opens: read-only for everyone; the cashier's redeem form posts elsewhere."""
    household = _household_or_404(request, code)
    return render(request, "market/household.html", _household_context(request, household))


@login_required
@require_POST
def redeem(request, code):
    household = _household_or_404(request, code)
    village = cards.village_of(household)
    form = RedeemForm(request.POST, village=village)
    if form.is_valid():
        data = form.cleaned_data
        repeated = Redemption.objects.filter(key=data["key"]).exists()
        try:
            done = redemption_services.redeem(household=household, goods=data["goods"], quantity=data["quantity"],
                                              cashier=request.user, key=data["key"])
        except (ValidationError, PermissionDenied) as exc:
            apply_error(form, exc, {"household": "__all__", "key": "__all__"})
        else:
            if repeated:
                messages.info(request, _("这笔兑换已经办理过（重复提交），没有重复扣分。"))
            else:
                messages.success(request, _("兑换成功：%(r)s。") % {"r": done})
            return redirect("market:receipt", pk=done.pk)
    return render(request, "market/household.html", _household_context(request, household, form), status=200)


@login_required
def household_qr(request, code):
    """The QR image of the household's page (for the printed 家庭积分码 card)."""
    household = _household_or_404(request, code)
    url = request.build_absolute_uri(reverse("market:household", args=[cards.household_code(household)]))
    response = HttpResponse(cards.code_png(url), content_type="image/png")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
def household_code_card(request, pk):
    """A printable 家庭积分码 card: the household's name, grid and QR code."""
    household = get_object_or_404(Member.objects.select_related("organisation"), pk=pk)
    require(request.user, household.organisation, cards.CARD_ISSUERS)
    code = cards.household_code(household)
    return render(request, "market/code_card.html", {
        "household": household, "village": cards.village_of(household), "code": code,
        "url": request.build_absolute_uri(reverse("market:household", args=[code])),
    })


@login_required
@require_POST
def issue_card(request, pk):
    """Issue the household's 户积分卡 from the ledger; back to its page with a link to the document."""
    household = get_object_or_404(Member.objects.select_related("organisation"), pk=pk)
    try:
        document = cards.issue_card(household, by=request.user)
    except (ValidationError, PermissionDenied) as exc:
        for m in error_messages(exc):
            messages.error(request, m)
    else:
        document.refresh_from_db()
        if document.status == DocumentStatus.DONE:
            messages.success(request, _("户积分卡已生成（第 %(v)s 版），可在本页下载。") % {"v": document.version})
        else:
            messages.success(request, _("户积分卡已提交生成，生成后本页给出下载链接。"))
    return redirect("market:household", code=cards.household_code(household))


@login_required
def receipt(request, pk):
    """The 兑换小票 as a printable page, with the .docx of the slip when it is ready."""
    done = get_object_or_404(
        Redemption.objects.select_related("household__organisation", "goods", "cashier", "organisation", "receipt"),
        pk=pk)
    own = done.household.user_id is not None and done.household.user_id == request.user.pk
    if not own and not can_act_on(request.user, done.organisation, CASHIERS + VILLAGE_STAFF):
        raise PermissionDenied(_("您无权查看这张兑换小票。"))
    return render(request, "market/receipt.html", {
        "r": done, "before": done.balance_after + done.points,
        "code": cards.household_code(done.household),
        "document": done.receipt if done.receipt and done.receipt.status == DocumentStatus.DONE else None,
    })
