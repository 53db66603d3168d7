"""Year-end screens beside the evaluation page: opening an evaluation, the appraisal sheet of every
member (typed in or imported from .xlsx, all or nothing), and a member's own results.

Every change goes through ``appraisals.services`` (permission, validation, audit); these views
parse the forms and show refusals beside the row or input they concern.
"""
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from members import roles
from organisations.permissions import BRANCH_STAFF, can_act_on, organisations_for
from workdays.clock import local_today
from workdays.wording import join_clauses, points_text
from workflow.forms import WordedChoices, apply_error, error_messages

from . import labels
from .models import VOTE_LABELS, AppraisalInput, Evaluation, EvaluationStatus, MemberResult
from .services import evaluations
from .sheets import SheetError, read_appraisal_sheet


class OpenEvaluationForm(WordedChoices, forms.Form):
    organisation = forms.ModelChoiceField(label=_lazy("组织"), queryset=None)
    publicity_days = forms.IntegerField(label=_lazy("公示天数"), min_value=7, max_value=30, initial=7)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


def openable_organisations(user):
    """Where the user may open an evaluation: secretary of a branch (or higher) with a parent."""
    return organisations_for(user, evaluations.OWNERS).filter(
        kind__in=evaluations.EVALUATING_KINDS, parent__isnull=False).order_by("path")


@login_required
@require_POST
def open_evaluation(request):
    form = OpenEvaluationForm(request.POST, organisations=openable_organisations(request.user))
    if form.is_valid():
        try:
            evaluation = evaluations.open_evaluation(
                organisation=form.cleaned_data["organisation"], by=request.user,
                publicity_days=form.cleaned_data["publicity_days"])
        except (ValidationError, PermissionDenied) as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("已发起年终评定：%(e)s。") % {"e": evaluation})
            return redirect("appraisals:sheet", pk=evaluation.pk)
    for message in [m for msgs in form.errors.values() for m in msgs]:
        messages.error(request, message)
    return redirect("appraisals:list")


def _staff_evaluation(request, pk):
    evaluation = get_object_or_404(Evaluation.objects.select_related("organisation", "scheme_version"), pk=pk)
    if not evaluations.can_view(request.user, evaluation):
        raise Http404
    if not can_act_on(request.user, evaluation.organisation, BRANCH_STAFF):
        raise PermissionDenied(_("只有本支部的书记、支委或专人记分员可以录入民主评议。"))
    return evaluation


def _save_rows(evaluation, user, rows):
    """Record every row (``{"member", "votes"|"score"}``) or none; returns ``{member pk: [messages]}``."""
    errors = {}
    try:
        with transaction.atomic():
            for row in rows:
                try:
                    with transaction.atomic():
                        evaluations.record_appraisal(evaluation, row["member"], user,
                                                     **{k: v for k, v in row.items() if k in ("votes", "score")})
                except (ValidationError, PermissionDenied) as exc:
                    errors[row["member"].pk] = error_messages(exc)
            if errors:
                raise _Rollback
    except _Rollback:
        pass
    return errors


class _Rollback(Exception):
    pass


@login_required
def appraisal_sheet(request, pk):
    """民主评议录入: one row per member (four vote counts, or a score), saved together or not at all."""
    evaluation = _staff_evaluation(request, pk)
    members = evaluations.evaluated_members(evaluation)[0]
    inputs = {i.member_id: i for i in AppraisalInput.objects.filter(evaluation=evaluation)}
    editable = evaluation.status in (EvaluationStatus.APPRAISAL, EvaluationStatus.COMPUTED, EvaluationStatus.RETURNED)
    errors, posted = {}, {}
    if request.method == "POST" and editable:
        rows = []
        for m in members:
            votes = {label: request.POST.get(f"v{i}-{m.pk}", "").strip() for i, label in enumerate(VOTE_LABELS)}
            score = request.POST.get(f"score-{m.pk}", "").strip()
            posted[m.pk] = {"votes": [votes[label] for label in VOTE_LABELS], "score": score}
            if score:
                rows.append({"member": m, "score": score})
            elif any(votes.values()):
                rows.append({"member": m, "votes": votes})
        errors = _save_rows(evaluation, request.user, rows)
        if not errors:
            messages.success(request, _("已保存 %(n)s 人的民主评议。") % {"n": len(rows)})
            return redirect("appraisals:sheet", pk=evaluation.pk)
        messages.error(request, _("有 %(n)s 行未通过检查，全部未保存，请改正后再提交。") % {"n": len(errors)})
    table = []
    for m in members:
        current = inputs.get(m.pk)
        values = posted.get(m.pk) or {
            "votes": [str(v) if current and current.method == "votes" else "" for v in
                      (current.votes().values() if current else [""] * 4)],
            "score": points_text(current.score) if current and current.score is not None else "",
        }
        table.append({"member": m, "values": values, "errors": errors.get(m.pk, []), "done": current is not None})
    return render(request, "appraisals/sheet.html", {
        "evaluation": evaluation, "table": table, "vote_labels": list(enumerate(VOTE_LABELS)),
        "editable": editable, "scale": evaluations.appraisal_scale(evaluation),
        "done": len(inputs), "total": len(members),
    })


class ImportForm(forms.Form):
    file = forms.FileField(label=_lazy("民主评议表（.xlsx）"))


@login_required
def appraisal_import(request, pk):
    """Import the appraisal sheet from .xlsx: every row is checked; one bad row and nothing is saved."""
    evaluation = _staff_evaluation(request, pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    report = []
    if request.method == "POST" and form.is_valid():
        members = evaluations.evaluated_members(evaluation)[0]
        try:
            rows = read_appraisal_sheet(form.cleaned_data["file"], members)
        except SheetError as exc:
            report = exc.report
        else:
            errors = _save_rows(evaluation, request.user, [r["data"] for r in rows])
            report = [{"row": r["row"], "name": r["data"]["member"].name, "message": join_clauses(errors[r["data"]["member"].pk])}
                      for r in rows if r["data"]["member"].pk in errors]
            if not report:
                messages.success(request, _("已导入 %(n)s 人的民主评议。") % {"n": len(rows)})
                return redirect("appraisals:sheet", pk=evaluation.pk)
    return render(request, "appraisals/import.html", {"evaluation": evaluation, "form": form, "report": report,
                                                       "vote_labels": VOTE_LABELS})


@login_required
def my_results(request):
    """我的年终评定: the member's results once they are publicised, with the reasons behind them."""
    member = roles.member_of(request.user)
    if member is None:
        raise PermissionDenied(_("您的账号没有关联党员/成员档案，请联系支部管理员。"))
    shown = (EvaluationStatus.PUBLICITY, EvaluationStatus.PUBLISHED, EvaluationStatus.CONCLUDED)
    today = local_today()
    rows = []
    for result in MemberResult.objects.filter(member=member, evaluation__status__in=shown).select_related(
            "evaluation__organisation", "evaluation__scheme_version").order_by("-cycle_start"):
        evaluation = result.evaluation
        names = {str(member.pk): member.name}
        component_names = labels.component_labels(evaluation)
        reasons = [labels.check_text(c, names) for c in evaluation.checks or []
                   if str(member.pk) in [str(m) for m in (c.get("members") or c.get("moved") or [c.get("member")])]]
        rows.append({
            "result": result, "evaluation": evaluation,
            "components": [(component_names.get(k, k), Decimal(str(v))) for k, v in result.components.items()],
            "actions": [labels.action_label(a) for a in result.actions],
            "reasons": reasons,
            "awarded": evaluation.quota_awards.filter(member=member).first(),
            # 提出异议 straight from here while the publicity is open (the public board's form, logged in).
            "objection_open": evaluation.accepts_objection_on(today),
        })
    return render(request, "appraisals/mine.html", {"member": member, "rows": rows})
