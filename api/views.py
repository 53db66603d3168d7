"""访问令牌: the user creates and revokes their personal access tokens (the secret shown once)."""
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods

from .models import AccessToken, TokenScope

SESSION_KEY = "api_new_token"


class TokenForm(forms.Form):
    name = forms.CharField(label=_lazy("名称"), max_length=60, help_text=_lazy("例如：智慧党建平台对接"))
    scope = forms.ChoiceField(label=_lazy("权限范围"), choices=TokenScope.choices, initial=TokenScope.READ)


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request):
    form = TokenForm(request.POST if request.POST.get("action") == "create" else None)
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            revoked = AccessToken.objects.filter(user=request.user, pk=request.POST.get("token"),
                                                 revoked_at__isnull=True).update(revoked_at=timezone.now())
            if revoked:
                messages.success(request, _("令牌已撤销，使用它的调用将被拒绝。"))
            return redirect("api_tokens")
        if form.is_valid():
            _token, secret = AccessToken.issue(request.user, form.cleaned_data["name"], form.cleaned_data["scope"])
            request.session[SESSION_KEY] = secret
            return redirect("api_tokens")
    new_secret = request.session.pop(SESSION_KEY, None)
    return render(request, "api/tokens.html", {
        "form": form, "tokens": AccessToken.objects.filter(user=request.user), "new_secret": new_secret})
