"""网格员记分: a grid worker records an event for a household of their grid, with evidence.

The record is a declaration of the review chain (``reviews.services.declarations``, reporter
``grid_worker``), checked against the village's scheme; the village's monthly round takes it up
(户积分 "一事一记录、一月一审核、一季一公示", 篇十六 l.1239).
"""
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from members.models import Member
from organisations.models import RoleKind
from organisations.permissions import organisations_for
from reviews.models import Declaration, ReporterKind
from reviews.services import declarations
from reviews.views.declarations import DeclarationForm, scheme_for
from reviews.views.recording import batch_page
from workdays.clock import local_today
from workflow.forms import apply_error
from workdays.wording import with_note

from ..services import cards

GRID_RECORDERS = (RoleKind.GRID_WORKER,)


class HouseholdEventForm(DeclarationForm):
    """The declaration form with the household it is about chosen first."""

    household = forms.ModelChoiceField(label=_lazy("农户"), queryset=Member.objects.none())

    def __init__(self, *args, households, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["occurred_on"].initial = local_today()
        self.fields["household"].queryset = households
        self.fields["household"].label_from_instance = lambda m: with_note(m.name, m.organisation.name)
        self.order_fields(["household", *[name for name in self.fields if name != "household"]])


def _on_item_field(form, exc):
    """With a scheme in force the form picks component and item in one field, ``item``."""
    if "item" not in form.fields or not hasattr(exc, "error_dict"):
        return exc
    moved = {}
    for field, errors in exc.error_dict.items():
        moved.setdefault("item" if field in ("component", "rule_item") else field, []).extend(errors)
    return ValidationError(moved)


def households_of(user):
    """Active members of the organisations where ``user`` is a grid worker (their grids), in tree order."""
    grids = organisations_for(user, GRID_RECORDERS)
    return Member.objects.filter(organisation__in=grids, is_active=True).select_related("organisation").order_by(
        "organisation__path", "name")


@login_required
def record(request):
    households = households_of(request.user)
    if not households.exists():
        raise PermissionDenied(_("您不是任何网格的网格员，或网格内没有在册农户。"))
    form = HouseholdEventForm(request.POST or None, request.FILES or None, households=households,
                              scheme=scheme_for(households.first()))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            declaration = declarations.create_declaration(
                by=request.user, member=data["household"], reporter_kind=ReporterKind.GRID_WORKER,
                component=data["component"], rule_item=data["rule_item"],
                rule_item_label=data.get("rule_item_label", ""), points=data["points"], quantity=data["quantity"],
                occurred_on=data["occurred_on"], place=data["place"], description=data["description"],
                evidence=data["evidence"],
            )
        except (ValidationError, PermissionDenied) as exc:
            apply_error(form, _on_item_field(form, exc), {"member": "household"})
        else:
            messages.success(request, _("已记录：%(d)s，等待村里月度审核。") % {"d": declaration})
            return redirect("market:record")
    mine = Declaration.objects.filter(declared_by=request.user, reporter_kind=ReporterKind.GRID_WORKER).select_related(
        "member", "review_round").order_by("-created_at", "-pk")[:30]
    return render(request, "market/record.html", {
        "form": form, "mine": mine, "households": [(m, cards.household_code(m)) for m in households],
    })


@login_required
def record_batch(request):
    """批量记分 for the households of the grid worker's grids (the clerks' batch page and service)."""
    households = households_of(request.user)
    if not households.exists():
        raise PermissionDenied(_("您不是任何网格的网格员，或网格内没有在册农户。"))
    return batch_page(request, members=households, reporter_kind=ReporterKind.GRID_WORKER, title=_("网格员批量记分"),
                      back_url=reverse("market:record"), template_url=reverse("reviews:record_template"))
