"""Year-end evaluation (年终评定, DOMAIN.md section 3).

One :class:`Evaluation` per organisation (a branch or higher) and cycle. The branch
records the democratic appraisal (:class:`AppraisalInput`), the scheme version computes
each member's :class:`MemberResult` (immutable once published), the higher committee
agrees, the results are publicised for at least 7 days, and the use of results creates
:class:`Disposition` rows: commendation, talks, rectification, and the disposal of an
unqualified member, which the higher committee must approve (2024 rules: 限期改正
normally 6 months, at most 1 year; the period end and its outcome are tracked).
"""
import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from workdays.clock import SHANGHAI
from viewflow.workflow.models import Process

from .errors import AppraisalErrorCode


class EvaluationStatus(models.TextChoices):
    APPRAISAL = "appraisal", _("民主评议中")
    COMPUTED = "computed", _("已计算结果")
    PROPOSED = "proposed", _("已报上级审批")
    RETURNED = "returned", _("上级退回修改")
    APPROVED = "approved", _("上级已同意")
    PUBLICITY = "publicity", _("结果公示中")
    AWAITING_ANSWERS = "awaiting_answers", _("公示期满，待答复异议")
    PUBLISHED = "published", _("结果已公布")
    CONCLUDED = "concluded", _("结果运用已启动")


#: Statuses in which results are final and may no longer change.
FINAL_STATUSES = (EvaluationStatus.PUBLISHED, EvaluationStatus.CONCLUDED)
#: Statuses in which the branch may still record appraisal inputs and recompute.
EDITABLE_STATUSES = (EvaluationStatus.APPRAISAL, EvaluationStatus.COMPUTED, EvaluationStatus.RETURNED)


class Evaluation(models.Model):
    """年终评定: one organisation's evaluation of its subtree's members for one cycle."""

    organisation = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("组织"), on_delete=models.PROTECT, related_name="evaluations"
    )
    scheme_version = models.ForeignKey(
        "schemes.SchemeVersion", verbose_name=_("方案版本"), on_delete=models.PROTECT, related_name="evaluations"
    )
    cycle_start = models.DateField(_("周期开始"))
    cycle_end = models.DateField(_("周期结束"))
    status = models.CharField(
        _("状态"), max_length=20, choices=EvaluationStatus.choices, default=EvaluationStatus.APPRAISAL
    )
    publicity_days = models.PositiveSmallIntegerField(_("公示天数"), default=7)
    checks = models.JSONField(_("组织层面检查"), default=list, blank=True)
    excluded = models.JSONField(_("不纳入评定的成员"), default=list, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发起人"), on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(_("发起时间"), auto_now_add=True)
    computed_at = models.DateTimeField(_("计算时间"), null=True, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("支部确认人"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    proposed_at = models.DateTimeField(_("支部确认时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上级审批人"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    reviewed_at = models.DateTimeField(_("上级审批时间"), null=True, blank=True)
    review_comments = models.TextField(_("上级意见"), blank=True)
    publicity_start = models.DateField(_("公示开始"), null=True, blank=True)
    publicity_closes_at = models.DateTimeField(_("公示截止"), null=True, blank=True)
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)
    result_notice_job = models.ForeignKey(
        "documents.BulkJob", verbose_name=_("结果通知批量生成"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    class Meta:
        verbose_name = _("年终评定")
        verbose_name_plural = _("年终评定")
        ordering = ["-cycle_start", "organisation__path"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "cycle_start"], name="evaluation_unique_per_cycle"),
        ]

    def __str__(self):
        return _("%(org)s %(year)s年度评定") % {"org": self.organisation, "year": self.cycle_start.year}

    @property
    def is_final(self):
        return self.status in FINAL_STATUSES

    @property
    def year(self):
        return self.cycle_start.year

    # -- what reviews' objections ask of the record they are against (reviews.Objection.subject) --

    @property
    def publicity_last_day(self):
        """The last day of the publicity (a date in Asia/Shanghai): the window closes at the start
        of the next day, ``publicity_closes_at``. What the pages show, and the last day objections
        are taken."""
        if self.publicity_closes_at is None:
            return None
        return self.publicity_closes_at.astimezone(SHANGHAI).date() - datetime.timedelta(days=1)

    def accepts_objection_on(self, day):
        """True while the results are publicised on ``day`` (from the start to the last day)."""
        if self.status != EvaluationStatus.PUBLICITY or self.publicity_start is None:
            return False
        return self.publicity_start <= day <= self.publicity_last_day

    @property
    def objection_item(self):
        return _("%(year)s年度评定结果") % {"year": self.year}

    def objection_item_for(self, member):
        """The result objected to for ``member``: the year's result with its grade (or stars) when computed."""
        result = self.results.filter(member=member).first()
        shown = (result.grade or (_("%(n)s星") % {"n": result.stars} if result.stars is not None else "")) if result else ""
        if not shown:
            return self.objection_item
        return _("%(year)s年度评定结果（%(result)s）") % {"year": self.year, "result": shown}

    def get_absolute_url(self):
        return reverse("appraisals:detail", args=[self.pk])


class AppraisalMethod(models.TextChoices):
    SCORE = "score", _("测评得分")
    VOTES = "votes", _("民主测评票数")
    RATERS = "raters", _("自评/群众/领导加权")
    COMPONENTS = "components", _("分项评议（每颗星一项）")
    NONE = "none", _("无评议（只记情形标记）")


#: Vote labels in the order of the form; the scheme gives their points (default 100/80/60/40).
VOTE_LABELS = ("优秀", "良好", "合格", "差")


class AppraisalInput(models.Model):
    """民主评议 of one member: a score, vote counts, or weighted raters; plus flags the branch attests."""

    evaluation = models.ForeignKey(Evaluation, verbose_name=_("年终评定"), on_delete=models.CASCADE, related_name="inputs")
    member = models.ForeignKey("members.Member", verbose_name=_("成员"), on_delete=models.PROTECT, related_name="+")
    method = models.CharField(_("评议方式"), max_length=10, choices=AppraisalMethod.choices)
    score = models.DecimalField(_("测评得分"), max_digits=6, decimal_places=2, null=True, blank=True)
    votes_excellent = models.PositiveIntegerField(_("优秀票"), default=0)
    votes_good = models.PositiveIntegerField(_("良好票"), default=0)
    votes_qualified = models.PositiveIntegerField(_("合格票"), default=0)
    votes_poor = models.PositiveIntegerField(_("差票"), default=0)
    rater_self = models.DecimalField(_("自评"), max_digits=6, decimal_places=2, null=True, blank=True)
    rater_masses = models.DecimalField(_("群众评议"), max_digits=6, decimal_places=2, null=True, blank=True)
    rater_leadership = models.DecimalField(_("领导评议"), max_digits=6, decimal_places=2, null=True, blank=True)
    components = models.JSONField(
        _("分项评议"), default=dict, blank=True,
        help_text=_("方案有多个评议部分（每颗星一项）时，每项一个评议：{项目: {score|votes|raters}}，分值以文本保存。"),
    )
    flags = models.JSONField(
        _("情形标记"), default=dict, blank=True,
        help_text=_("支部核实的情形，如 sanctioned（受处分）、dues_unpaid_months（未交党费月数）。"),
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("录入人"), on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("录入时间"), auto_now=True)

    class Meta:
        verbose_name = _("民主评议")
        verbose_name_plural = _("民主评议")
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "member"], name="appraisal_input_unique_member"),
        ]

    def __str__(self):
        return f"{self.member} · {self.get_method_display()}"

    def votes(self):
        return dict(zip(VOTE_LABELS, (self.votes_excellent, self.votes_good, self.votes_qualified, self.votes_poor)))

    def to_engine(self):
        """The member's ``appraisal`` entry in the engine's input format.

        ``{"score": n}``, ``{"votes": {...}}``, ``{"raters": {...}}``, or for a scheme that
        appraises each star separately ``{"components": {name: one of those}}`` (Decimal values);
        None for a row that only records flags (method ``none``).
        """
        if self.method == AppraisalMethod.NONE:
            return None
        if self.method == AppraisalMethod.COMPONENTS:
            return {"components": {name: _spec_from_json(spec) for name, spec in self.components.items()}}
        if self.method == AppraisalMethod.SCORE:
            return {"score": self.score}
        if self.method == AppraisalMethod.VOTES:
            return {"votes": self.votes()}
        return {"raters": {"self": self.rater_self, "masses": self.rater_masses, "leadership": self.rater_leadership}}


def _spec_from_json(spec):
    """One stored per-component appraisal (numbers as text) in the engine's format (Decimal)."""
    kind, value = next(iter(spec.items()))
    if kind == "score":
        return {"score": Decimal(value)}
    if kind == "votes":
        return {"votes": {label: int(count) for label, count in value.items()}}
    return {"raters": {label: Decimal(score) for label, score in value.items()}}


class ResultImmutable(ValidationError):
    """Raised on an attempt to change or remove a published result."""


class MemberResult(models.Model):
    """One member's computed result; immutable once the evaluation is published."""

    # No index of its own: the (evaluation, member) unique constraint's index serves it (one index less
    # to write for each of a county's 30,000 results).
    evaluation = models.ForeignKey(Evaluation, verbose_name=_("年终评定"), on_delete=models.PROTECT, related_name="results",
                                   db_index=False)
    member = models.ForeignKey("members.Member", verbose_name=_("成员"), on_delete=models.PROTECT, related_name="year_results")
    cycle_start = models.DateField(_("周期开始"))
    total = models.DecimalField(_("总分"), max_digits=7, decimal_places=2)
    grade = models.CharField(_("等次"), max_length=20, blank=True)
    stars = models.PositiveSmallIntegerField(_("星级"), null=True, blank=True)
    vetoed = models.BooleanField(_("一票否决"), default=False)
    components = models.JSONField(_("各项得分"), default=dict)
    actions = models.JSONField(_("结果运用"), default=list)
    scheme_version_number = models.PositiveIntegerField(_("方案版本号"))
    computed_at = models.DateTimeField(_("计算时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("评定结果")
        verbose_name_plural = _("评定结果")
        ordering = ["evaluation", "-total", "member__name"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "member"], name="member_result_unique"),
        ]

    def __str__(self):
        return f"{self.member} · {self.total} · {self.grade}"

    def _published(self):
        return Evaluation.objects.filter(pk=self.evaluation_id, status__in=FINAL_STATUSES).exists()

    def save(self, *args, **kwargs):
        if self.pk is not None and self._published():
            raise ResultImmutable(_("评定结果已公布，不能修改。"), code=AppraisalErrorCode.RESULT_IMMUTABLE)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self._published():
            raise ResultImmutable(_("评定结果已公布，不能删除。"), code=AppraisalErrorCode.RESULT_IMMUTABLE)
        return super().delete(*args, **kwargs)

    def awards(self):
        """What this result earns under its scheme version (``certificate``, ``plaque``, ``care``; a tuple).

        The scheme's ``[[awards]]`` decide from the stored grade, stars, total and veto
        (``scoring_engine.Scheme.awards_for``): under 篇十三 机关 four stars earn nothing, seven
        to ten a certificate; under 非公 a plaque from four stars up.
        """
        scheme = self.evaluation.scheme_version.engine_scheme()
        return scheme.awards_for(self.grade or None, self.stars, self.total, self.vetoed)

    def earns(self, award):
        """True when this result earns ``award`` (``"certificate"``, ``"plaque"`` or ``"care"``)."""
        return award in self.awards()

    def history_entry(self):
        return {
            "cycle_start": self.cycle_start.isoformat(),
            "total": self.total,
            "grade": self.grade or None,
            "stars": self.stars,
            "vetoed": self.vetoed,
        }


class DispositionAction(models.TextChoices):
    COMMEND = "commend", _("表彰")
    TALK = "talk", _("谈心谈话/警示提醒")
    ADMONISH = "admonish", _("诫勉谈话")
    RECTIFY = "rectify", _("限期整改")
    DISPOSE = "dispose", _("不合格党员处置")
    EXTEND_PROBATION = "extend_probation", _("延长预备期")
    CANCEL_PROBATION = "cancel_probation", _("取消预备党员资格")


#: Actions the branch decides but the higher committee must approve.
NEEDS_APPROVAL = (DispositionAction.DISPOSE, DispositionAction.CANCEL_PROBATION)


class DispositionStatus(models.TextChoices):
    PENDING = "pending", _("待支部办理")
    AWAITING_APPROVAL = "awaiting_approval", _("待上级审批")
    APPROVED = "approved", _("上级已批准")
    REJECTED = "rejected", _("上级未批准")
    IN_RECTIFICATION = "in_rectification", _("整改期中")
    DONE = "done", _("已办结")


class DisposalMeasure(models.TextChoices):
    RECTIFY = "限期改正", _("限期改正")
    PERSUADE = "劝其退党", _("劝其退党")
    EXPEL = "除名", _("除名")


class RectificationOutcome(models.TextChoices):
    PENDING = "", _("未到期")
    IMPROVED = "improved", _("整改到位")
    NOT_IMPROVED = "not_improved", _("整改期满仍无明显转变")


class Disposition(models.Model):
    """结果运用: one action for one member; dispose/cancel_probation need the higher committee."""

    evaluation = models.ForeignKey(Evaluation, verbose_name=_("年终评定"), on_delete=models.PROTECT, related_name="dispositions")
    result = models.ForeignKey(MemberResult, verbose_name=_("评定结果"), on_delete=models.PROTECT, related_name="dispositions")
    member = models.ForeignKey("members.Member", verbose_name=_("成员"), on_delete=models.PROTECT, related_name="dispositions")
    action = models.CharField(_("处理方式"), max_length=20, choices=DispositionAction.choices)
    status = models.CharField(_("状态"), max_length=20, choices=DispositionStatus.choices, default=DispositionStatus.PENDING)
    measure = models.CharField(_("处置方式"), max_length=10, choices=DisposalMeasure.choices, blank=True)
    facts = models.TextField(_("主要事实"), blank=True)
    entitled = models.PositiveSmallIntegerField(_("应到有表决权党员"), null=True, blank=True)
    present = models.PositiveSmallIntegerField(_("实到"), null=True, blank=True)
    votes_for = models.PositiveSmallIntegerField(_("赞成票"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("支部决定人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("支部决定时间"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上级审批人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(_("上级审批时间"), null=True, blank=True)
    approval_comments = models.TextField(_("上级意见"), blank=True)
    requirements = models.TextField(_("整改要求"), blank=True)
    rectification_months = models.PositiveSmallIntegerField(_("整改期限（月）"), null=True, blank=True)
    rectification_start = models.DateField(_("整改开始"), null=True, blank=True)
    rectification_end = models.DateField(_("整改期限"), null=True, blank=True)
    rectification_outcome = models.CharField(
        _("整改结果"), max_length=20, choices=RectificationOutcome.choices, blank=True, default=""
    )
    outcome_recorded_at = models.DateTimeField(_("整改结果记录时间"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("结果运用")
        verbose_name_plural = _("结果运用")
        ordering = ["evaluation", "member__name", "action"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "member", "action"], name="disposition_unique_action"),
        ]

    def __str__(self):
        return f"{self.member} · {self.get_action_display()} · {self.get_status_display()}"

    @property
    def needs_approval(self):
        return self.action in NEEDS_APPROVAL


class QuotaAward(models.Model):
    """A place tied at a quota edge (``quota_tie`` check), awarded by the branch with its reason.

    ``target`` is the check's target: a grade label (``优秀``) or a star count (``5星``). The
    awarded member keeps the target; recomputing with the same tie applies the award again.
    """

    evaluation = models.ForeignKey(Evaluation, verbose_name=_("年终评定"), on_delete=models.CASCADE,
                                   related_name="quota_awards")
    target = models.CharField(_("名额"), max_length=20)
    member = models.ForeignKey("members.Member", verbose_name=_("获得名额的成员"), on_delete=models.PROTECT,
                               related_name="+")
    tied = models.JSONField(_("并列成员"), default=list)
    reason = models.TextField(_("理由"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("决定人"), on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(_("决定时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("并列名额的决定")
        verbose_name_plural = _("并列名额的决定")
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "target", "member"], name="quota_award_unique"),
        ]

    def __str__(self):
        return f"{self.member} · {self.target}"


class YearEndProcess(Process):
    """The workflow of one :class:`Evaluation`."""

    evaluation = models.OneToOneField(
        Evaluation, verbose_name=_("年终评定"), on_delete=models.PROTECT, related_name="process"
    )

    class Meta:
        verbose_name = _("年终评定流程")
        verbose_name_plural = _("年终评定流程")

    @property
    def organisation(self):
        return self.evaluation.organisation


class DisposalProcess(Process):
    """The workflow of one disposition needing the higher committee's approval."""

    disposition = models.OneToOneField(
        Disposition, verbose_name=_("结果运用"), on_delete=models.PROTECT, related_name="process"
    )

    class Meta:
        verbose_name = _("不合格党员处置流程")
        verbose_name_plural = _("不合格党员处置流程")

    @property
    def organisation(self):
        return self.disposition.evaluation.organisation


ZERO = Decimal("0")
