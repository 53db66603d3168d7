"""Review rounds for staff: list, detail, open a round, higher-level filing, answering objections."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from documents.models import GeneratedDocument
from documents.permissions import can_view, mark_retryable
from members import roles
from organisations.models import OrganisationKind, RoleKind
from organisations.permissions import BRANCH_STAFF, can_act_on, can_review, organisations_for
from workflow.forms import WordedChoices, apply_error, error_messages

from .. import integration, privacy
from ..models import (
    Objection,
    ObjectionOutcome,
    ObjectionProcess,
    ReviewRound,
    ReviewRoundProcess,
    RoundStatus,
    local_today,
)
from ..services import filing as filing_service
from ..services import objections, points, rounds


def _documents_for_round(review_round, user):
    process = getattr(review_round, "process", None)
    ids = [process.pk] if process is not None else []
    objection_processes = [
        o.process.pk for o in review_round_objections(review_round) if hasattr(o, "process")
    ]
    docs = GeneratedDocument.objects.filter(process_id__in=ids + objection_processes).order_by("created_at", "pk")
    return mark_retryable([d for d in docs if can_view(user, d)], user)


def review_round_objections(review_round):
    return Objection.objects.filter(declaration__review_round=review_round).select_related(
        "declaration__member"
    ).order_by("received_on", "pk")


def _objections_seen_by(review_round, user):
    """The round's objections, each with ``shown_objector``: the objector, or "异议人" for the member objected against."""
    rows = list(review_round_objections(review_round))
    for o in rows:
        o.shown_objector = o.objector_name if privacy.may_see_objector(user, o.declaration) else _("异议人")
    return rows


def _refused_for(review_round, user):
    """The round's refused public objections (newest first, at most 100) for branch staff and reviewers, else None."""
    organisation = review_round.organisation
    if not (can_act_on(user, organisation, BRANCH_STAFF) or can_review(user, organisation)):
        return None
    return list(review_round.refused_objections.select_related("declaration__member")[:100])


def _refuse_objected_member(user, objection):
    if privacy.is_objected_member(user, objection):
        raise PermissionDenied(_("您是被提出异议的党员，应当回避，不能查看或处理该异议。"))


class OpenRoundForm(WordedChoices, forms.Form):
    organisation = forms.ModelChoiceField(label=_lazy("党支部"), queryset=None)
    period_start = forms.DateField(
        label=_lazy("审核期起始日"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_lazy("留空则为今天所在的公示周期（方案规定的月、季度、半年或年度，从方案周期起始日起算）。"),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


@login_required
def round_list(request):
    if not roles.has_any_role(request.user):
        raise PermissionDenied(_("审核批次只对书记、支委和上级审查人开放。"))
    visible = roles.visible_organisations(request.user)
    ownable = organisations_for(request.user, (RoleKind.SECRETARY,)).filter(
        kind__in=[OrganisationKind.BRANCH, OrganisationKind.VILLAGE, OrganisationKind.SCHOOL,
                  OrganisationKind.ENTERPRISE, OrganisationKind.GENERAL_BRANCH],
        parent__isnull=False,
    )
    form = OpenRoundForm(request.POST or None, organisations=ownable)
    if request.method == "POST" and form.is_valid():
        try:
            rr = rounds.open_round(
                organisation=form.cleaned_data["organisation"], by=request.user,
                period_start=form.cleaned_data.get("period_start"),
            )
        except (ValidationError, PermissionDenied) as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("已发起审核批次：%(r)s") % {"r": rr})
            return redirect("reviews:round_detail", pk=rr.pk)
    visible_rounds = (
        ReviewRound.objects.filter(organisation__in=visible)
        .select_related("organisation")
        .order_by("-period_start", "organisation__path")[:200]
    )
    rows = []
    for r in visible_rounds:
        rows.append({
            "r": r,
            "can_meet": r.is_at_branch_meeting and can_act_on(request.user, r.organisation, BRANCH_STAFF),
            "can_file": r.status == RoundStatus.HIGHER_REVIEW and can_review(request.user, r.organisation),
        })
    return render(request, "reviews/rounds.html", {"rows": rows, "form": form if ownable.exists() else None})


@login_required
def round_detail(request, pk):
    rr = get_object_or_404(ReviewRound.objects.select_related("organisation"), pk=pk)
    if not (can_act_on(request.user, rr.organisation) or can_review(request.user, rr.organisation)):
        raise PermissionDenied(_("您无权查看该审核批次。"))
    return render(
        request,
        "reviews/round_detail.html",
        {
            "r": rr,
            "declarations": rr.declarations.select_related("member", "scheme_version")
            .prefetch_related(points.upheld_prefetch()).order_by("member__name", "pk"),
            "meetings": rr.meetings.order_by("review_pass", "held_on", "pk"),
            "review_periods": integration.review_periods(rr),
            "filings": rr.filings.select_related("reviewer", "reviewer_organisation").order_by("review_pass", "pk"),
            "publicities": rr.publicities.order_by("start_on", "pk"),
            "objections": _objections_seen_by(rr, request.user),
            "documents": _documents_for_round(rr, request.user),
            "can_meet": rr.is_at_branch_meeting and can_act_on(request.user, rr.organisation, BRANCH_STAFF),
            "can_file": rr.status == RoundStatus.HIGHER_REVIEW and can_review(request.user, rr.organisation),
            "is_reviewer": can_review(request.user, rr.organisation),
            "audit": rr.audit_entries.filter(declaration__isnull=True).order_by("at", "pk"),
            # refused public objections (reviews.refusals): for the staff answering and the reviewers
            "refused": _refused_for(rr, request.user),
        },
    )


class FilingForm(forms.Form):
    decision = forms.ChoiceField(
        label=_lazy("审查结果"),
        choices=[("file", _lazy("审查通过并备案（开始公示）")), ("return", _lazy("退回修改"))],
        widget=forms.RadioSelect,
    )
    comments = forms.CharField(
        label=_lazy("审查意见"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
        help_text=_lazy("退回时必须写明需要修改的内容。"),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "return" and not (data.get("comments") or "").strip():
            self.add_error("comments", _("退回修改须写明审查意见。"))
        return data


@login_required
def filing(request, pk=None, process_pk=None, task_pk=None, **kwargs):
    if process_pk is not None:
        rr = get_object_or_404(ReviewRoundProcess, pk=process_pk).review_round
    else:
        rr = get_object_or_404(ReviewRound.objects.select_related("organisation"), pk=pk)
    if not can_review(request.user, rr.organisation):
        raise PermissionDenied(_("只有上级党组织的审查人可以审查备案。"))
    form = FilingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["decision"] == "file":
                filing_service.file_round(rr, request.user, form.cleaned_data["comments"])
                done = _("已审查通过并备案，公示已开始。")
            else:
                filing_service.return_round(rr, request.user, form.cleaned_data["comments"])
                done = _("已退回支部修改。")
        except (ValidationError, PermissionDenied) as exc:
            apply_error(form, exc)
        else:
            messages.success(request, done)
            return redirect("reviews:round_detail", pk=rr.pk)
    return render(
        request,
        "reviews/filing.html",
        {
            "r": rr,
            "form": form,
            "declarations": rr.declarations.exclude(status="withdrawn").select_related("member", "scheme_version")
            .prefetch_related(points.upheld_prefetch()).order_by("member__name", "pk"),
            "meeting": rr.latest_meeting(),
            "filings": rr.filings.order_by("review_pass", "pk"),
            "at_step": rr.status == RoundStatus.HIGHER_REVIEW,
        },
        status=400 if form.errors else 200,
    )


class AnswerForm(forms.Form):
    outcome = forms.ChoiceField(label=_lazy("处理结果"), choices=ObjectionOutcome.choices, widget=forms.RadioSelect)
    corrected_points = forms.DecimalField(
        label=_lazy("更正后分值"), required=False, max_digits=8, decimal_places=2,
        help_text=_lazy("仅在异议成立时填写。"),
    )
    reason = forms.CharField(label=_lazy("调查核实情况和答复理由"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)
    answered_on = forms.DateField(label=_lazy("答复日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def clean(self):
        data = super().clean()
        # Without the field (an objection to another record, corrected by its own process) nothing is asked.
        upheld = data.get("outcome") == ObjectionOutcome.UPHELD
        if "corrected_points" in self.fields and upheld and data.get("corrected_points") is None:
            self.add_error("corrected_points", _("异议成立须填写更正后的分值。"))
        if data.get("outcome") == ObjectionOutcome.DISMISSED and data.get("corrected_points") is not None:
            self.add_error("corrected_points", _("异议不成立时不能填写更正分值。"))
        answered = data.get("answered_on")
        if answered and answered > local_today():
            self.add_error("answered_on", _("答复日期不能晚于今天。"))
        return data


@login_required
def answer_objection(request, pk=None, process_pk=None, task_pk=None, **kwargs):
    if process_pk is not None:
        objection = get_object_or_404(ObjectionProcess, pk=process_pk).objection
    else:
        objection = get_object_or_404(
            Objection.objects.select_related("declaration__member", "declaration__review_round__organisation",
                                         "organisation"), pk=pk
        )
    rr, org = objection.review_round, objection.organisation
    if not (can_act_on(request.user, org, BRANCH_STAFF) or can_review(request.user, org)):
        raise PermissionDenied(_("只有本支部工作人员或上级审查人可以处理该异议。"))
    _refuse_objected_member(request.user, objection)
    staff = can_act_on(request.user, org, BRANCH_STAFF)
    may_answer = staff and not objection.is_answered
    form = AnswerForm(request.POST or None)
    if rr is None:
        del form.fields["corrected_points"]  # another record is corrected by its own process
    # A form sent after someone else answered still goes to the service, which refuses it
    # (objection_already_answered) so the sender is told instead of silently ignored.
    if request.method == "POST" and staff and form.is_valid():
        data = form.cleaned_data
        try:
            objections.answer_objection(
                objection, request.user, data["outcome"], data["reason"],
                corrected_points=data.get("corrected_points"), answered_on=data.get("answered_on"),
            )
        except (ValidationError, PermissionDenied) as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("异议已答复。"))
            return redirect(_back_url(objection))
    return render(
        request,
        "reviews/answer_objection.html",
        {
            "o": objection,
            "r": rr,
            "form": form,
            "may_answer": may_answer,
            "effective_points": points.effective_points(objection.declaration) if rr else None,
            "back_url": _back_url(objection),
        },
        status=400 if form.errors else 200,
    )


class SuperviseForm(forms.Form):
    note = forms.CharField(label=_lazy("督办意见"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


def _back_url(objection):
    """The page of what is objected to: the round, or the record's own page."""
    if objection.review_round is not None:
        return reverse("reviews:round_detail", args=[objection.review_round.pk])
    return objection.subject.get_absolute_url()


def _objection_from(pk=None, process_pk=None):
    if process_pk is not None:
        return get_object_or_404(ObjectionProcess.objects.select_related("objection"), pk=process_pk).objection
    return get_object_or_404(
        Objection.objects.select_related("declaration__member", "declaration__review_round__organisation",
                                         "organisation"), pk=pk
    )


@login_required
def objection_review(request, pk=None, process_pk=None, task_pk=None, **kwargs):
    """上级党组织: file the branch's written explanation of an answer, or supervise an overdue answer."""
    objection = _objection_from(pk, process_pk)
    rr = objection.review_round
    if not can_review(request.user, objection.organisation):
        raise PermissionDenied(_("只有上级党组织的审查人可以备案情况说明或督办逾期异议。"))
    _refuse_objected_member(request.user, objection)
    may_file = objection.is_answered and objection.explanation_filed_on is None
    may_supervise = objection.escalated_at is not None
    action = request.POST.get("action") if request.method == "POST" else None
    form = SuperviseForm(request.POST if action == "supervise" else None)
    errors = []
    if action == "file_explanation":
        try:
            objections.file_explanation(objection, request.user)
        except (ValidationError, PermissionDenied) as exc:
            errors.extend(error_messages(exc))
        else:
            messages.success(request, _("情况说明已存档备案。"))
            return redirect(_back_url(objection))
    elif action == "supervise" and form.is_valid():
        try:
            objections.supervise_overdue(objection, request.user, form.cleaned_data["note"])
        except (ValidationError, PermissionDenied) as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("督办意见已记录。"))
            return redirect(_back_url(objection))
    elif action is not None and action != "supervise":
        errors.append(_("未知的操作。"))
    return render(
        request,
        "reviews/objection_review.html",
        {
            "o": objection, "r": rr, "form": form, "errors": errors,
            "may_file": may_file, "may_supervise": may_supervise,
            "effective_points": points.effective_points(objection.declaration) if rr else None,
            "back_url": _back_url(objection),
        },
        status=400 if (errors or form.errors) else 200,
    )
