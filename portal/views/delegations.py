"""委派: a role holder names a deputy for a period (``organisations.Delegation``), and can take it back.

While a delegation runs the deputy holds the principal's role (``organisations.permissions``)
and the principal's tasks go to the deputy (``workflow.assignment``). Granting and revoking
are written to the audit trail.
"""
import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from organisations.models import Delegation, Role
from reviews import audit
from reviews.audit import AuditAction
from workdays.clock import local_today, start_of_day
from workflow.forms import EMPTY_LABEL, WordedChoices
from workflow.history import person


def _deputies(role):
    """Who may stand in: anyone else holding a role on the same organisation."""
    ids = Role.objects.filter(organisation=role.organisation).exclude(user=role.user).values("user_id")
    return get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("first_name", "username")


class DelegationForm(WordedChoices, forms.Form):
    role = forms.ChoiceField(label=_lazy("委派的职责"))
    deputy = forms.ChoiceField(label=_lazy("受委派人"))
    starts_on = forms.DateField(label=_lazy("开始日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    ends_on = forms.DateField(label=_lazy("结束日期（含当日）"),
                              widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    reason = forms.CharField(label=_lazy("事由"), max_length=200, help_text=_lazy("例如：外出学习、病假。"))

    def __init__(self, *args, roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.roles = {str(r.pk): r for r in roles}
        self.fields["role"].choices = [(str(r.pk), f"{r.organisation.name} · {r.get_kind_display()}") for r in roles]
        people = {}
        for r in roles:
            for u in _deputies(r):
                people[str(u.pk)] = u
        self.people = people
        self.fields["deputy"].choices = [("", EMPTY_LABEL)] + [(pk, person(u)) for pk, u in people.items()]

    def clean(self):
        data = super().clean()
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("结束日期不能早于开始日期。"))
        if start and start < local_today():
            self.add_error("starts_on", _("开始日期不能早于今天。"))
        role, deputy = self.roles.get(data.get("role")), self.people.get(data.get("deputy"))
        if role and deputy and not _deputies(role).filter(pk=deputy.pk).exists():
            self.add_error("deputy", _("%(who)s在“%(org)s”没有角色，不能受委派。") % {
                "who": person(deputy), "org": role.organisation.name})
        return data


@login_required
def delegations(request):
    roles = list(Role.objects.filter(user=request.user).select_related("organisation").order_by("organisation__path"))
    form = DelegationForm(request.POST or None, roles=roles) if roles else None
    if request.method == "POST" and form is not None and form.is_valid():
        role = form.roles[form.cleaned_data["role"]]
        deputy = form.people[form.cleaned_data["deputy"]]
        with transaction.atomic():
            delegation = Delegation.objects.create(
                organisation=role.organisation, kind=role.kind, principal=request.user, deputy=deputy,
                starts_at=start_of_day(form.cleaned_data["starts_on"]),
                ends_at=start_of_day(form.cleaned_data["ends_on"] + datetime.timedelta(days=1)),
                reason=form.cleaned_data["reason"],
            )
            audit.record(AuditAction.DELEGATION_GRANTED, delegation, actor=request.user, organisation=role.organisation,
                         after={"deputy": person(deputy), "kind": role.get_kind_display(),
                                "starts_at": form.cleaned_data["starts_on"], "ends_at": form.cleaned_data["ends_on"],
                                "reason": delegation.reason})
        messages.success(request, _("已委派%(who)s代为履行职责。") % {"who": person(deputy)})
        return redirect("portal:delegations")
    now = timezone.now()
    given = list(Delegation.objects.filter(principal=request.user).select_related("deputy", "organisation")[:50])
    received = list(Delegation.objects.filter(deputy=request.user).select_related("principal", "organisation")[:50])
    for d in given + received:
        d.last_day = timezone.localtime(d.ends_at - datetime.timedelta(seconds=1)).date()
        d.first_day = timezone.localtime(d.starts_at).date()
    return render(request, "portal/delegations.html", {
        "form": form, "given": given, "received": received, "now": now,
    })


@login_required
@require_POST
def revoke(request, pk):
    delegation = get_object_or_404(Delegation, pk=pk, principal=request.user, revoked_at__isnull=True)
    with transaction.atomic():
        delegation.revoked_at = timezone.now()
        delegation.save(update_fields=["revoked_at"])
        audit.record(AuditAction.DELEGATION_REVOKED, delegation, actor=request.user,
                     organisation=delegation.organisation, after={"deputy": person(delegation.deputy)})
    messages.success(request, _("已收回委派。"))
    return redirect("portal:delegations")
