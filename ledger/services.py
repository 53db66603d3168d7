"""Writing to and reading from the points ledger (台账).

Writes: ``post_entry`` and ``post_correction`` are the only ways a row gets into
``LedgerEntry``. Each runs inside ``transaction.atomic`` and first locks the
organisation's row (``select_for_update``), so two posts to the same organisation's chain
are serialised: the second waits, then reads the head the first one wrote. On PostgreSQL
this is a row lock; SQLite ignores ``FOR UPDATE`` but allows one writer at a time, and
the unique ``(organisation, seq)`` constraint is the final guard on every backend.

Both also add the score entries to their chain's per-quarter totals (``ledger.totals``,
``ScoreTotal``) in the same transaction, under the same lock; ``verify_ledger`` checks those
against the entries. Only the year-end close reads them (a county's 1.8 million entries).

Reads: balances and tables are aggregates over the ledger itself (``SUM(points)``), never
cached totals. The score reads (``balance``, ``component_totals``, ``branch_table``) count
the kinds in ``SCORE_KINDS`` (posted, correction); ``redeemable_balance`` counts every kind,
so a redemption lowers what can still be spent but not the score of the cycle.
"""
import datetime
import logging
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Member
from organisations.models import Organisation

from . import anchors, totals
from .models import GENESIS_HASH, SCORE_KINDS, TWO_PLACES, ChainHead, EntryKind, LedgerEntry
from workdays.wording import join_list

logger = logging.getLogger(__name__)

MAX_ABS_POINTS = Decimal("99999999.99")  # max_digits=10, decimal_places=2
ZERO = Decimal("0.00")


class NoChange(ValidationError):
    """``post_correction`` was asked for the points already in effect; nothing was posted."""


# --------------------------------------------------------------------------- validation
def _points(value, label=None) -> Decimal:
    label = label or _("分值")
    if isinstance(value, bool) or isinstance(value, float):
        raise ValidationError(_("%(label)s必须是精确的十进制数（Decimal、整数或字符串），不能是浮点数：%(value)r")
                              % {"label": label, "value": value})
    try:
        points = Decimal(str(value)) if not isinstance(value, Decimal) else value
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError(_("%(label)s不是有效的数字：%(value)r") % {"label": label, "value": value}) from None
    if not points.is_finite():
        raise ValidationError(_("%(label)s不是有效的数字：%(value)r") % {"label": label, "value": value})
    if points != points.quantize(TWO_PLACES):
        raise ValidationError(_("%(label)s最多保留两位小数：%(value)s") % {"label": label, "value": value})
    if abs(points) > MAX_ABS_POINTS:
        raise ValidationError(_("%(label)s超出范围：%(value)s") % {"label": label, "value": value})
    return points.quantize(TWO_PLACES)


def _date(value, label) -> datetime.date:
    if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
        raise ValidationError(_("%(label)s必须是日期：%(value)r") % {"label": label, "value": value})
    return value


def _text(value, field_name, label, required):
    value = (value or "").strip() if isinstance(value, str) or value is None else value
    if not isinstance(value, str):
        raise ValidationError(_("%(label)s必须是文本：%(value)r") % {"label": label, "value": value})
    if required and not value:
        raise ValidationError(_("%(label)s不能为空。") % {"label": label})
    max_length = LedgerEntry._meta.get_field(field_name).max_length
    if max_length and len(value) > max_length:
        raise ValidationError(
            _("%(label)s不能超过 %(max)s 个字符：%(value)s") % {"label": label, "max": max_length, "value": value}
        )
    return value


# --------------------------------------------------------------------------- writing
def _lock_organisation(organisation):
    if organisation is None or organisation.pk is None:
        raise ValidationError(_("必须指定已保存的组织。"))
    return Organisation.objects.select_for_update().get(pk=organisation.pk)


def lock_chain(organisation):
    """Lock ``organisation``'s chain until the caller's transaction ends; returns the locked row.

    Every write to the chain takes this lock first, so a caller that must check something
    (a balance, a stock) and then post may hold it across both: no other post to the same
    chain can slip in between. Must run inside ``transaction.atomic``.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("lock_chain must run inside transaction.atomic()")
    return _lock_organisation(organisation)


def _append(organisation, **fields) -> LedgerEntry:
    """Append one entry to ``organisation``'s chain. Caller holds the organisation lock."""
    seq, prev_hash = _head(organisation)
    entry = LedgerEntry(organisation=organisation, seq=seq, prev_hash=prev_hash, recorded_at=timezone.now(), **fields)
    entry.entry_hash = entry.compute_hash()
    entry._appended_by_service = True
    entry.save(force_insert=True)
    entry._appended_by_service = False
    totals.record(organisation.pk, [entry])
    _set_head(organisation, seq, entry.entry_hash)
    return entry


def _set_head(organisation, seq, entry_hash):
    ChainHead.objects.update_or_create(organisation=organisation, defaults={
        "seq": seq, "entry_hash": entry_hash, "signature": anchors.sign(organisation.pk, seq, entry_hash)})


def _head(organisation):
    """``(next seq, prev_hash)`` for appending to ``organisation``'s chain (caller holds the lock)."""
    last = (
        LedgerEntry.objects.filter(organisation=organisation).order_by("-seq").values("seq", "entry_hash").first()
    )
    head = ChainHead.objects.filter(organisation=organisation).first()
    if head is not None:
        if last is None or (last["seq"], last["entry_hash"]) != (head.seq, head.entry_hash):
            logger.error(
                "Ledger chain of organisation %s does not end at its recorded head (head seq %s, last row %s); "
                "run manage.py verify_ledger.",
                organisation.pk, head.seq, last,
            )
        return head.seq + 1, head.entry_hash
    if last is not None:
        logger.error("Ledger chain of organisation %s has rows but no head record.", organisation.pk)
        return last["seq"] + 1, last["entry_hash"]
    return 1, GENESIS_HASH


@dataclass
class NewEntry:
    """One entry to append with :func:`post_batch`: ``points`` already validated by the caller or
    checked there. ``corrects`` is a ``NewEntry`` of the same batch (or a saved ``LedgerEntry``)."""

    member_id: int
    component: str
    points: Decimal
    occurred_on: datetime.date
    cycle_start: datetime.date
    source: str
    source_ref: str = ""
    recorded_by_id: int | None = None
    note: str = ""
    corrects: object = None
    entry: LedgerEntry | None = None


def post_batch(organisation, new_entries) -> list[LedgerEntry]:
    """Append many entries to ``organisation``'s chain under one lock; returns the saved entries.

    The hashes are computed in one pass and the rows inserted with bulk inserts: one for
    the entries without ``corrects``, in order, then one for the corrections (whose hash
    names the id of the entry they correct, known only once it is inserted). Validation is
    that of :func:`post_entry` (points, texts, members within the organisation's subtree,
    a correction of an original entry of the same member, component and cycle), done for
    the whole batch before anything is written: one bad row leaves the chain unchanged.
    """
    new_entries = list(new_entries)
    if not new_entries:
        return []
    member_ids = set()
    for item in new_entries:
        item.points = _points(item.points)
        item.occurred_on = _date(item.occurred_on, _("发生日期"))
        item.cycle_start = _date(item.cycle_start, _("考核周期起始日"))
        item.component = _text(item.component, "component", _("积分项目"), required=True)
        item.source = _text(item.source, "source", _("来源"), required=True)
        item.source_ref = _text(str(item.source_ref or ""), "source_ref", _("来源编号"), required=False)
        item.note = _text(item.note, "note", _("说明"), required=False)
        member_ids.add(item.member_id)
        if item.corrects is not None:
            root = item.corrects
            if isinstance(root, LedgerEntry) and root.kind == EntryKind.CORRECTION:
                raise ValidationError(_("更正记录应指向原始记录，而不是另一条更正记录。"))
            if (root.member_id, root.component, root.cycle_start) != (item.member_id, item.component, item.cycle_start):
                raise ValidationError(_("更正记录与原记录的成员、积分项目或考核周期不一致。"))
            if item.points == 0:
                raise ValidationError(_("更正的分值差额不能为零。"))
    with transaction.atomic():
        organisation = _lock_organisation(organisation)
        paths = dict(Member.objects.filter(pk__in=member_ids).values_list("pk", "organisation__path"))
        for member_id in member_ids:
            path = paths.get(member_id)
            if path is None or not path.startswith(organisation.path):
                raise ValidationError(
                    _("成员“%(member)s”不属于“%(organisation)s”及其下级组织，不能记入该组织的台账。")
                    % {"member": member_id, "organisation": organisation}
                )
        seq, prev_hash = _head(organisation)
        now = timezone.now()
        saved = []
        for phase in (False, True):
            rows = []
            for item in new_entries:
                if (item.corrects is not None) != phase:
                    continue
                corrects_id = None
                if item.corrects is not None:
                    root = item.corrects.entry if isinstance(item.corrects, NewEntry) else item.corrects
                    corrects_id = root.pk
                    if root.organisation_id != organisation.pk:
                        raise ValidationError(_("更正记录必须与原记录记入同一组织的台账。"))
                kind = EntryKind.CORRECTION if phase else EntryKind.POSTED
                entry = LedgerEntry(
                    organisation=organisation, seq=seq, member_id=item.member_id, cycle_start=item.cycle_start,
                    component=item.component, points=item.points, occurred_on=item.occurred_on, kind=kind,
                    source=item.source, source_ref=item.source_ref, corrects_id=corrects_id, note=item.note,
                    recorded_by_id=item.recorded_by_id, recorded_at=now, prev_hash=prev_hash,
                )
                entry.entry_hash = LedgerEntry.hash_row(
                    organisation.pk, seq, item.member_id, item.cycle_start, item.component, item.points,
                    item.occurred_on, kind, item.source, item.source_ref, corrects_id, item.note,
                    item.recorded_by_id, now, prev_hash)
                item.entry = entry
                rows.append(entry)
                seq, prev_hash = seq + 1, entry.entry_hash
            if rows:
                # The append-only queryset refuses bulk_create; this is the one sanctioned bulk path.
                models.QuerySet.bulk_create(LedgerEntry.objects.all(), rows, batch_size=1000)
                saved.extend(rows)
        totals.record(organisation.pk, saved)
        _set_head(organisation, seq - 1, prev_hash)
    return saved


def post_entry(
    *,
    organisation,
    member,
    component,
    points,
    occurred_on,
    cycle_start,
    source,
    source_ref="",
    recorded_by=None,
    corrects=None,
    note="",
    kind=None,
) -> LedgerEntry:
    """Append one entry to ``organisation``'s ledger chain and return it.

    ``kind`` defaults to ``correction`` when ``corrects`` is given and ``posted``
    otherwise. A correction must name an original (non-correction) entry of the same
    organisation, member, component and cycle; prefer ``post_correction`` which computes
    the difference for you. Otherwise the member must belong to ``organisation`` or an
    organisation below it. Raises ``ValidationError`` (Chinese message) on bad input.
    """
    points = _points(points)
    occurred_on = _date(occurred_on, _("发生日期"))
    cycle_start = _date(cycle_start, _("考核周期起始日"))
    component = _text(component, "component", _("积分项目"), required=True)
    source = _text(source, "source", _("来源"), required=True)
    source_ref = _text(str(source_ref) if source_ref is not None else "", "source_ref", _("来源编号"), required=False)
    note = _text(note, "note", _("说明"), required=False)
    if member is None or member.pk is None:
        raise ValidationError(_("必须指定已保存的成员。"))
    if kind is None:
        kind = EntryKind.CORRECTION if corrects is not None else EntryKind.POSTED
    if kind not in EntryKind.values:
        raise ValidationError(_("未知的台账记录类型：%(kind)s") % {"kind": kind})
    if kind == EntryKind.REDEMPTION and points >= 0:
        raise ValidationError({"points": ValidationError(
            _("兑换记录的分值应为负数（扣减的积分），收到 %(points)s。"), code="redemption_not_negative",
            params={"points": points})})
    if kind == EntryKind.RESET and points == 0:
        raise ValidationError({"points": ValidationError(
            _("清零/结转记录的分值不能为零。"), code="reset_zero")})

    with transaction.atomic():
        organisation = _lock_organisation(organisation)
        if kind == EntryKind.CORRECTION:
            if corrects is None:
                raise ValidationError(_("更正记录必须指明所更正的原记录。"))
            corrects = LedgerEntry.objects.get(pk=corrects.pk)
            if corrects.kind == EntryKind.CORRECTION:
                raise ValidationError(_("更正记录应指向原始记录，而不是另一条更正记录。"))
            mismatched = [
                label
                for label, ok in [
                    (_("组织"), corrects.organisation_id == organisation.pk),
                    (_("成员"), corrects.member_id == member.pk),
                    (_("积分项目"), corrects.component == component),
                    (_("考核周期"), corrects.cycle_start == cycle_start),
                ]
                if not ok
            ]
            if mismatched:
                raise ValidationError(
                    _("更正记录与原记录（第 %(seq)s 条）的%(fields)s不一致。")
                    % {"seq": corrects.seq, "fields": join_list(mismatched)}
                )
            if points == 0:
                raise ValidationError(_("更正的分值差额不能为零。"))
        else:
            if corrects is not None:
                raise ValidationError(_("只有更正记录才能指向原记录。"))
            member_path = type(member).objects.filter(pk=member.pk).values_list("organisation__path", flat=True).first()
            if member_path is None or not member_path.startswith(organisation.path):
                raise ValidationError(
                    _("成员“%(member)s”不属于“%(organisation)s”及其下级组织，不能记入该组织的台账。")
                    % {"member": member, "organisation": organisation}
                )
        return _append(
            organisation,
            member=member,
            component=component,
            points=points,
            occurred_on=occurred_on,
            cycle_start=cycle_start,
            kind=kind,
            source=source,
            source_ref=source_ref,
            corrects=corrects,
            note=note,
            recorded_by=recorded_by,
        )


def _root(entry) -> LedgerEntry:
    if entry.kind == EntryKind.CORRECTION and entry.corrects_id:
        return LedgerEntry.objects.get(pk=entry.corrects_id)
    return entry


def effective_points(entry) -> Decimal:
    """An original entry's points after every correction posted against it."""
    root = _root(entry)
    corrections = root.corrections.aggregate(total=Sum("points"))["total"] or ZERO
    return (root.points + corrections).quantize(TWO_PLACES)


def post_correction(entry, new_points, reason, by, *, source="correction", source_ref="") -> LedgerEntry:
    """Correct ``entry`` so that its effective points become ``new_points``.

    Posts the difference (``new_points`` minus the points currently in effect, i.e. the
    original plus earlier corrections) as a ``correction`` entry pointing at the original
    entry (a correction of a correction is redirected to the original). ``reason`` is
    required and stored as the note; ``by`` is the user recording it. ``source`` /
    ``source_ref`` name what caused it, e.g. ``source="objection", source_ref=str(obj.pk)``.
    The current value is read under the organisation lock, so two concurrent corrections
    cannot both apply the same difference. When ``new_points`` is already in effect nothing
    is posted and ``NoChange`` (a ``ValidationError``) is raised; catch it if a no-op
    correction is acceptable to the caller.
    """
    new_points = _points(new_points, _("更正后的分值"))
    reason = _text(reason, "note", _("更正理由"), required=True)
    with transaction.atomic():
        root = _root(entry)
        _lock_organisation(root.organisation)
        current = effective_points(root)
        delta = new_points - current
        if delta == 0:
            raise NoChange(
                _("更正后的分值（%(new)s）与当前分值相同，无需更正。") % {"new": new_points}
            )
        return post_entry(
            organisation=root.organisation,
            member=root.member,
            component=root.component,
            points=delta,
            occurred_on=root.occurred_on,
            cycle_start=root.cycle_start,
            source=source,
            source_ref=source_ref,
            recorded_by=by,
            corrects=root,
            note=reason,
        )


# --------------------------------------------------------------------------- reading
def _sum(queryset) -> Decimal:
    total = queryset.aggregate(total=Sum("points"))["total"]
    return (total or ZERO).quantize(TWO_PLACES)


def balance(member, cycle_start=None, component=None) -> Decimal:
    """The member's score (``SCORE_KINDS``): all cycles unless ``cycle_start`` is given, all components unless
    ``component`` is. Redemptions and resets do not count (see :func:`redeemable_balance`)."""
    queryset = LedgerEntry.objects.filter(member=member, kind__in=SCORE_KINDS)
    if cycle_start is not None:
        queryset = queryset.filter(cycle_start=cycle_start)
    if component is not None:
        queryset = queryset.filter(component=component)
    return _sum(queryset)


def redeemable_balance(member, cycle_start) -> Decimal:
    """Points the member can still spend in the cycle starting ``cycle_start``: every entry of every kind.

    The score, less what was redeemed, less what a year-end reset cleared or carried out, plus
    what was carried in. Read it under :func:`lock_chain` of the chain that will record the
    spending, or two spenders can both see the same points.
    """
    return _sum(LedgerEntry.objects.filter(member=member, cycle_start=cycle_start))


def component_totals(member, cycle_start) -> dict[str, Decimal]:
    """``{component: points}`` of the member's score for the cycle, components in name order (one query)."""
    rows = (
        LedgerEntry.objects.filter(member=member, cycle_start=cycle_start, kind__in=SCORE_KINDS)
        .values("component")
        .annotate(total=Sum("points"))
        .order_by("component")
    )
    return {row["component"]: row["total"].quantize(TWO_PLACES) for row in rows}


def entries_for(member, cycle_start=None):
    """The member's entries in the order they were recorded, corrections included."""
    queryset = LedgerEntry.objects.filter(member=member).select_related("organisation", "corrects", "recorded_by")
    if cycle_start is not None:
        queryset = queryset.filter(cycle_start=cycle_start)
    return queryset.order_by("recorded_at", "organisation_id", "seq")


@dataclass
class BranchRow:
    member: object
    components: dict[str, Decimal]
    total: Decimal


@dataclass
class BranchTable:
    """A branch's points table for one cycle: ``components`` are the column names.

    Iterating yields the rows (``BranchRow``), ordered by organisation path then name.
    """

    organisation: object
    cycle_start: datetime.date
    components: list[str] = field(default_factory=list)
    rows: list[BranchRow] = field(default_factory=list)

    def __iter__(self):
        return iter(self.rows)

    def __len__(self):
        return len(self.rows)

    def row_for(self, member):
        member_id = getattr(member, "pk", member)
        return next((row for row in self.rows if row.member.pk == member_id), None)


def branch_table(organisation, cycle_start) -> BranchTable:
    """Per-member, per-component score sums (``SCORE_KINDS``) for ``organisation``'s subtree in one cycle.

    Points counted are those recorded in the ledgers of the organisations of the subtree
    (a member transferred out keeps appearing with what was earned here; a member
    transferred in shows only what was posted here). Rows: every member with such points,
    plus every active member currently in the subtree (with zeros). Two queries: one
    aggregate over the ledger, one for the members.
    """

    sums = (
        LedgerEntry.objects.for_subtree(organisation)
        .filter(cycle_start=cycle_start, kind__in=SCORE_KINDS)
        .values("member_id", "component")
        .annotate(total=Sum("points"))
        .order_by()
    )
    by_member: dict[int, dict[str, Decimal]] = {}
    components = set()
    for row in sums:
        by_member.setdefault(row["member_id"], {})[row["component"]] = row["total"].quantize(TWO_PLACES)
        components.add(row["component"])
    components = sorted(components)
    members = (
        Member.objects.filter(
            Q(pk__in=list(by_member)) | Q(organisation__path__startswith=organisation.path, is_active=True)
        )
        .select_related("organisation")
        .order_by("organisation__path", "name", "pk")
    )
    rows = []
    for member in members:
        own = by_member.get(member.pk, {})
        values = {component: own.get(component, ZERO) for component in components}
        rows.append(BranchRow(member=member, components=values, total=sum(values.values(), ZERO).quantize(TWO_PLACES)))
    return BranchTable(organisation=organisation, cycle_start=cycle_start, components=components, rows=rows)
