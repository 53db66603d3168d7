"""Declarations and the review of them: the life of one score (DOMAIN.md section 2).

申报 (Declaration) → 支部会议审核 (BranchMeeting, decisions on each declaration) →
上级审查备案 (FilingDecision, one per pass) → 公示 (Publicity, ≥ 7 natural days) →
异议 (Objection, answered within 7 Chinese working days) → 记入台账.

A ``ReviewRound`` groups one branch's declarations for one period; its ``status``
mirrors where its workflow process (``reviews.flows.ReviewRoundFlow``) stands. The rows
here are the domain record; every change to them goes through ``reviews.services``,
which checks permissions, validates, and writes an ``AuditEntry``.
"""
import datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process

from documents.storage import evidence_storage
from workdays.clock import SHANGHAI, format_date_range, local_today, start_of_day  # noqa: F401  (re-exported)
from workdays.wording import points_text

from .attendance import Attendance, RecordedNames, attendance
from .audit import AuditAction
from .objection_subjects import ObjectionSubject
from .periods import PERIOD_MONTHS, PeriodKind, period_label  # noqa: F401  (PERIOD_MONTHS re-exported)

MIN_PUBLICITY_DAYS = 7


def private_storage():
    """The ``evidence`` storage (``settings.STORAGES``; documents.storage); the migrations name this callable."""
    return evidence_storage()


class ReporterKind(models.TextChoices):
    SELF = "self", _("本人申报")
    CLERK = "clerk", _("专人代为申报")
    MASS = "mass", _("群众反映")
    GRID_WORKER = "grid_worker", _("网格员报告")


class DeclarationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("已申报")
    WITHDRAWN = "withdrawn", _("已撤回")
    APPROVED = "approved", _("认定")
    ADJUSTED = "adjusted", _("调整认定")
    REJECTED = "rejected", _("不予认定")


DECIDED = (DeclarationStatus.APPROVED, DeclarationStatus.ADJUSTED, DeclarationStatus.REJECTED)
COUNTED = (DeclarationStatus.APPROVED, DeclarationStatus.ADJUSTED)


class RoundStatus(models.TextChoices):
    BRANCH_MEETING = "branch_meeting", _("待支部会议审核")
    RETURNED = "returned", _("上级退回，待支部重新审核")
    HIGHER_REVIEW = "higher_review", _("待上级审查备案")
    PUBLICITY = "publicity", _("公示中")
    AWAITING_ANSWERS = "awaiting_answers", _("公示期满，待异议答复")
    REPUBLICATION = "republication", _("更正结果公示中")
    POSTING = "posting", _("记入台账中")
    FINAL = "final", _("已记入台账")


class ReviewRound(models.Model):
    """One branch's review and publicity of one period: the scheme's publicity period.

    The period is as long as the scheme publishes (a month, quarter, half-year or year,
    counted from the cycle's start); the branch meets once per review period inside it
    (钟祥 "一月一审核、一季一公示": a quarter's round with a meeting each month), and the
    quarter's approved declarations are published together.
    """

    organisation = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("党支部"), on_delete=models.PROTECT,
        related_name="review_rounds",
    )
    period_kind = models.CharField(_("周期"), max_length=10, choices=PeriodKind.choices, default=PeriodKind.QUARTER)
    period_start = models.DateField(_("起始日期"))
    period_end = models.DateField(_("截止日期"))
    cycle_start = models.DateField(_("考核周期起始日"))
    publicity_days = models.PositiveSmallIntegerField(_("公示天数"), default=MIN_PUBLICITY_DAYS)
    publicity_working_days = models.BooleanField(
        _("公示天数按工作日计"), default=False, help_text=_("否：按自然日计（“公示期不少于7天”）。")
    )
    requires_guide_signatory = models.BooleanField(
        _("须党建指导员到会签字"), default=False, help_text=_("农村积分方案：党建指导员须到会并签字。")
    )
    status = models.CharField(_("状态"), max_length=20, choices=RoundStatus.choices, default=RoundStatus.BRANCH_MEETING)
    review_pass = models.PositiveSmallIntegerField(_("审核轮次"), default=1)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发起人"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    opened_at = models.DateTimeField(_("发起时间"), default=timezone.now)
    finalised_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("审核批次")
        verbose_name_plural = _("审核批次")
        ordering = ["-period_start", "organisation__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "period_start", "period_end"], name="unique_round_per_branch_period"
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")), name="round_period_ordered"
            ),
        ]

    def __str__(self):
        return f"{self.organisation} {self.period_label}"

    @property
    def period_label(self):
        return period_label(self.period_kind, self.period_start, self.period_end)

    @property
    def is_at_branch_meeting(self):
        return self.status in (RoundStatus.BRANCH_MEETING, RoundStatus.RETURNED)

    def current_publicity(self):
        return self.publicities.order_by("-start_on", "-pk").first()

    def latest_meeting(self):
        return self.meetings.filter(review_pass=self.review_pass).order_by("-held_on", "-pk").first()


class Declaration(models.Model):
    """申报: an event claimed for (or reported about) a member under one rule item."""

    organisation = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("所在组织"), on_delete=models.PROTECT,
        related_name="declarations",
    )
    member = models.ForeignKey(
        "members.Member", verbose_name=_("成员"), on_delete=models.PROTECT, related_name="declarations"
    )
    reporter_kind = models.CharField(_("申报方式"), max_length=20, choices=ReporterKind.choices)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申报人账号"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="declarations_made",
    )
    reporter_name = models.CharField(_("反映人姓名"), max_length=50, blank=True)
    reporter_contact = models.CharField(_("反映人联系方式"), max_length=50, blank=True)
    scheme_version = models.ForeignKey(
        "schemes.SchemeVersion", verbose_name=_("积分方案版本"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="declarations",
    )
    component = models.CharField(_("积分项目"), max_length=60)
    rule_item = models.CharField(_("积分细则条目"), max_length=60)
    rule_item_label = models.CharField(_("条目名称"), max_length=200, blank=True)
    points = models.DecimalField(_("申报分值"), max_digits=8, decimal_places=2)
    quantity = models.PositiveSmallIntegerField(_("数量"), default=1)
    occurred_on = models.DateField(_("发生日期"))
    place = models.CharField(_("地点"), max_length=100, blank=True)
    description = models.TextField(_("事由"))
    status = models.CharField(_("状态"), max_length=20, choices=DeclarationStatus.choices, default=DeclarationStatus.SUBMITTED)
    review_round = models.ForeignKey(
        ReviewRound, verbose_name=_("审核批次"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="declarations",
    )
    decided_points = models.DecimalField(_("认定分值"), max_digits=8, decimal_places=2, null=True, blank=True)
    decision_reason = models.CharField(_("认定理由"), max_length=300, blank=True)
    decided_at_meeting = models.ForeignKey(
        "BranchMeeting", verbose_name=_("认定会议"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="decisions",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入认定人"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    created_at = models.DateTimeField(_("申报时间"), default=timezone.now)

    class Meta:
        verbose_name = _("积分申报")
        verbose_name_plural = _("积分申报")
        ordering = ["occurred_on", "pk"]
        indexes = [models.Index(fields=["organisation", "status", "occurred_on"])]

    def __str__(self):
        return f"{self.member} · {self.rule_item_label or self.rule_item} · {points_text(self.points)}"

    @property
    def is_decided(self):
        return self.status in DECIDED

    @property
    def shown_decided_points(self):
        """The decided points to show beside the decision: none for 不予认定 (its 0 says nothing more)."""
        return None if self.status == DeclarationStatus.REJECTED else self.decided_points


#: Evidence formats accepted, by the magic bytes at the start of the file.
EVIDENCE_TYPES = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "image/heic": "heic",
    "application/pdf": "pdf",
}


def evidence_upload_to(instance, filename):
    ext = EVIDENCE_TYPES.get(instance.content_type, "bin")
    today = local_today()
    return f"{today:%Y/%m}/{instance.sha256}.{ext}"


class Evidence(models.Model):
    """佐证材料: a photo or PDF, content-checked, stored outside the web root."""

    declaration = models.ForeignKey(
        Declaration, verbose_name=_("申报"), on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(_("文件"), storage=private_storage, upload_to=evidence_upload_to, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=40)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")

    def __str__(self):
        return self.original_name


class MeetingKind(models.TextChoices):
    BRANCH_MEETING = "branch_meeting", _("支部党员大会")
    COMMITTEE = "committee", _("支委会")


class BranchMeeting(RecordedNames, models.Model):
    """支部会议/支委会 that reviews a round's declarations; decisions need a quorum."""

    review_round = models.ForeignKey(ReviewRound, verbose_name=_("审核批次"), on_delete=models.PROTECT, related_name="meetings")
    review_pass = models.PositiveSmallIntegerField(_("审核轮次"), default=1)
    kind = models.CharField(_("会议类型"), max_length=20, choices=MeetingKind.choices)
    held_on = models.DateField(_("会议日期"))
    place = models.CharField(_("会议地点"), max_length=100, blank=True)
    chair = models.CharField(_("主持人"), max_length=50, blank=True)
    entitled_count = models.PositiveSmallIntegerField(_("应到人数"))
    attendees = models.ManyToManyField("members.Member", verbose_name=_("实到人员"), blank=True, related_name="+")
    attendee_count = models.PositiveSmallIntegerField(_("实到人数"))
    attendee_names = models.TextField(_("实到人员名单"), blank=True)
    absentee_names = models.TextField(_("缺席人员及原因"), blank=True, help_text=_("例如：王某（外出务工，请假）"))
    absentee_reasons = models.TextField(_("录入的缺席原因"), blank=True,
                                        help_text=_("书记录入的缺席人员及原因，原样保存；更正会议记录时据此预填。"))
    minute_taker = models.CharField(_("记录人"), max_length=50)
    guide_signatory = models.CharField(_("党建指导员（签字）"), max_length=50, blank=True)
    observers = models.CharField(_("列席人员"), max_length=200, blank=True, help_text=_("村民代表、村务监督委员会成员等"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("支部审核会议")
        verbose_name_plural = _("支部审核会议")
        ordering = ["held_on", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.held_on}"

    @property
    def attendance(self):
        """The :class:`Attendance` of this record (:func:`attendance`)."""
        return attendance(self.entitled_count, self.attendee_count)

    @property
    def has_quorum(self):
        """More than half of those entitled attended (超过应到人数的一半), and the record is possible."""
        return self.attendance == Attendance.VALID


class FilingOutcome(models.TextChoices):
    FILED = "filed", _("审查通过并备案")
    RETURNED = "returned", _("退回修改")


class FilingDecision(models.Model):
    """上级审查备案: one row per pass, so a return and the later filing both stay visible."""

    review_round = models.ForeignKey(ReviewRound, verbose_name=_("审核批次"), on_delete=models.PROTECT, related_name="filings")
    review_pass = models.PositiveSmallIntegerField(_("审核轮次"))
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审查人"), on_delete=models.PROTECT, related_name="+")
    reviewer_organisation = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("审查组织"), on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(_("审查结果"), max_length=10, choices=FilingOutcome.choices)
    comments = models.TextField(_("审查意见"), blank=True)
    decided_at = models.DateTimeField(_("审查时间"), default=timezone.now)

    class Meta:
        verbose_name = _("上级审查备案")
        verbose_name_plural = _("上级审查备案")
        ordering = ["review_pass", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["review_round", "review_pass"], name="one_filing_decision_per_pass"),
        ]

    def __str__(self):
        return f"{self.review_round} 第{self.review_pass}次 {self.get_outcome_display()}"

    anchor_reason = property(lambda self: f"filing:{self.pk}")  # the ChainAnchor stored at filing

    @property
    def ledger_head(self):
        """``(seq, hash)`` of the branch's ledger chain as filed (the anchor the report prints), or None."""
        from ledger.models import ChainAnchor
        return ChainAnchor.objects.filter(reason=self.anchor_reason).values_list("seq", "entry_hash").first()


class PublicityKind(models.TextChoices):
    RESULTS = "results", _("审核结果公示")
    CORRECTIONS = "corrections", _("更正结果公示")


class Publicity(models.Model):
    """公示: ``start_on``..``end_on`` inclusive, at least 7 natural days; closes at midnight after ``end_on``."""

    review_round = models.ForeignKey(ReviewRound, verbose_name=_("审核批次"), on_delete=models.PROTECT, related_name="publicities")
    kind = models.CharField(_("公示类型"), max_length=20, choices=PublicityKind.choices, default=PublicityKind.RESULTS)
    start_on = models.DateField(_("公示开始日期"))
    end_on = models.DateField(_("公示截止日期"))
    declarations = models.ManyToManyField(Declaration, verbose_name=_("公示事项"), related_name="publicities")
    closed_at = models.DateTimeField(_("公示期满时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("公示")
        verbose_name_plural = _("公示")
        ordering = ["start_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_on__gte=models.F("start_on")), name="publicity_period_ordered"
            ),
        ]

    def __str__(self):
        return f"{self.review_round} {self.get_kind_display()} {format_date_range(self.start_on, self.end_on)}"

    @property
    def days(self):
        return (self.end_on - self.start_on).days + 1

    @property
    def closes_at(self):
        return start_of_day(self.end_on + datetime.timedelta(days=1))

    def is_open_on(self, day):
        return self.closed_at is None and self.start_on <= day <= self.end_on


class ObjectionOutcome(models.TextChoices):
    UPHELD = "upheld", _("异议成立")
    DISMISSED = "dismissed", _("异议不成立")


class Objection(ObjectionSubject, models.Model):
    """异议 to a published declaration, or to a member's entry in another record (``subject``, ``member``:
    a year-end evaluation); ``organisation`` answers within 7 working days (``ObjectionSubject``)."""

    declaration = models.ForeignKey(Declaration, verbose_name=_("异议事项"), on_delete=models.PROTECT, related_name="objections", null=True, blank=True)
    publicity = models.ForeignKey(Publicity, verbose_name=_("公示"), on_delete=models.PROTECT, related_name="objections", null=True, blank=True)
    organisation = models.ForeignKey("organisations.Organisation", verbose_name=_("答复组织"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey("members.Member", verbose_name=_("异议涉及的成员"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    subject_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    objector_name = models.CharField(_("异议人姓名"), max_length=50)
    objector_contact = models.CharField(_("联系方式"), max_length=50)
    reason = models.TextField(_("异议理由"))
    received_on = models.DateField(_("受理日期"))
    due_on = models.DateField(_("答复期限"))
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    lodged_at = models.DateTimeField(_("提交时间"), default=timezone.now, db_index=True)
    client = models.CharField(_("提交来源"), max_length=64, blank=True, help_text=_("公众提交时的网络地址，用于限制频繁提交。"))
    answered_on = models.DateField(_("答复日期"), null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("处理结果"), max_length=10, choices=ObjectionOutcome.choices, blank=True)
    answer_reason = models.TextField(_("答复理由"), blank=True)
    corrected_points = models.DecimalField(_("更正后分值"), max_digits=8, decimal_places=2, null=True, blank=True)
    escalated_at = models.DateTimeField(_("逾期督办时间"), null=True, blank=True)
    explanation_filed_on = models.DateField(_("情况说明备案日期"), null=True, blank=True)
    explanation_filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    republished_in = models.ForeignKey(
        Publicity, verbose_name=_("更正公示"), null=True, blank=True, on_delete=models.PROTECT, related_name="republished_objections"
    )

    class Meta:
        verbose_name = _("异议")
        verbose_name_plural = _("异议")
        ordering = ["received_on", "pk"]

    def __str__(self):
        return str(_("对 %(subject)s 的异议") % {"subject": self.declaration or self.subject})  # not who objected: it is shown in task lists (reviews.privacy)

    @property
    def is_answered(self):
        return self.answered_on is not None

    def is_overdue(self, today=None):
        today = today or local_today()
        if self.answered_on is not None:
            return self.answered_on > self.due_on
        return today > self.due_on

    @property
    def answer_deadline(self):
        """The moment the answer becomes overdue: midnight after ``due_on`` (Asia/Shanghai)."""
        return start_of_day(self.due_on + datetime.timedelta(days=1))


class AuditEntry(models.Model):
    """Who did what, when, to which object, with the values before and after."""

    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    actor_label = models.CharField(_("操作人说明"), max_length=100, blank=True)
    action = models.CharField(_("操作"), max_length=60, db_index=True, choices=AuditAction.choices)
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_round = models.ForeignKey(ReviewRound, null=True, blank=True, on_delete=models.PROTECT, related_name="audit_entries")
    declaration = models.ForeignKey(Declaration, null=True, blank=True, on_delete=models.PROTECT, related_name="audit_entries")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    object_repr = models.CharField(max_length=200)
    before = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = _("操作记录")
        verbose_name_plural = _("操作记录")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk:
            raise ValueError("AuditEntry rows are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("AuditEntry rows are append-only")

    @cached_property
    def changed_fields(self):
        keys = set(self.before) | set(self.after)
        return sorted(k for k in keys if self.before.get(k) != self.after.get(k))


# -- workflow processes (reviews.flows) ----------------------------------------------------


class ReviewRoundProcess(Process):
    """The workflow of one ``reviews.ReviewRound`` (支部审核 → 上级备案 → 公示 → 台账)."""

    review_round = models.OneToOneField(
        ReviewRound, verbose_name=_("审核批次"), on_delete=models.PROTECT, related_name="process"
    )

    class Meta:
        verbose_name = _("积分审核流程")
        verbose_name_plural = _("积分审核流程")

    @property
    def organisation(self):
        return self.review_round.organisation


class ObjectionProcess(Process):
    """The workflow of one ``reviews.Objection`` (受理 → 支部答复 → 上级备案; 逾期督办)."""

    objection = models.OneToOneField(
        Objection, verbose_name=_("异议"), on_delete=models.PROTECT, related_name="process"
    )

    class Meta:
        verbose_name = _("异议处理流程")
        verbose_name_plural = _("异议处理流程")

    @property
    def organisation(self):
        return self.objection.organisation


from .refusals import RefusedObjection  # noqa: E402,F401  (the model lives beside its rules)
