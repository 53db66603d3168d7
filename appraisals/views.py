"""Minimal pages of the year-end evaluation: list, results table with the step buttons.

All work is done by ``appraisals.services`` (which check permissions themselves); views only
parse the form and show the Chinese error the service raised. The human nodes of
``appraisals.flows`` point at the ``*_task`` views, which lead to the evaluation page.
"""
import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from organisations.permissions import BRANCH_STAFF, can_act_on, can_review, organisations_for

from . import services
from .models import (
    VOTE_LABELS,
    AppraisalInput,
    DisposalMeasure,
    DisposalProcess,
    Disposition,
    DispositionAction,
    DispositionStatus,
    Evaluation,
    EvaluationStatus,
    RectificationOutcome,
    YearEndProcess,
)


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


@login_required
def evaluation_list(request):
    own = organisations_for(request.user)
    evaluations = [
        e for e in Evaluation.objects.select_related("organisation", "scheme_version__scheme").order_by("-cycle_start")
        if own.filter(pk=e.organisation_id).exists() or can_review(request.user, e.organisation)
    ]
    return render(request, "appraisals/list.html", {"evaluations": evaluations})


def _member_names(evaluation):
    return {str(r.member_id): r.member.name for r in evaluation.results.select_related("member")}


def _checks(evaluation):
    names = _member_names(evaluation)
    rows = []
    for check in evaluation.checks or []:
        people = [names.get(str(m), str(m)) for m in check.get("members", []) or check.get("moved", [])]
        rows.append({"type": check.get("type", ""), "message": check.get("message", ""), "people": "、".join(people)})
    return rows


def _decimal_or_none(value):
    return value if value not in (None, "") else None


def _post_appraisal(request, evaluation):
    post = request.POST
    from members.models import Member

    member = get_object_or_404(Member, pk=post.get("member"))
    method = post.get("method")
    kwargs = {}
    if method == "score":
        kwargs["score"] = post.get("score")
    elif method == "votes":
        kwargs["votes"] = {label: post.get(f"votes_{i}") for i, label in enumerate(VOTE_LABELS)}
    elif method == "raters":
        kwargs["raters"] = {k: post.get(f"rater_{k}") for k in ("self", "masses", "leadership")}
    flags = {}
    if post.get("sanctioned"):
        flags["sanctioned"] = True
    if post.get("dues_unpaid_months"):
        try:
            flags["dues_unpaid_months"] = int(post.get("dues_unpaid_months"))
        except ValueError:
            messages.error(request, _("未交党费月数应为整数。"))
            return
    _run(request, services.record_appraisal, evaluation, member, request.user, flags=flags, **kwargs)


def _date(value):
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


@login_required
def evaluation_detail(request, pk):
    evaluation = get_object_or_404(Evaluation.objects.select_related("organisation", "scheme_version__scheme"), pk=pk)
    if not services.can_view(request.user, evaluation):
        raise Http404
    user = request.user
    if request.method == "POST":
        action, post = request.POST.get("action"), request.POST
        if action == "record_appraisal":
            _post_appraisal(request, evaluation)
        elif action == "compute":
            _run(request, services.compute_results, evaluation, user)
        elif action == "finish_appraisal":
            _run(request, services.finish_appraisal, evaluation, user)
        elif action == "propose":
            _run(request, services.propose_results, evaluation, user)
        elif action == "approve":
            _run(request, services.approve_results, evaluation, user, post.get("comments", ""),
                 _date(post.get("publicity_start")))
        elif action == "return":
            _run(request, services.return_results, evaluation, user, post.get("comments", ""))
        else:
            disposition = get_object_or_404(Disposition, pk=post.get("disposition"), evaluation=evaluation)
            if action == "talk":
                _run(request, services.issue_talk_notice, disposition, user, talk_time=post.get("talk_time", ""),
                     place=post.get("place", ""), talker=post.get("talker", ""))
            elif action == "rectify":
                _run(request, services.start_rectification, disposition, user,
                     requirements=post.get("requirements", ""), months=post.get("months") or 6)
            elif action == "confirm":
                _run(request, services.confirm_disposition, disposition, user, post.get("note", ""))
            elif action == "decide_disposal":
                _run(request, services.decide_disposal, disposition, user, measure=post.get("measure"),
                     entitled=post.get("entitled"), present=post.get("present"), votes_for=post.get("votes_for"),
                     requirements=post.get("requirements", ""), months=post.get("months") or 6)
            elif action in ("approve_disposal", "reject_disposal"):
                _run(request, services.review_disposal, disposition, user, approve=action == "approve_disposal",
                     comments=post.get("comments", ""))
            elif action == "outcome":
                _run(request, services.record_rectification_outcome, disposition, user, post.get("outcome"))
        return redirect(request.path)
    org = evaluation.organisation
    context = {
        "evaluation": evaluation,
        "results": evaluation.results.select_related("member", "member__organisation").order_by("-total", "member__name"),
        "inputs": {i.member_id: i for i in AppraisalInput.objects.filter(evaluation=evaluation)},
        "members": services.evaluated_members(evaluation)[0],
        "checks": _checks(evaluation),
        "dispositions": evaluation.dispositions.select_related("member").order_by("member__name", "action"),
        "is_staff": can_act_on(user, org, BRANCH_STAFF),
        "is_secretary": can_act_on(user, org, services.OWNERS),
        "is_reviewer": can_review(user, org),
        "editable": evaluation.status in (EvaluationStatus.APPRAISAL, EvaluationStatus.COMPUTED, EvaluationStatus.RETURNED),
        "S": EvaluationStatus, "DS": DispositionStatus, "DA": DispositionAction,
        "measures": DisposalMeasure.values, "outcomes": RectificationOutcome.choices[1:],
        "vote_labels": list(enumerate(VOTE_LABELS)),
    }
    if request.GET.get("verify") and evaluation.results.exists():
        try:
            context["differences"] = services.verify_results(evaluation)
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
    return render(request, "appraisals/detail.html", context)


def _to_evaluation(process_class, attr):
    @login_required
    def view(request, process_pk, task_pk=None, **kwargs):
        process = get_object_or_404(process_class, pk=process_pk)
        evaluation = getattr(process, attr) if attr == "evaluation" else process.disposition.evaluation
        return redirect(reverse("appraisals:detail", args=[evaluation.pk]))

    return view


appraisal_task = _to_evaluation(YearEndProcess, "evaluation")
proposal_task = _to_evaluation(YearEndProcess, "evaluation")
higher_approval_task = _to_evaluation(YearEndProcess, "evaluation")
disposal_decision_task = _to_evaluation(DisposalProcess, "disposition")
disposal_review_task = _to_evaluation(DisposalProcess, "disposition")
rectification_outcome_task = _to_evaluation(DisposalProcess, "disposition")
