"""领取, 退回待领取, 转交 and 催办 of one task (``workflow.assignment``, ``workflow.withdraw``).

Each act is written to the process history (``TaskEvent``) and the audit trail
(``reviews.task_audit``). A refusal is a message, never an error page.
"""
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST
from viewflow.workflow.models import Task

from workdays.wording import join_clauses
from workflow import assignment, history, withdraw
from workflow.forms import EMPTY_LABEL, WordedChoices, apply_error, error_messages

from ..taskview import can_urge


def _task_for(request, task_pk):
    task = get_object_or_404(Task.objects.select_related("process", "owner"), pk=task_pk)
    process = history.concrete(task.process)
    if not process.flow_class.instance.has_view_permission(request.user, process):
        raise Http404
    return task, process


def _back(request, process):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(process.flow_class.instance.reverse("process_detail", args=[process.pk]))


@login_required
@require_POST
def claim(request, task_pk):
    task, process = _task_for(request, task_pk)
    try:
        assignment.claim(task, request.user)
    except (PermissionDenied, ValidationError) as exc:
        messages.error(request, join_clauses(error_messages(exc)))
    else:
        messages.success(request, _("已领取：%(t)s。") % {"t": task.flow_task.task_title})
    return _back(request, process)


@login_required
@require_POST
def release(request, task_pk):
    task, process = _task_for(request, task_pk)
    try:
        assignment.release(task, request.user, request.POST.get("reason", ""))
    except (PermissionDenied, ValidationError) as exc:
        messages.error(request, join_clauses(error_messages(exc)))
    else:
        messages.success(request, _("已退回待领取：%(t)s。") % {"t": task.flow_task.task_title})
    return _back(request, process)


class ReassignForm(WordedChoices, forms.Form):
    to = forms.ChoiceField(label=_lazy("转交给"))
    reason = forms.CharField(label=_lazy("转交理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=500)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {str(u.pk): u for u in people}
        self.fields["to"].choices = [("", EMPTY_LABEL)] + [(str(u.pk), history.person(u)) for u in people]


@login_required
def reassign(request, task_pk):
    task, process = _task_for(request, task_pk)
    people = assignment.eligible(task.flow_task, process, exclude=task.owner) if hasattr(task.flow_task, "user_allowed") else []
    form = ReassignForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        try:
            assignment.reassign(task, request.user, form.people.get(form.cleaned_data["to"]), form.cleaned_data["reason"])
        except (PermissionDenied, ValidationError) as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("已转交给%(who)s。") % {"who": history.person(form.people[form.cleaned_data["to"]])})
            return _back(request, process)
    return render(request, "portal/task_reassign.html", {
        "form": form, "task": task, "process": process, "brief": getattr(process, "brief", "") or str(process),
        "owner": history.person(task.owner), "title": task.flow_task.task_title,
        "process_url": process.flow_class.instance.reverse("process_detail", args=[process.pk]),
    })


class UrgeForm(forms.Form):
    reason = forms.CharField(label=_lazy("催办说明"), widget=forms.Textarea(attrs={"rows": 3}), max_length=500,
                             required=False)


@login_required
def urge(request, task_pk):
    task, process = _task_for(request, task_pk)
    if not can_urge(task, request.user):
        raise PermissionDenied(_("只有上级党组织可以催办。"))
    form = UrgeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            withdraw.urge(task, request.user, form.cleaned_data["reason"])
        except ValidationError as exc:
            messages.error(request, join_clauses(error_messages(exc)))
        else:
            messages.success(request, _("已催办：%(t)s。") % {"t": task.flow_task.task_title})
        return _back(request, process)
    return render(request, "portal/task_urge.html", {
        "form": form, "task": task, "process": process, "brief": getattr(process, "brief", "") or str(process),
        "owner": history.person(task.owner), "title": task.flow_task.task_title,
        "process_url": process.flow_class.instance.reverse("process_detail", args=[process.pk]),
    })
