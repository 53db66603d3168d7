"""支部会议审核: one page for the secretary.

Attendance with the quorum shown live, every declaration of the round with its evidence
thumbnails, approve / adjust / reject each with a reason, bulk approve for selected rows,
and the report upward. Validation errors are shown beside the field that caused them, in
Chinese, and what was typed is kept. All work goes through ``reviews.services``.

Usable on its own (``/rounds/<pk>/meeting/``) and as the ``branch_meeting`` task view of
``reviews.flows.ReviewRoundFlow`` (called with ``process_pk``/``task_pk``).
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import pgettext_lazy

from organisations.permissions import BRANCH_STAFF, can_act_on
from safeguards.params import parse_int
from workdays.wording import join_clauses
from workflow.forms import EMPTY_LABEL, WordedChoices, apply_error, error_messages

from ..attendance import split_entries
from ..models import (
    DECIDED,
    DeclarationStatus,
    MeetingKind,
    ReviewRound,
    ReviewRoundProcess,
    RoundStatus,
    local_today,
)
from ..services import meeting as meeting_service
from ..services import meeting_correction
from ..services import quorum, roll_call
from ..services import rounds as rounds_service
from ..services.points import parse_points, upheld_prefetch

OUTCOMES = (
    (DeclarationStatus.APPROVED, pgettext_lazy("decision option", "认定")),
    (DeclarationStatus.ADJUSTED, _lazy("调整")),
    (DeclarationStatus.REJECTED, _lazy("不予认定")),
)


class MeetingForm(WordedChoices, forms.Form):
    kind = forms.ChoiceField(label=_lazy("会议类型"), choices=[("", EMPTY_LABEL)] + list(MeetingKind.choices))
    held_on = forms.DateField(label=_lazy("会议日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    place = forms.CharField(label=_lazy("会议地点"), max_length=100,
                            help_text=_lazy("例如：社区党群服务中心二楼会议室"))
    chair = forms.CharField(label=_lazy("主持人"), max_length=50, required=False,
                            help_text=_lazy("不填则会议纪要写支部书记。"))
    entitled_count = forms.IntegerField(
        label=_lazy("应到人数"), min_value=1, max_value=10000, required=False,
        help_text=_lazy("支部党员大会为全体正式党员人数，支委会为支委人数。"),
    )
    extra_attendee_count = forms.IntegerField(
        label=_lazy("名单外实到人数"), min_value=0, max_value=10000, initial=0, required=False,
        help_text=_lazy("不在上面名单中的到会人数（例如外出党员视频参会）。"),
    )
    minute_taker = forms.CharField(label=_lazy("记录人"), max_length=50)
    absentee_names = forms.CharField(
        label=_lazy("缺席人员及原因"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_lazy("未勾选的应到人员记为缺席，在此注明原因（可不填），例如：王某（外出务工，请假）。"),
    )
    guide_signatory = forms.CharField(label=_lazy("党建指导员（签字）"), max_length=50, required=False)
    observers = forms.CharField(
        label=_lazy("列席人员"), max_length=200, required=False, help_text=_lazy("村民代表、村务监督委员会成员等")
    )

    #: One list of who may attend per meeting kind, read from the records (``quorum.entitled_people``).
    KIND_LABELS = {
        MeetingKind.COMMITTEE: _lazy("实到人员（在册支委）"),
        MeetingKind.BRANCH_MEETING: _lazy("实到人员（在册正式党员）"),
    }

    def __init__(self, *args, review_round, **kwargs):
        super().__init__(*args, **kwargs)
        self.review_round = review_round
        organisation = review_round.organisation
        self.people = {kind: quorum.entitled_people(organisation, kind) for kind in MeetingKind.values}
        self.on_record = {kind: quorum.entitled_on_record(organisation, kind) for kind in MeetingKind.values}
        fields = dict(self.fields)
        self.fields.clear()
        for name, field in fields.items():
            self.fields[name] = field
            if name == "entitled_count":  # the lists follow the count they make up
                for kind in MeetingKind.values:
                    self.fields[attendee_field(kind)] = forms.MultipleChoiceField(
                        label=self.KIND_LABELS[kind], required=False, widget=forms.CheckboxSelectMultiple,
                        choices=[(p.key, p.name) for p in self.people[kind]],
                    )
        if review_round.requires_guide_signatory:
            self.fields["guide_signatory"].required = True
            self.fields["guide_signatory"].help_text = _("农村积分方案：党建指导员须到会并签字。")

    def clean_held_on(self):
        value = self.cleaned_data["held_on"]
        if value > local_today():
            raise ValidationError(_("会议日期不能晚于今天。"))
        if value < self.review_round.period_start:
            raise ValidationError(
                _("会议日期不能早于审核期起始日%(d)s。") % {"d": self.review_round.period_start}
            )
        return value

    @property
    def committee_short(self):
        """Fewer than three on the committee on record: no 支委会 can be held (``quorum.check_entitled``)."""
        return self.on_record[MeetingKind.COMMITTEE] < quorum.COMMITTEE_MIN

    def attendee_fields(self):
        """``(kind, bound field)`` of each kind's list, for the page to show the chosen kind's."""
        return [(kind, self[attendee_field(kind)]) for kind in MeetingKind.values]

    def chosen_kind(self):
        kind = (self.data.get(self.add_prefix("kind")) if self.is_bound else None) or self.initial.get("kind")
        return kind if kind in MeetingKind.values else MeetingKind.COMMITTEE

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        keys = set(data.get(attendee_field(kind)) or []) if kind else set()
        present_people = [p for p in self.people.get(kind, []) if p.key in keys]
        data["present_people"] = present_people
        present = len(present_people) + (data.get("extra_attendee_count") or 0)
        data["attendee_count"] = present
        entitled = data.get("entitled_count")
        if entitled is not None and present > entitled:
            self.add_error(
                "entitled_count",
                _("实到 %(a)s 人超过了应到人数 %(e)s 人。") % {"a": present, "e": entitled},
            )
        return data

    def live_attendance(self):
        """The attendance the form's figures make (``None`` before anything is typed): the same
        rule as a recorded meeting's (``reviews.models.attendance``)."""
        if not self.is_bound:
            return None
        kind = self.chosen_kind()
        typed = (self.data.get(self.add_prefix("entitled_count")) or "").strip()
        entitled = parse_int(typed) if typed else self.on_record[kind]  # blank: the number on record
        if entitled is None:
            return None
        extra = parse_int(self.data.get(self.add_prefix("extra_attendee_count"))) or 0
        keys = set(self.data.getlist(self.add_prefix(attendee_field(kind))))
        present = sum(1 for p in self.people[kind] if p.key in keys) + max(extra, 0)
        if kind == MeetingKind.COMMITTEE and self.committee_short:
            return {"state": "short", "ok": False, "a": present, "e": entitled}
        state = quorum.attendance(entitled, present, self.on_record[kind])
        if state == quorum.Attendance.VALID and any(
            self.errors.get(f) for f in ("entitled_count", "extra_attendee_count", "kind", attendee_field(kind))
        ):
            return {"state": "error", "ok": False, "a": present, "e": entitled}
        return {"state": state, "ok": state == quorum.Attendance.VALID, "a": present, "e": entitled}


class CorrectionForm(MeetingForm):
    """更正会议记录: the meeting form, filled with what was recorded, and the reason for the change."""

    reason = forms.CharField(label=_lazy("更正理由"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_lazy("原记录哪里有误，例如：出席人员漏记一人、会议日期记错。"))

    @staticmethod
    def initial_for(meeting, people):
        """The form's initial values: ``meeting`` as recorded (``people``: the form's entitled people per kind)."""
        names = {roll_call.entry_name(e) for e in split_entries(meeting.attendee_names)}
        rows = set(meeting.attendees.values_list("pk", flat=True))
        ticked = [p.key for p in people.get(meeting.kind, [])
                  if p.name in names or (p.member is not None and p.member.pk in rows)]
        return {
            "kind": meeting.kind, "held_on": meeting.held_on, "place": meeting.place, "chair": meeting.chair,
            "entitled_count": meeting.entitled_count, "minute_taker": meeting.minute_taker,
            "absentee_names": typed_absentees(meeting), "guide_signatory": meeting.guide_signatory,
            "observers": meeting.observers, attendee_field(meeting.kind): ticked,
            "extra_attendee_count": max(meeting.attendee_count - len(ticked), 0),
        }


def typed_absentees(meeting):
    """What the secretary typed as 缺席人员及原因 (``absentee_reasons``), never the names the roll call
    derived from those not ticked; a meeting recorded before it was kept gives its entries with a reason."""
    if meeting.absentee_reasons or not meeting.absentee_names:
        return meeting.absentee_reasons
    reasons = [e for e in split_entries(meeting.absentee_names) if roll_call.entry_name(e) != e]
    return roll_call.MINUTES_LIST_MARK.join(reasons)


def attendee_field(kind):
    """The form field listing who attended a meeting of ``kind``."""
    return f"attendees_{kind}"


def _meeting_record(data):
    """A meeting form's cleaned data → the keyword arguments of ``record_meeting`` / ``correct_meeting``."""
    return dict(
        kind=data["kind"], held_on=data["held_on"], entitled_count=data["entitled_count"],
        attendee_count=data["attendee_count"], present_keys=[p.key for p in data["present_people"]],
        minute_taker=data["minute_taker"], guide_signatory=data.get("guide_signatory", ""),
        observers=data.get("observers", ""), place=data["place"], chair=data.get("chair", ""),
        absentee_names=data.get("absentee_names", ""),
    )


def _meeting_field_map(data):
    """The service's fields → the form's: the form counts the present as the ticked names plus the
    others, so the service's ``attendee_count`` error is about that count against the entitled one."""
    return {"attendee_count": "entitled_count", "attendees": attendee_field(data["kind"])}


def _editable(review_round, declaration):
    """Undecided rows; on a round returned by the higher level, decided rows may be revised too."""
    if not review_round.is_at_branch_meeting:
        return False
    if declaration.status == DeclarationStatus.SUBMITTED:
        return True
    return review_round.status == RoundStatus.RETURNED and declaration.status in DECIDED


def _decision_rows(review_round, post=None, errors=None):
    rows = []
    errors = errors or {}
    for d in review_round.declarations.exclude(status=DeclarationStatus.WITHDRAWN).select_related(
        "member", "scheme_version"
    ).prefetch_related("evidence", upheld_prefetch()).order_by("member__name", "occurred_on", "pk"):
        key = str(d.pk)
        rows.append(
            {
                "d": d,
                "editable": _editable(review_round, d),
                "evidence": list(d.evidence.all()),
                "outcome": (post.get(f"outcome_{key}") if post else "") or "",
                "points": (post.get(f"points_{key}") if post else "") or "",
                "reason": (post.get(f"reason_{key}") if post else "") or "",
                "selected": bool(post and key in post.getlist("selected")),
                "token": meeting_service.decision_token(d),
                "errors": errors.get(d.pk, {}),
            }
        )
    return rows


#: Where a decision's service error shows in its table row (the row has outcome, points, reason cells).
_ROW_FIELDS = {"decided_points": "points", "reason": "reason", "outcome": "outcome"}


def _row_errors(exc):
    """``{cell: message}`` for a service error about one row; whole-step errors go to the outcome cell."""
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        errs = {}
        for field, texts in exc.message_dict.items():
            cell = _ROW_FIELDS.get(field, "outcome")
            errs[cell] = join_clauses([errs.get(cell), *texts])
        return errs
    return {"outcome": join_clauses(error_messages(exc))}


def _check_row(outcome, points_raw, reason):
    """Field errors for one row, before calling the service (so they sit beside the field)."""
    errs = {}
    if outcome not in {o for o, _l in OUTCOMES}:
        errs["outcome"] = _("请选择认定结果。")
        return errs, None
    points = None
    if outcome == DeclarationStatus.ADJUSTED:
        if not points_raw.strip():
            errs["points"] = _("调整认定须填写调整后的分值。")
        else:
            try:  # the service's own parser: no exponent notation ("1e5"), two places, within range
                points = parse_points(points_raw.strip(), field="points", label=_("调整后的分值"))
            except ValidationError:
                errs["points"] = _("“%(v)s”不是有效的分值（最多两位小数）。") % {"v": points_raw}
    if outcome in (DeclarationStatus.ADJUSTED, DeclarationStatus.REJECTED) and not reason.strip():
        errs["reason"] = _("调整或不予认定须说明理由。")
    return errs, points


def _resolve_round(pk=None, process_pk=None):
    if process_pk is not None:

        return get_object_or_404(ReviewRoundProcess.objects.select_related("review_round"), pk=process_pk).review_round
    return get_object_or_404(ReviewRound.objects.select_related("organisation"), pk=pk)


@login_required
def branch_meeting(request, pk=None, process_pk=None, task_pk=None, **kwargs):
    review_round = _resolve_round(pk, process_pk)
    if not can_act_on(request.user, review_round.organisation, BRANCH_STAFF):
        raise PermissionDenied(_("只有本支部的书记、支委或专人记分员可以进行支部会议审核。"))
    meeting = review_round.latest_meeting()
    # A branch without a committee on record (fewer than three) reviews at a 党员大会: offer that first.
    kind = (MeetingKind.COMMITTEE if quorum.committee_on_record(review_round.organisation) >= quorum.COMMITTEE_MIN
            else MeetingKind.BRANCH_MEETING)
    at_meeting = review_round.is_at_branch_meeting
    action = request.POST.get("action") if request.method == "POST" else None
    meeting_form = MeetingForm(
        request.POST if action == "record_meeting" else None,
        review_round=review_round,
        initial={"entitled_count": quorum.entitled_on_record(review_round.organisation, kind),
                 "held_on": local_today(), "kind": kind},
    )
    current = meeting if meeting is not None and meeting.review_pass == review_round.review_pass else None
    correction_form = None
    if at_meeting and current is not None:
        correction_form = CorrectionForm(request.POST if action == "correct_meeting" else None,
                                         review_round=review_round, prefix="fix")
        correction_form.initial = CorrectionForm.initial_for(current, correction_form.people)
    row_errors = {}
    decision_post = request.POST if action in ("decide", "bulk_approve") else None
    top_errors = []

    if action == "record_meeting" and meeting_form.is_valid():
        data = meeting_form.cleaned_data
        try:
            meeting_service.record_meeting(
                review_round, request.user, **_meeting_record(data))
        except (ValidationError, PermissionDenied) as exc:
            apply_error(meeting_form, exc, field_map=_meeting_field_map(data))
        else:
            messages.success(request, _("会议记录已保存。"))
            return redirect(request.path)

    elif action == "correct_meeting" and correction_form is not None and correction_form.is_valid():
        data = correction_form.cleaned_data
        try:
            meeting_correction.correct_meeting(
                current, request.user, reason=data["reason"], **_meeting_record(data))
        except (ValidationError, PermissionDenied) as exc:
            apply_error(correction_form, exc, field_map=_meeting_field_map(data))
        else:
            messages.success(request, _("会议记录已更正。"))
            return redirect(request.path)

    elif action == "correct_meeting" and correction_form is None:
        top_errors.append(_("审核批次“%(round)s”当前状态为“%(status)s”，没有可以更正的本轮会议记录。")
                          % {"round": review_round, "status": review_round.get_status_display()})

    elif action == "decide":
        decided = 0
        for d in review_round.declarations.exclude(status=DeclarationStatus.WITHDRAWN).order_by("pk"):
            outcome = request.POST.get(f"outcome_{d.pk}", "")
            points_raw = request.POST.get(f"points_{d.pk}", "")
            reason = request.POST.get(f"reason_{d.pk}", "")
            token = request.POST.get(f"token_{d.pk}") or None  # the decision this form showed
            if not outcome and not points_raw.strip() and not reason.strip():
                continue  # row left untouched
            if token is not None and token != meeting_service.decision_token(d):
                row_errors[d.pk] = _row_errors(meeting_service.decision_conflict(d))  # decided meanwhile
                continue
            if not _editable(review_round, d):
                continue
            errs, points = _check_row(outcome, points_raw, reason)
            if not errs:
                try:
                    meeting_service.decide_declaration(d, request.user, outcome, points=points, reason=reason,
                                                       expected=token)
                    decided += 1
                    continue
                except (ValidationError, PermissionDenied) as exc:
                    errs = _row_errors(exc)
            row_errors[d.pk] = errs
        if decided:
            messages.success(request, _("已认定 %(n)s 项申报。") % {"n": decided})
        if not row_errors:
            if not decided:
                messages.error(request, _("没有填写任何认定结果。"))
            return redirect(request.path)
        top_errors.append(_("有 %(n)s 项申报未能认定，请看表格中标出的错误。") % {"n": len(row_errors)})

    elif action == "bulk_approve":
        ids = [i for i in map(parse_int, request.POST.getlist("selected")) if i is not None]
        if not ids:
            top_errors.append(_("请先勾选要批量认定的申报。"))
        else:
            try:
                chosen = meeting_service.bulk_approve(review_round, request.user, ids)
            except (ValidationError, PermissionDenied) as exc:
                top_errors.extend(error_messages(exc))
            else:
                messages.success(request, _("已批量认定 %(n)s 项申报。") % {"n": len(chosen)})
                return redirect(request.path)

    elif action == "collect":
        try:
            collected = rounds_service.collect_declarations(review_round, request.user)
        except (ValidationError, PermissionDenied) as exc:
            top_errors.extend(error_messages(exc))
        else:
            messages.success(request, _("已将 %(n)s 项申报纳入本批次。") % {"n": len(collected)})
            return redirect(request.path)

    elif action == "submit":
        try:
            meeting_service.submit_to_higher(review_round, request.user)
        except (ValidationError, PermissionDenied) as exc:
            top_errors.extend(error_messages(exc))
        else:
            messages.success(request, _("已报上级党组织审查备案。"))
            return redirect("reviews:round_detail", pk=review_round.pk)

    review_round.refresh_from_db()
    rows = _decision_rows(review_round, decision_post, row_errors)
    undecided = sum(1 for r in rows if r["d"].status == DeclarationStatus.SUBMITTED)
    return render(
        request,
        "reviews/branch_meeting.html",
        {
            "round": review_round,
            "meeting": review_round.latest_meeting() if meeting is None else meeting,
            "meeting_form": meeting_form,
            "correction_form": correction_form,
            "correcting": action == "correct_meeting",
            "rows": rows,
            "undecided": undecided,
            "any_editable": any(r["editable"] for r in rows),
            # the selection column (and select-all) only while something is left to decide
            "selectable": any(r["editable"] and r["d"].status == DeclarationStatus.SUBMITTED for r in rows),
            "outcomes": OUTCOMES,
            "at_meeting": at_meeting,
            "top_errors": top_errors,
            "pending": rounds_service.pending_declarations(review_round).count() if at_meeting else 0,
            "filings": review_round.filings.order_by("review_pass", "pk"),
            "attendance_states": quorum.Attendance.choices,
            "attendance_labels": dict(quorum.Attendance.choices),
        },
        status=400 if (top_errors or row_errors or (action == "record_meeting" and meeting_form.errors)
                       or (action == "correct_meeting" and (correction_form is None or correction_form.errors)))
        else 200,
    )
