"""Minimal pages of the year-end evaluation: list, results table with the step buttons.

All work is done by ``appraisals.services.*`` (which check permissions themselves); views
only parse the form. A refusal is shown where it belongs: a ``ValidationError`` keyed by
input (``{"votes": [...]}``) beside that input of the posted form (``StepForm``), anything
else (a closed step, a permission) as a message at the top of the page. The human nodes of
``appraisals.flows`` point at the ``*_task`` views, which lead to the evaluation page.
"""
import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from documents.models import GeneratedDocument
from documents.permissions import can_view as can_view_document
from documents.permissions import mark_retryable
from members.models import Member
from reviews.models import ObjectionProcess
from schemes.words import word
from organisations.permissions import BRANCH_STAFF, can_act_on, can_review, organisations_for
from safeguards.params import parse_int
from workflow.forms import apply_error, error_messages
from workdays.wording import join_clauses

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
from . import labels, screens
from .services import awards, compute, dispositions, evaluations, findings, imports, objections
from .services.components import RATER_LABELS, appraisal_components, per_component

#: The inputs of each step form on the evaluation page, named as the service's arguments
#: (and so as the fields of its ValidationErrors).
STEP_FIELDS = {
    "record_appraisal": ("member", "score", "votes", "raters", "components", "flags"),
    "import_appraisals": ("file",),
    "finish_appraisal": ("confirm",),
    "approve": ("comments", "publicity_start"),
    "award_tie": ("target", "members", "reason"),
    "return": ("comments",),
    "talk": ("talk_time", "place", "talker"),
    "rectify": ("requirements", "months"),
    "confirm": ("note",),
    "decide_disposal": ("measure", "requirements", "months", "entitled", "present", "votes_for"),
    "approve_disposal": ("comments",),
    "reject_disposal": ("comments",),
    "outcome": ("outcome",),
}

#: What a result may earn (``scoring_engine`` ``[[awards]]``), as the results table names it.
AWARD_NAMES = {"certificate": _lazy("证书"), "plaque": _lazy("挂牌"), "care": _lazy("关爱待遇")}


class StepForm(forms.Form):
    """The posted step form, carrying a service's refusal by field (``form.add_error``).

    ``action`` is the button pressed and ``disposition`` the row's pk (or None), so the page
    shows the errors beside the inputs of the one form that was posted.
    """

    def __init__(self, action, disposition=None):
        super().__init__(data={})
        self.action, self.disposition = action, disposition
        for name in STEP_FIELDS.get(action, ()):
            self.fields[name] = forms.CharField(required=False)


def _run(request, step, func, *args, **kwargs):
    """Call the service; True on success, else the refusal is on ``step`` (by field) or in messages."""
    try:
        func(*args, **kwargs)
    except PermissionDenied as exc:
        messages.error(request, join_clauses(error_messages(exc)))
        return False
    except ValidationError as exc:
        apply_error(step, exc)
        for message in step.errors.pop(NON_FIELD_ERRORS, ()):
            messages.error(request, message)
        return False
    messages.success(request, _("操作成功。"))
    return True


@login_required
def evaluation_list(request):
    own = organisations_for(request.user)
    rows = [
        e for e in Evaluation.objects.select_related("organisation", "scheme_version__scheme").order_by("-cycle_start")
        if own.filter(pk=e.organisation_id).exists() or can_review(request.user, e.organisation)
    ]
    orgs = screens.openable_organisations(request.user)
    form = screens.OpenEvaluationForm(organisations=orgs) if orgs.exists() else None
    return render(request, "appraisals/list.html", {"evaluations": rows, "open_form": form})


def _member_names(evaluation):
    return {str(r.member_id): r.member.name for r in evaluation.results.select_related("member")}


def _checks(evaluation):
    """The evaluation's checks as sentences in the active language (``appraisals.labels``)."""
    names = _member_names(evaluation)
    branches = {str(o.pk): o.name for o in evaluation.organisation.subtree()}
    return [labels.check_text(check, names, branches, evaluation.scheme_version) for check in evaluation.checks or []]


def _documents(evaluation, objection_rows, user):
    """The papers of the evaluation (its results publicity, …) and of the objections to its results,
    those ``user`` may see, oldest first (``documents.permissions``)."""
    processes = list(YearEndProcess.objects.filter(evaluation=evaluation).values_list("pk", flat=True))
    processes += list(ObjectionProcess.objects.filter(objection__in=[o.pk for o in objection_rows])
                      .values_list("pk", flat=True))
    rows = GeneratedDocument.objects.filter(process_id__in=processes).order_by("created_at", "pk")
    return mark_retryable([d for d in rows if can_view_document(user, d)], user)


def _ties(evaluation):
    """The open quota ties with their members, for the award form."""
    names = _member_names(evaluation)
    return [{"target": t.get("target"), "target_label": word(t.get("target"), evaluation.scheme_version),
             "places": t.get("places_left"), "total": t.get("total"),
             "members": [(str(m), names.get(str(m), str(m))) for m in t.get("members") or []]}
            for t in awards.open_ties(evaluation)]


def _post_appraisal(request, step, evaluation):
    post = request.POST
    member = get_object_or_404(Member, pk=post.get("member"))
    method = post.get("method")
    kwargs = {}
    if method == "score":
        kwargs["score"] = post.get("score")
    elif method == "votes":
        kwargs["votes"] = {label: post.get(f"votes_{i}") for i, label in enumerate(VOTE_LABELS)}
    elif method == "raters":
        kwargs["raters"] = {k: post.get(f"rater_{k}") for k in ("self", "masses", "leadership")}
    elif method == "components":
        kwargs["components"] = _posted_components(post, evaluation)
    flags = {}
    if post.get("sanctioned"):
        flags["sanctioned"] = True
    if post.get("dues_unpaid_months"):
        try:
            flags["dues_unpaid_months"] = int(post.get("dues_unpaid_months"))
        except ValueError:
            step.add_error("flags", _("未交党费月数应为整数。"))
            return
    _run(request, step, evaluations.record_appraisal, evaluation, member, request.user, flags=flags, **kwargs)


def _posted_components(post, evaluation):
    """One appraisal per star from ``comp_<name>`` (a score) or ``comp_<name>_<rater>`` (weighted raters)."""
    components = {}
    for component in appraisal_components(evaluation):
        name = component.name
        raters = {k: post.get(f"comp_{name}_{k}", "") for k in RATER_LABELS}
        if post.get(f"comp_{name}"):
            components[name] = {"score": post.get(f"comp_{name}")}
        elif any(raters.values()):
            components[name] = {"raters": raters}
    return components


def _date(value):
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _post_disposition(request, step, evaluation):
    action, post, user = step.action, request.POST, request.user
    disposition = get_object_or_404(Disposition, pk=post.get("disposition"), evaluation=evaluation)
    step.disposition = disposition.pk
    if action == "talk":
        _run(request, step, dispositions.issue_talk_notice, disposition, user, talk_time=post.get("talk_time", ""),
             place=post.get("place", ""), talker=post.get("talker", ""))
    elif action == "rectify":
        _run(request, step, dispositions.start_rectification, disposition, user,
             requirements=post.get("requirements", ""), months=post.get("months") or 6)
    elif action == "confirm":
        _run(request, step, dispositions.confirm_disposition, disposition, user, post.get("note", ""))
    elif action == "decide_disposal":
        _run(request, step, dispositions.decide_disposal, disposition, user, measure=post.get("measure"),
             entitled=post.get("entitled"), present=post.get("present"), votes_for=post.get("votes_for"),
             requirements=post.get("requirements", ""), months=post.get("months") or 6)
    elif action in ("approve_disposal", "reject_disposal"):
        _run(request, step, dispositions.review_disposal, disposition, user, approve=action == "approve_disposal",
             comments=post.get("comments", ""))
    elif action == "outcome":
        _run(request, step, dispositions.record_rectification_outcome, disposition, user, post.get("outcome"))


def _post(request, evaluation):
    """Run the posted step; returns its StepForm (with the refusal by field, if any)."""
    action, post, user = request.POST.get("action"), request.POST, request.user
    step = StepForm(action)
    if action == "record_appraisal":
        _post_appraisal(request, step, evaluation)
    elif action == "import_appraisals":
        upload = request.FILES.get("file")
        if upload is None:
            step.add_error("file", _("请选择要导入的文件。"))
        else:
            _run(request, step, imports.import_appraisals, evaluation, user, upload.read(imports.MAX_BYTES + 1))
    elif action == "compute":
        _run(request, step, compute.compute_results, evaluation, user)
    elif action == "finish_appraisal":
        _run(request, step, evaluations.finish_appraisal, evaluation, user, confirm=bool(post.get("confirm")))
    elif action == "propose":
        _run(request, step, evaluations.propose_results, evaluation, user)
    elif action == "approve":
        _run(request, step, evaluations.approve_results, evaluation, user, post.get("comments", ""),
             _date(post.get("publicity_start")))
    elif action == "return":
        _run(request, step, evaluations.return_results, evaluation, user, post.get("comments", ""))
    elif action == "award_tie":
        chosen = list(Member.objects.filter(pk__in=[i for i in map(parse_int, post.getlist("members")) if i is not None]))
        _run(request, step, awards.award_tied_places, evaluation, user, target=post.get("target", ""),
             members=chosen, reason=post.get("reason", ""))
    else:
        _post_disposition(request, step, evaluation)
    return step


def _with_errors(rows, step):
    """The dispositions, each with ``errors``: the posted step's errors by field on its own row."""
    rows = list(rows)
    for d in rows:
        d.errors = step.errors if step is not None and step.disposition == d.pk else {}
    return rows


@login_required
def evaluation_detail(request, pk):
    """The evaluation's page; POST runs one step (``action``) and redirects, or shows its errors by field."""
    evaluation = get_object_or_404(Evaluation.objects.select_related("organisation", "scheme_version__scheme"), pk=pk)
    if not evaluations.can_view(request.user, evaluation):
        raise Http404
    user = request.user
    step = None
    if request.method == "POST":
        step = _post(request, evaluation)
        if not step.errors:
            return redirect(request.path)
    org = evaluation.organisation
    scheme = evaluation.scheme_version.engine_scheme()
    results = list(evaluation.results.select_related("member", "member__organisation").order_by("-total", "member__name"))
    for r in results:
        r.award_labels = [AWARD_NAMES[a] for a in scheme.awards_for(r.grade or None, r.stars, r.total, r.vetoed)]
    context = {
        "evaluation": evaluation,
        "results": results,
        "appraisal_components": appraisal_components(evaluation),
        "per_component": per_component(evaluation),
        "rater_labels": list(RATER_LABELS.items()) if scheme.appraisal_raters else [],
        "import_errors": step.errors if step is not None and step.action == "import_appraisals" else {},
        "inputs": {i.member_id: i for i in AppraisalInput.objects.filter(evaluation=evaluation)},
        "members": evaluations.evaluated_members(evaluation)[0],
        "checks": _checks(evaluation),
        "findings": [findings.finding_text(f, evaluation) for f in findings.ledger_findings(evaluation)]
        if evaluation.status in evaluations.EDITABLE_STATUSES else [],
        "finish_errors": step.errors if step is not None and step.action == "finish_appraisal" else {},
        "ties": _ties(evaluation),
        "awards": evaluation.quota_awards.select_related("member", "decided_by"),
        "tie_errors": step.errors if step is not None and step.action == "award_tie" else {},
        "component_labels": labels.component_labels(evaluation),
        "dispositions": _with_errors(
            evaluation.dispositions.select_related("member").order_by("member__name", "action"), step),
        "is_staff": can_act_on(user, org, BRANCH_STAFF),
        "is_secretary": can_act_on(user, org, evaluations.OWNERS),
        "is_reviewer": can_review(user, org),
        "editable": evaluation.status in (EvaluationStatus.APPRAISAL, EvaluationStatus.COMPUTED, EvaluationStatus.RETURNED),
        "S": EvaluationStatus, "DS": DispositionStatus, "DA": DispositionAction,
        "measures": DisposalMeasure.values, "outcomes": RectificationOutcome.choices[1:],
        "vote_labels": list(enumerate(VOTE_LABELS)),
        "appraisal_errors": step.errors if step is not None and step.action == "record_appraisal" else {},
        "review_errors": step.errors if step is not None and step.action in ("approve", "return") else {},
        "objections": objections.evaluation_objections(evaluation) if (
            can_act_on(user, org, BRANCH_STAFF) or can_review(user, org)) else (),
    }
    context["documents"] = _documents(evaluation, context["objections"] or (), user)
    if request.GET.get("verify") and evaluation.results.exists():
        try:
            context["differences"] = compute.verify_results(evaluation)
        except ValidationError as exc:
            for message in error_messages(exc):
                messages.error(request, message)
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
