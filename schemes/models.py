"""Stored schemes: a scheme belongs to an organisation and a cycle, and is versioned.

A published score must always be recomputable from the rules it was computed under.
So once a cycle has scores under it (``Scheme.lock()``, called by whoever posts the
first score), the definition is frozen: ``revise()`` then adds a new
:class:`SchemeVersion` instead of editing, and every result names the version number
it was computed with. Before the lock a designer may keep editing the current version.

The definition is stored already resolved and validated (preset parameters filled
in), as JSON with numbers written as strings so that Decimal values survive exactly.
"""
import hashlib
import json
import threading
from collections import OrderedDict
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

import scoring_engine
from workdays.clock import format_date_range
from workdays.wording import with_note


class CycleKind(models.TextChoices):
    CALENDAR = "calendar", _("自然年（1月1日起）")
    JULY = "july", _("七一至次年七一")
    CUSTOM = "custom", _("自定（如季度）")


class SchemeLocked(ValidationError):
    """Raised when code tries to edit a version of a scheme whose cycle already has scores."""


def to_json(value):
    """Decimal-safe JSON: numbers become strings (the engine reads them back exactly)."""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    return value


def build_definition(preset_key="", overrides=None, definition=None):
    """Resolve and validate a scheme; returns the JSON-ready mapping or raises ValidationError.

    Exactly one of ``preset_key`` (with optional ``overrides``) or ``definition``.
    """
    try:
        if preset_key:
            document = scoring_engine.resolve(scoring_engine.preset_document(preset_key), overrides or {})
        else:
            document = scoring_engine.resolve(definition or {}, overrides or {})
        scoring_engine.parse_scheme(document)
    except scoring_engine.SchemeError as error:
        raise ValidationError({"definition": f"{error.path}: {error.message}" if error.path else error.message}) from None
    return to_json(document)


class SchemeQuerySet(models.QuerySet):
    def in_force(self, organisation, day):
        """The scheme in force for ``organisation`` on ``day`` (a date), or None.

        The only lookup of it: a scheme assigned to an organisation applies to its whole
        subtree, so the nearest organisation on the way up (``organisation`` itself, then its
        parent, ... the root) whose scheme's cycle covers ``day`` (cycle_start <= day <=
        cycle_end) decides; among several there, the latest cycle_start, then the lowest pk.
        One query.
        """
        ids = [int(part) for part in (organisation.path or "").strip("/").split("/") if part]
        # Every candidate lies on one root-to-organisation chain, where each path is a prefix of
        # the next: descending path order is nearest first.
        return (
            self.filter(organisation_id__in=ids, cycle_start__lte=day, cycle_end__gte=day)
            .select_related("organisation")
            .order_by("-organisation__path", "-cycle_start", "pk")
            .first()
        )


class SchemeVersionQuerySet(models.QuerySet):
    def in_force(self, organisation, day):
        """The current version of ``Scheme.objects.in_force(organisation, day)``, or None.

        None also when that scheme has no version yet (a scheme is in force once created;
        a declaration then goes unchecked until it has one).
        """
        scheme = Scheme.objects.in_force(organisation, day)
        return scheme.current_version() if scheme is not None else None


class Scheme(models.Model):
    """积分方案: the rules an organisation scores its members by, for one cycle."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("组织"),
        related_name="schemes",
        on_delete=models.PROTECT,
    )
    name = models.CharField(_("方案名称"), max_length=100)
    cycle_kind = models.CharField(_("周期类型"), max_length=10, choices=CycleKind.choices, default=CycleKind.CALENDAR)
    cycle_start = models.DateField(_("周期开始"))
    cycle_end = models.DateField(_("周期结束"))
    locked_at = models.DateTimeField(
        _("锁定时间"), null=True, blank=True, editable=False,
        help_text=_("本周期已有积分后锁定；此后修改方案只会生成新版本。"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = SchemeQuerySet.as_manager()

    class Meta:
        verbose_name = _("积分方案")
        verbose_name_plural = _("积分方案")
        ordering = ["organisation__path", "-cycle_start", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "cycle_start", "name"], name="scheme_unique_per_cycle"),
            models.CheckConstraint(condition=models.Q(cycle_end__gt=models.F("cycle_start")), name="scheme_cycle_order"),
        ]

    def __str__(self):
        return with_note(f"{self.organisation} · {self.name}", format_date_range(self.cycle_start, self.cycle_end))

    def clean(self):
        if self.cycle_start and self.cycle_end:
            if self.cycle_end <= self.cycle_start:
                raise ValidationError({"cycle_end": _("周期结束日期须晚于开始日期。")})
            expected = {
                CycleKind.CALENDAR: (1, 1),
                CycleKind.JULY: (7, 1),
            }.get(self.cycle_kind)
            if expected:
                month, day = expected
                if (self.cycle_start.month, self.cycle_start.day) != (month, day):
                    raise ValidationError({"cycle_start": _("该周期类型须从 %(m)d月%(d)d日开始。") % {"m": month, "d": day}})
                end = date(self.cycle_start.year + 1, month, day).toordinal() - 1
                if self.cycle_end.toordinal() != end:
                    raise ValidationError({"cycle_end": _("该周期类型须于 %(end)s 结束。") % {"end": date.fromordinal(end)}})

    # -- locking -----------------------------------------------------------------

    def is_locked(self):
        """True once the cycle has scores under it: the definition may no longer change in place."""
        return self.locked_at is not None

    def lock(self):
        """Freeze the current version; call when the first score of the cycle is recorded."""
        if self.locked_at is None:
            self.locked_at = timezone.now()
            Scheme.objects.filter(pk=self.pk, locked_at__isnull=True).update(locked_at=self.locked_at)

    # -- versions ----------------------------------------------------------------

    def current_version(self):
        """The latest :class:`SchemeVersion` (None before the first ``revise()``); it names this scheme."""
        version = self.versions.order_by("-number").first()
        if version is not None:
            version.scheme = self
        return version

    @transaction.atomic
    def revise(self, *, preset_key="", overrides=None, definition=None, user=None, note=""):
        """Store a new definition: in place while unlocked, as a new version once locked."""
        resolved = build_definition(preset_key, overrides, definition)
        scheme = Scheme.objects.select_for_update().get(pk=self.pk)
        current = scheme.versions.order_by("-number").first()
        fields = {
            "preset_key": preset_key or "",
            "overrides": to_json(overrides or {}),
            "definition": resolved,
            "note": note,
            "created_by": user,
        }
        if current is not None and not scheme.is_locked():
            for key, value in fields.items():
                setattr(current, key, value)
            current.save()
            return current
        number = current.number + 1 if current else 1
        return SchemeVersion.objects.create(scheme=scheme, number=number, **fields)

    def cycle(self):
        return {"start": self.cycle_start.isoformat(), "end": self.cycle_end.isoformat()}


class SchemeVersion(models.Model):
    """One immutable-once-locked definition of a scheme; results cite ``number``."""

    scheme = models.ForeignKey(Scheme, verbose_name=_("积分方案"), related_name="versions", on_delete=models.CASCADE)
    number = models.PositiveIntegerField(_("版本号"))
    preset_key = models.CharField(_("预设"), max_length=50, blank=True)
    overrides = models.JSONField(_("参数覆盖"), default=dict, blank=True)
    definition = models.JSONField(_("方案定义"), help_text=_("已校验、已代入参数的方案（格式版本 1）。"))
    note = models.CharField(_("修改说明"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = SchemeVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("方案版本")
        verbose_name_plural = _("方案版本")
        ordering = ["scheme", "number"]
        constraints = [models.UniqueConstraint(fields=["scheme", "number"], name="scheme_version_unique_number")]

    def __str__(self):
        return f"{self.scheme.name} v{self.number}"

    def save(self, *args, **kwargs):
        if self.pk is not None and Scheme.objects.filter(pk=self.scheme_id, locked_at__isnull=False).exists():
            raise SchemeLocked(_("本周期已有积分，方案版本不可修改；请另存为新版本。"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.scheme.is_locked():
            raise SchemeLocked(_("本周期已有积分，方案版本不可删除。"))
        return super().delete(*args, **kwargs)

    def engine_scheme(self):
        """The validated :class:`scoring_engine.Scheme` for this version.

        Parsed once per definition in the whole process (:func:`_parsed_scheme`): a page whose
        rows each load their own SchemeVersion parses it once, not once per row. Asked again on
        the same instance (every declaration checked, every result's awards), the same parsed
        scheme is returned until ``definition`` is replaced.
        """
        cached = getattr(self, "_engine_scheme", None)
        if cached is not None and cached[0] is self.definition:
            return cached[1]
        scheme = _parsed_scheme(self.pk, self.definition)
        self._engine_scheme = (self.definition, scheme)
        return scheme

    def compute(self, members, events, appraisal=None, history=None):
        """Run the engine on this version for the scheme's cycle; the result names the version."""
        scheme = self.engine_scheme()
        result = scoring_engine.compute(scheme, self.scheme.cycle(), members, events, appraisal, history)
        document = scoring_engine.result_to_dict(result, self.preset_key or scheme.key)
        document["scheme_version"] = {"scheme_id": self.scheme_id, "number": self.number}
        return document


#: Parsed engine schemes by (version id, digest of the definition), least recently used first.
#: The digest is part of the key because a version's definition is not immutable until its
#: scheme is locked (``Scheme.revise`` edits the current version in place before that); a
#: locked version's definition never changes (``SchemeVersion.save`` refuses). The parsed
#: ``Scheme`` is a frozen dataclass that the engine only reads, so one object serves every caller.
_PARSED = OrderedDict()
_PARSED_MAX = 128
_PARSED_LOCK = threading.Lock()


def _parsed_scheme(pk, definition):
    """``scoring_engine.parse_scheme(definition)``, shared process-wide for a stored version (``pk``)."""
    if pk is None:
        return scoring_engine.parse_scheme(definition)
    text = json.dumps(definition, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    key = (pk, hashlib.sha256(text.encode("utf-8")).hexdigest())
    with _PARSED_LOCK:
        scheme = _PARSED.get(key)
        if scheme is not None:
            _PARSED.move_to_end(key)
            return scheme
    scheme = scoring_engine.parse_scheme(definition)
    with _PARSED_LOCK:
        _PARSED[key] = scheme
        _PARSED.move_to_end(key)
        while len(_PARSED) > _PARSED_MAX:
            _PARSED.popitem(last=False)
    return scheme
