"""Members and households scored under a scheme, and what excludes or moves them.

A ``Member`` is whoever a scheme scores: a party member, a probationary member, an
activist, a teacher, or a village household (户). History matters: transfers are kept
as rows (the ledger travels with the member), and exclusions from scoring (不纳入) need
a branch decision approved by the higher committee before they take effect.
"""
import calendar
import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .idcard import mask, validate_id_number


class MemberKind(models.TextChoices):
    PARTY_MEMBER = "party_member", _("党员")
    PROBATIONARY = "probationary", _("预备党员")
    ACTIVIST = "activist", _("入党积极分子")
    HOUSEHOLD = "household", _("农户")
    TEACHER = "teacher", _("教师")
    OTHER = "other", _("其他")


class MemberCategory(models.Model):
    """A scheme's member category (在职, 农村, 流动, 离退休, 村干部, 无职, ...).

    Schemes refer to categories by ``code``; the same code means the same thing in every
    scheme that uses it, so a category is shared rather than copied per scheme.
    """

    code = models.SlugField(_("编码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=40, unique=True)
    description = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("党员类别")
        verbose_name_plural = _("党员类别")
        ordering = ["code"]

    def __str__(self):
        return self.name


class Gender(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


def format_precise_date(day, precision):
    """2020年5月 for a year-month date, 2020-05-06 for a whole one, "" for none."""
    if day is None:
        return ""
    if precision == DatePrecision.MONTH:
        return _("%(y)d年%(m)d月") % {"y": day.year, "m": day.month}
    return day.isoformat()


class DatePrecision(models.TextChoices):
    """How much of a stored date is known: a roster often gives 入党时间 as a year and month only."""

    DAY = "day", _("年月日")
    MONTH = "month", _("年月")


class Member(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("所在组织"),
        on_delete=models.PROTECT,
        related_name="members",
    )
    kind = models.CharField(_("身份"), max_length=20, choices=MemberKind.choices, default=MemberKind.PARTY_MEMBER)
    category = models.ForeignKey(
        MemberCategory, verbose_name=_("类别"), null=True, blank=True, on_delete=models.PROTECT
    )
    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices, blank=True)
    id_number = models.CharField(_("身份证号"), max_length=18, unique=True, null=True, blank=True)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    joined_on = models.DateField(_("入党日期"), null=True, blank=True)
    # A year-month date is stored as the first of the month and shown as 2020年5月 (issue 13).
    birth_date_precision = models.CharField(_("出生日期精度"), max_length=5, choices=DatePrecision.choices,
                                            default=DatePrecision.DAY)
    joined_on_precision = models.CharField(_("入党日期精度"), max_length=5, choices=DatePrecision.choices,
                                           default=DatePrecision.DAY)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    household_size = models.PositiveSmallIntegerField(_("家庭人口"), null=True, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登录账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="member",
    )
    is_active = models.BooleanField(_("在册"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("成员")
        verbose_name_plural = _("成员")
        ordering = ["organisation__path", "name"]

    def __str__(self):
        return self.name

    @property
    def birth_date_display(self):
        return format_precise_date(self.birth_date, self.birth_date_precision)

    @property
    def joined_on_display(self):
        return format_precise_date(self.joined_on, self.joined_on_precision)

    def clean(self):
        if self.id_number:
            try:
                self.id_number = validate_id_number(self.id_number)
            except ValueError as exc:
                raise ValidationError({"id_number": str(exc)}) from None

    @property
    def id_number_masked(self):
        return mask(self.id_number)

    @property
    def is_probationary(self):
        return self.kind == MemberKind.PROBATIONARY

    def transferred_in_on(self):
        """Date of the latest transfer into the current organisation, if any."""
        last = self.transfers.filter(to_organisation=self.organisation_id).order_by("-date").first()
        return last.date if last else None

    def eligible_for_commendation(self, on_date):
        """篇十五: members transferred in less than 6 months ago are scored but not commended."""
        arrived = self.transferred_in_on()
        if arrived is None:
            return True
        six_months_later = _add_months(arrived, 6)
        return on_date >= six_months_later

    def is_excluded(self, on_date, approved_only=True):
        """True when an exclusion (不纳入) covers ``on_date``.

        ``approved_only``: only an exclusion the higher committee approved counts (篇四 l.141, the
        default); False when the scheme lets the branch's decision alone exclude (篇十 l.287).
        """
        rows = self.exclusions.filter(start_date__lte=on_date)
        if approved_only:
            rows = rows.filter(approved_on__isnull=False)
        return rows.filter(models.Q(end_date__isnull=True) | models.Q(end_date__gte=on_date)).exists()


def excluded_member_ids(members, on_date, approved_only=True):
    """Ids among ``members`` (a Member queryset) whom an exclusion covers on ``on_date``: the rule of
    :meth:`Member.is_excluded` in one query for all of them."""
    rows = Exclusion.objects.filter(member__in=members, start_date__lte=on_date)
    if approved_only:
        rows = rows.filter(approved_on__isnull=False)
    rows = rows.filter(models.Q(end_date__isnull=True) | models.Q(end_date__gte=on_date))
    return set(rows.order_by().values_list("member_id", flat=True).distinct())


def arrival_dates(members):
    """``{member id: date}`` of the latest transfer into each member's current organisation
    (:meth:`Member.transferred_in_on` for all of ``members``, a queryset, in one query)."""
    rows = (Transfer.objects.filter(member__in=members, to_organisation=models.F("member__organisation"))
            .order_by().values("member_id").annotate(last=models.Max("date")))
    return {row["member_id"]: row["last"] for row in rows}


def _add_months(date, months):
    month_index = date.month - 1 + months
    year, month = date.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(date.day, calendar.monthrange(year, month)[1]))


class ExclusionReason(models.TextChoices):
    AGE_70 = "age_70", _("年满70周岁")
    CANNOT_CARE = "cannot_care", _("生活不能自理")
    MENTAL_ILLNESS = "mental_illness", _("患精神疾病")
    ABROAD = "abroad", _("自费出国（境）半年以上")
    LONG_TERM_SICK = "long_term_sick", _("长期患病")
    OTHER = "other", _("其他")


class Exclusion(models.Model):
    """不纳入积分管理: decided by the branch meeting, effective once the higher committee approves."""

    member = models.ForeignKey(Member, verbose_name=_("成员"), on_delete=models.CASCADE, related_name="exclusions")
    reason = models.CharField(_("原因"), max_length=20, choices=ExclusionReason.choices)
    reason_detail = models.CharField(_("具体说明"), max_length=200, blank=True)
    decided_on = models.DateField(_("支部决定日期"))
    start_date = models.DateField(_("起始日期"))
    end_date = models.DateField(_("截止日期"), null=True, blank=True)
    approved_on = models.DateField(_("上级批准日期"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("批准人"), null=True, blank=True, on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = _("不纳入积分管理")
        verbose_name_plural = _("不纳入积分管理")

    def __str__(self):
        return f"{self.member} · {self.get_reason_display()}"

    def clean(self):
        if self.reason == ExclusionReason.OTHER and not self.reason_detail:
            raise ValidationError({"reason_detail": _("原因为“其他”时必须填写具体说明。")})
        if self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("截止日期不能早于起始日期。")})
        if self.approved_on and self.approved_on < self.decided_on:
            raise ValidationError({"approved_on": _("上级批准日期不能早于支部决定日期。")})


class TransferDirection(models.TextChoices):
    IN = "in", _("转入")
    OUT = "out", _("转出")
    WITHIN = "within", _("系统内调动")


class Transfer(models.Model):
    """组织关系转接. Rows are history: never edited, the member's organisation follows the latest."""

    member = models.ForeignKey(Member, verbose_name=_("成员"), on_delete=models.CASCADE, related_name="transfers")
    direction = models.CharField(_("方向"), max_length=10, choices=TransferDirection.choices)
    from_organisation = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("转出组织"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    to_organisation = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("转入组织"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    external_party = models.CharField(_("系统外组织"), max_length=100, blank=True)
    date = models.DateField(_("转接日期"))
    note = models.CharField(_("备注"), max_length=200, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("组织关系转接")
        verbose_name_plural = _("组织关系转接")
        ordering = ["date", "pk"]


class RosterImport(models.Model):
    """One successful roster import: who loaded which file into which organisation, and its effect.

    Rejected files write nothing, not even this row.
    """

    organisation = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("导入到组织"), on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.PROTECT,
                             related_name="+")
    filename = models.CharField(_("文件名"), max_length=255)
    sha256 = models.CharField(_("文件摘要"), max_length=64)
    created = models.PositiveIntegerField(_("新增"))
    updated = models.PositiveIntegerField(_("更新"))
    unchanged = models.PositiveIntegerField(_("未变化"))
    imported_at = models.DateTimeField(_("导入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("名册导入记录")
        verbose_name_plural = _("名册导入记录")
        ordering = ["-imported_at", "-pk"]

    def __str__(self):
        return f"{self.filename} · {self.organisation} · {self.imported_at:%Y-%m-%d %H:%M}"
