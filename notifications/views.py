"""The notification list (read/unread), opening one, and the user's channel choices."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .forms import PreferenceForm
from .models import Notification

PAGE_SIZE = 30


@login_required
def notification_list(request):
    qs = Notification.objects.filter(recipient=request.user).select_related("organisation")
    only_unread = request.GET.get("show") == "unread"
    if only_unread:
        qs = qs.filter(read_at__isnull=True)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {
        "page": page, "only_unread": only_unread, "unread": services.unread_count(request.user),
    })


@login_required
@require_POST
def open_notification(request, pk):
    """Mark one notification read, then go where it points (or back to the list)."""
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    services.mark_read(request.user, [notification.pk])
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notifications:list")


@login_required
@require_POST
def mark_all_read(request):
    count = services.mark_read(request.user)
    messages.success(request, _("已将 %(n)s 条通知标为已读。") % {"n": count})
    return redirect("notifications:list")


@login_required
def preferences(request):
    current = services.preference_for(request.user)
    form = PreferenceForm(request.POST or None, initial={
        "email_events": current.email_events, "robot_events": current.robot_events,
    })
    if request.method == "POST" and form.is_valid():
        services.save_preference(request.user, **form.cleaned_data)
        messages.success(request, _("通知方式已保存。"))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {
        "form": form, "email": request.user.email,
    })
