"""Minimal task pages for the review chain (the portal builds the full UI on top).

Each human node of ``flows.flows`` names one of these views. They can be mounted by a
viewflow ``FlowViewset`` (which passes ``process_pk``/``task_pk``) or by ``flows.urls``.
All work is done by ``reviews.services``, which check permissions themselves; the views
only parse the form and show the Chinese error the service raised.
"""
import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from reviews import services
from reviews.models import Objection

from .models import ObjectionProcess, ReviewRoundProcess


def _error_text(exc):
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    return str(exc)


def _run(request, func, *args, **kwargs):
    try:
        func(*args, **kwargs)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _error_text(exc))
        return False
    messages.success(request, _("操作成功。"))
    return True


def _done(request, completed):
    """Where to go after a POST: viewflow's success URL once the task is completed, else back here."""
    activation = getattr(request, "activation", None)
    if completed and activation is not None:
        try:
            return redirect(activation.get_success_url(request))
        except Exception:  # noqa: BLE001 - outside a FlowViewset there is no success URL
            pass
    return redirect(request.path)


def _date(value):
    return datetime.date.fromisoformat(value) if value else None


@login_required
def branch_meeting_task(request, process_pk, task_pk=None, **kwargs):
    process = get_object_or_404(ReviewRoundProcess, pk=process_pk)
    review_round = process.review_round
    if request.method == "POST":
        action, post, user = request.POST.get("action"), request.POST, request.user
        if action == "record_meeting":
            _run(request, services.record_meeting, review_round, user, kind=post.get("kind", ""),
                 held_on=_date(post.get("held_on")), entitled_count=post.get("entitled_count"),
                 attendee_count=post.get("attendee_count"), attendee_names=post.get("attendee_names", ""),
                 minute_taker=post.get("minute_taker", ""), guide_signatory=post.get("guide_signatory", ""))
        elif action == "decide":
            declaration = get_object_or_404(review_round.declarations, pk=post.get("declaration"))
            _run(request, services.decide_declaration, declaration, user, post.get("outcome"),
                 points=post.get("points") or None, reason=post.get("reason", ""))
        elif action == "bulk_approve":
            ids = post.getlist("declarations") or None
            _run(request, services.bulk_approve, review_round, user, ids)
        elif action == "submit":
            return _done(request, _run(request, services.submit_to_higher, review_round, user))
        return redirect(request.path)
    return render(request, "flows/branch_meeting.html", {"round": review_round, "process": process})


@login_required
def higher_review_task(request, process_pk, task_pk=None, **kwargs):
    process = get_object_or_404(ReviewRoundProcess, pk=process_pk)
    review_round = process.review_round
    if request.method == "POST":
        if request.POST.get("action") == "file":
            ok = _run(request, services.file_round, review_round, request.user, request.POST.get("comments", ""))
        else:
            ok = _run(request, services.return_round, review_round, request.user, request.POST.get("comments", ""))
        return _done(request, ok)
    return render(request, "flows/higher_review.html", {"round": review_round, "process": process})


def _objection_page(request, process_pk, template, handler):
    process = get_object_or_404(ObjectionProcess, pk=process_pk)
    objection = process.objection
    if request.method == "POST":
        return _done(request, handler(objection, request.POST))
    return render(request, template, {"objection": objection, "process": process})


@login_required
def answer_objection_task(request, process_pk, task_pk=None, **kwargs):
    def handle(objection, post):
        return _run(request, services.answer_objection, objection, request.user, post.get("outcome"), post.get("reason", ""),
             corrected_points=post.get("corrected_points") or None)
    return _objection_page(request, process_pk, "flows/objection.html", handle)


@login_required
def file_explanation_task(request, process_pk, task_pk=None, **kwargs):
    return _objection_page(request, process_pk, "flows/objection.html",
                           lambda objection, post: _run(request, services.file_explanation, objection, request.user))


@login_required
def supervise_overdue_task(request, process_pk, task_pk=None, **kwargs):
    return _objection_page(request, process_pk, "flows/objection.html",
                           lambda objection, post: _run(request, services.supervise_overdue, objection, request.user,
                                                        post.get("note", "")))


def lodge_objection_page(request, declaration_pk):
    """Public: anyone may object to an item on the board, with name, contact and reason."""
    from reviews.models import Declaration

    declaration = get_object_or_404(Declaration, pk=declaration_pk)
    if request.method == "POST":
        user = request.user if request.user.is_authenticated else None
        ok = _run(request, services.lodge_objection, declaration, objector_name=request.POST.get("objector_name", ""),
                  objector_contact=request.POST.get("objector_contact", ""), reason=request.POST.get("reason", ""),
                  received_by=user)
        if ok:
            return redirect("reviews:board", declaration.review_round_id)
    return render(request, "flows/lodge_objection.html", {"declaration": declaration})


__all__ = [
    "branch_meeting_task", "higher_review_task", "answer_objection_task", "file_explanation_task",
    "supervise_overdue_task", "lodge_objection_page", "Objection",
]
