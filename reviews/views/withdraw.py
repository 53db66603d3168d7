"""撤回上报: the branch secretary takes back a round before the higher committee acts on it."""
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from organisations.permissions import can_act_on
from workflow.forms import apply_error

from ..models import ReviewRound
from ..services import withdrawal
from ..services.common import ROUND_OWNERS


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_lazy("撤回理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=500,
                             help_text=_lazy("例如：发现认定分值有误，需重新审核。"))


@login_required
def withdraw(request, pk):
    rr = get_object_or_404(ReviewRound.objects.select_related("organisation"), pk=pk)
    if not can_act_on(request.user, rr.organisation, ROUND_OWNERS):
        raise PermissionDenied(_("只有本支部书记可以撤回上报。"))
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            withdrawal.withdraw_report(rr, request.user, form.cleaned_data["reason"])
        except (ValidationError, PermissionDenied) as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("已撤回，批次回到支部会议审核。"))
            return redirect("reviews:round_detail", pk=rr.pk)
    return render(request, "reviews/withdraw.html", {"r": rr, "form": form})
