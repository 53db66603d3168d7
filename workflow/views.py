"""viewflow's own claim (assign) and release (unassign) pages of a ``RoleView`` task, through
``workflow.assignment``: the same checks and the same history (``TaskEvent``) as the portal's
领取 and 退回待领取 buttons, so viewflow's pages and the portal agree on who holds a task.
"""
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from viewflow.workflow.flow import views as flow_views
from workdays.wording import join_clauses

from . import assignment
from .forms import error_messages


def _act(view, form, act, base):
    activation = view.request.activation
    try:
        act(activation.task, view.request.user)
    except (PermissionDenied, ValidationError) as exc:
        messages.error(view.request, join_clauses(error_messages(exc)))
        return redirect(activation.flow_task.reverse("detail", args=[activation.process.pk, activation.task.pk]))
    activation.task.refresh_from_db()
    # viewflow's success message and redirect, without its own (unrecorded) assign/unassign
    return super(base, view).form_valid(form)


class ClaimTaskView(flow_views.AssignTaskView):
    """领取 on viewflow's page: ``assignment.claim`` (writes the CLAIMED event)."""

    def form_valid(self, form):
        return _act(self, form, assignment.claim, flow_views.AssignTaskView)


class ReleaseTaskView(flow_views.UnassignTaskView):
    """退回待领取 on viewflow's page: ``assignment.release`` (the holder only; writes RELEASED)."""

    def form_valid(self, form):
        return _act(self, form, assignment.release, flow_views.UnassignTaskView)
