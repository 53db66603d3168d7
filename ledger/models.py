"""The points ledger (管理台账): append-only, hash-chained per organisation.

Every change to a member's points is a new ``LedgerEntry``; nothing is ever edited or
deleted. A corrected score is a ``correction`` entry carrying the difference and pointing
(``corrects``) at the entry it corrects. Each organisation's entries form a chain: ``seq``
runs 1, 2, 3, ... without gaps, and each entry stores the hash of the previous one
(``prev_hash``) and its own ``entry_hash``.

Entry kinds (``EntryKind``): ``posted`` and ``correction`` make up the score; ``redemption``
(积分超市兑换, negative points: the goods' price) spends points; ``reset`` is written at the
end of a cycle to clear the points left (年底清零) or to carry them into the next cycle
(结转: one entry out of the old cycle, one into the new). Every kind is an entry of the same
chain, hashed the same way.

Canonical form hashed into ``entry_hash`` (format version 1)::

    sha256( UTF-8 bytes of
        json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")) )

    payload = {
        "v": 1,
        "organisation": <organisation_id, int>,
        "seq": <int>,
        "member": <member_id, int>,
        "cycle_start": "YYYY-MM-DD",
        "component": <str>,
        "points": <str, Decimal with exactly 2 places, e.g. "-2.50", "10.00">,
        "occurred_on": "YYYY-MM-DD",
        "kind": <str>,
        "source": <str>,
        "source_ref": <str>,
        "corrects": <entry id, int> or null,
        "note": <str>,
        "recorded_by": <user id, int> or null,
        "recorded_at": "YYYY-MM-DDTHH:MM:SS.ffffffZ" (UTC, microseconds),
        "prev_hash": <64 lowercase hex chars; "0" * 64 for seq 1>,
    }

``entry_hash`` is the lowercase hex digest. The row's own ``id`` is not hashed (it is only
known after the insert), but ``seq`` is, and verification walks ``seq`` order.

What the ORM blocks and what it cannot: ``save()`` on an existing row, ``delete()``, and
``QuerySet.update()/delete()/bulk_create()/bulk_update()`` all raise
``LedgerImmutableError``; new rows are written only by ``ledger.services``. Raw SQL (or
anyone with database access) can still change or remove rows — that is what
``python manage.py verify_ledger`` detects, by recomputing every hash and link.
"""
import datetime
import hashlib
import json
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64
HASH_FORMAT_VERSION = 1
TWO_PLACES = Decimal("0.01")


class LedgerImmutableError(Exception):
    """Raised on any attempt to change or remove a ledger entry through the ORM."""


class EntryKind(models.TextChoices):
    POSTED = "posted", _("记入")
    CORRECTION = "correction", _("更正")
    RESET = "reset", _("清零/结转")
    REDEMPTION = "redemption", _("兑换")


#: Kinds that make up a member's score (积分) of a cycle: what was earned, as corrected.
#: Redemptions spend points and year-end resets clear or carry them; neither changes the
#: score the cycle is ranked and evaluated by (钟祥 "奖励之后不清零", 篇十六 l.1473).
SCORE_KINDS = (EntryKind.POSTED, EntryKind.CORRECTION)


class LedgerQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise LedgerImmutableError("积分台账只能追加，不能修改已有记录。")

    def delete(self):
        raise LedgerImmutableError("积分台账只能追加，不能删除记录。")

    def bulk_update(self, objs, fields, batch_size=None):
        raise LedgerImmutableError("积分台账只能追加，不能修改已有记录。")

    def bulk_create(self, objs, *args, **kwargs):
        raise LedgerImmutableError("积分台账记录只能通过 ledger.services.post_entry 逐条记入。")

    def update_or_create(self, *args, **kwargs):
        raise LedgerImmutableError("积分台账只能追加，不能修改已有记录。")

    # Read helpers -------------------------------------------------------------
    def for_subtree(self, organisation):
        return self.filter(organisation__path__startswith=organisation.path)


class LedgerManager(models.Manager.from_queryset(LedgerQuerySet)):
    pass


class LedgerEntry(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("组织"), on_delete=models.PROTECT, related_name="ledger_entries"
    )
    seq = models.PositiveIntegerField(_("序号"))
    member = models.ForeignKey(
        "members.Member", verbose_name=_("成员"), on_delete=models.PROTECT, related_name="ledger_entries"
    )
    cycle_start = models.DateField(_("考核周期起始日"))
    component = models.CharField(_("积分项目"), max_length=60)
    points = models.DecimalField(_("分值"), max_digits=10, decimal_places=2)
    occurred_on = models.DateField(_("发生日期"))
    kind = models.CharField(_("类型"), max_length=20, choices=EntryKind.choices, default=EntryKind.POSTED)
    source = models.CharField(_("来源"), max_length=40)
    source_ref = models.CharField(_("来源编号"), max_length=100, blank=True)
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("更正的记录"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    note = models.TextField(_("说明"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("记录时间"))
    prev_hash = models.CharField(_("前一条哈希"), max_length=64)
    entry_hash = models.CharField(_("本条哈希"), max_length=64, unique=True)

    objects = LedgerManager()

    class Meta:
        verbose_name = _("台账记录")
        verbose_name_plural = _("积分台账")
        ordering = ["organisation_id", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "seq"], name="ledger_unique_seq_per_organisation"),
        ]
        indexes = [
            models.Index(fields=["member", "cycle_start", "component"], name="ledger_member_cycle_idx"),
            models.Index(fields=["cycle_start", "organisation"], name="ledger_cycle_org_idx"),
        ]

    def __str__(self):
        return f"{self.organisation_id}#{self.seq} {self.member_id} {self.component} {self.points}"

    # Hashing ------------------------------------------------------------------
    def canonical_payload(self) -> dict:
        recorded_at = self.recorded_at
        if recorded_at.tzinfo is not None:
            recorded_at = recorded_at.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        return {
            "v": HASH_FORMAT_VERSION,
            "organisation": self.organisation_id,
            "seq": self.seq,
            "member": self.member_id,
            "cycle_start": self.cycle_start.isoformat(),
            "component": self.component,
            "points": str(Decimal(self.points).quantize(TWO_PLACES)),
            "occurred_on": self.occurred_on.isoformat(),
            "kind": self.kind,
            "source": self.source,
            "source_ref": self.source_ref,
            "corrects": self.corrects_id,
            "note": self.note,
            "recorded_by": self.recorded_by_id,
            "recorded_at": recorded_at.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "prev_hash": self.prev_hash,
        }

    def canonical_bytes(self) -> bytes:
        return json.dumps(self.canonical_payload(), ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode(
            "utf-8"
        )

    def compute_hash(self) -> str:
        return hashlib.sha256(self.canonical_bytes()).hexdigest()

    @classmethod
    def hash_row(cls, organisation_id, seq, member_id, cycle_start, component, points, occurred_on, kind, source,
                 source_ref, corrects_id, note, recorded_by_id, recorded_at, prev_hash) -> str:
        """``entry_hash`` of a row given as plain values (no model instance): the hash of
        ``canonical_payload``, for batch posting and for ``verify_ledger``'s streamed rows."""
        if recorded_at.tzinfo is not None:
            recorded_at = recorded_at.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        payload = {
            "v": HASH_FORMAT_VERSION, "organisation": organisation_id, "seq": seq, "member": member_id,
            "cycle_start": cycle_start.isoformat(), "component": component,
            "points": str(Decimal(points).quantize(TWO_PLACES)), "occurred_on": occurred_on.isoformat(),
            "kind": kind, "source": source, "source_ref": source_ref, "corrects": corrects_id, "note": note,
            "recorded_by": recorded_by_id, "recorded_at": recorded_at.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "prev_hash": prev_hash,
        }
        return hashlib.sha256(
            json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
        ).hexdigest()

    # Append-only --------------------------------------------------------------
    def save(self, *args, **kwargs):
        if not self._state.adding or self.pk is not None:
            raise LedgerImmutableError("积分台账只能追加，不能修改已有记录；请记入一条更正记录。")
        if not getattr(self, "_appended_by_service", False):
            raise LedgerImmutableError("积分台账记录只能通过 ledger.services.post_entry 记入。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise LedgerImmutableError("积分台账只能追加，不能删除记录。")


class ChainHead(models.Model):
    """The last entry of each organisation's chain, written in the same transaction.

    Lets ``verify_ledger`` notice a chain whose last rows were removed (which the links
    alone cannot show). Like the entries, it can be rewritten with raw SQL; print or file
    the head hash (verify_ledger shows it) to anchor the chain outside the database.
    """

    organisation = models.OneToOneField(
        "organisations.Organisation", on_delete=models.PROTECT, primary_key=True, related_name="ledger_head"
    )
    seq = models.PositiveIntegerField()
    entry_hash = models.CharField(max_length=64)
    #: HMAC-SHA256 of the head under ``settings.JIFEN_LEDGER_HMAC_KEY`` ("" without a key):
    #: recomputing every hash and rewriting the head cannot forge it without the server key.
    signature = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        verbose_name = _("台账链头")
        verbose_name_plural = _("台账链头")


class ChainAnchor(models.Model):
    """The chain head as printed on a filing report (备案报告) at filing time: the anchor.

    The paper copy kept by the higher committee carries the same ``seq`` and ``entry_hash``;
    ``verify_ledger`` checks that the chain still holds that hash at that seq, so deleting the
    last rows together with the head, deleting a whole chain, or recomputing every hash is
    seen. ``signature`` is the HMAC of the anchor under the server key, when one is set.
    """

    organisation = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("组织"), on_delete=models.PROTECT, related_name="ledger_anchors"
    )
    seq = models.PositiveIntegerField(_("序号"))
    entry_hash = models.CharField(_("链头哈希"), max_length=64)
    reason = models.CharField(_("锚定事由"), max_length=100)
    signature = models.CharField(_("签名"), max_length=64, blank=True, default="")
    created_at = models.DateTimeField(_("锚定时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("台账锚点")
        verbose_name_plural = _("台账锚点")
        ordering = ["organisation_id", "seq", "pk"]

    def __str__(self):
        return f"{self.organisation_id}#{self.seq} {self.entry_hash[:12]}"


class ScoreTotal(models.Model):
    """The score entries (``SCORE_KINDS``) of one chain, member, cycle and component, added up by quarter.

    Derived from ``LedgerEntry``, never a fact of its own: written by ``ledger.services`` in the
    transaction that appends the entries, under the chain's lock (only that chain's posts touch
    its rows), and checked against the entries by ``verify_ledger`` (``ledger.totals``).
    ``q1``–``q4`` add up the entries of the first to fourth quarter counted from ``cycle_start``
    as the scoring engine counts them (Jan–Mar is the first of a calendar year; ``None``: no
    entry), ``other`` those dated before ``cycle_start`` or a year or more after it.
    ``lowest``/``highest`` are the least and greatest points of one entry, ``first_on``/``last_on``
    the earliest and latest ``occurred_on``. The year-end close reads these rows instead of the
    1.8 million entries of a county; the extremes tell it when the sums cannot stand for the
    entries (an entry outside its cycle, a correction below zero), and it then reads the entries.
    """

    organisation = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("组织"), on_delete=models.PROTECT, related_name="+"
    )
    member = models.ForeignKey(
        "members.Member", verbose_name=_("成员"), on_delete=models.PROTECT, related_name="+", db_index=False
    )
    cycle_start = models.DateField(_("考核周期起始日"))
    component = models.CharField(_("积分项目"), max_length=60)
    q1 = models.DecimalField(_("第一季度"), max_digits=14, decimal_places=2, null=True)
    q2 = models.DecimalField(_("第二季度"), max_digits=14, decimal_places=2, null=True)
    q3 = models.DecimalField(_("第三季度"), max_digits=14, decimal_places=2, null=True)
    q4 = models.DecimalField(_("第四季度"), max_digits=14, decimal_places=2, null=True)
    other = models.DecimalField(_("周期外"), max_digits=14, decimal_places=2, null=True)
    entries = models.PositiveIntegerField(_("记录条数"))
    lowest = models.DecimalField(_("单条最低分值"), max_digits=10, decimal_places=2)
    highest = models.DecimalField(_("单条最高分值"), max_digits=10, decimal_places=2)
    first_on = models.DateField(_("最早发生日期"))
    last_on = models.DateField(_("最晚发生日期"))

    class Meta:
        verbose_name = _("台账分项合计")
        verbose_name_plural = _("台账分项合计")
        constraints = [
            # Member first: the close reads a cycle's totals by member (no index of its own on member).
            models.UniqueConstraint(fields=["member", "cycle_start", "component", "organisation"],
                                    name="ledger_score_total_unique"),
        ]

    def __str__(self):
        return f"{self.organisation_id}/{self.member_id} {self.cycle_start} {self.component}"
