"""Importing a roster, all or nothing: validate every row, match rows to members, then write in one transaction.

Matching: a row is the same person as an existing member when the ID number matches;
without an ID number (or with the masked number from an export), when name and branch
match. A blank cell never erases a stored value, so re-importing a file, or importing a
file exported from here, changes nothing.
"""
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from organisations.permissions import BRANCH_STAFF, require
from workdays.clock import local_today

from ..idcard import mask
from ..models import Member, MemberCategory, MemberKind, RosterImport, Transfer, TransferDirection
from .columns import HEADERS, cell_text
from .files import read_limited, read_table
from .report import RosterImportError, row_error
from .rows import Scope, validate_row

MAX_DATA_ROWS = 20000


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    ignored_columns: list = field(default_factory=list)
    sheet: str = ""  # the sheet the roster was read from ("" for CSV)
    other_sheets: list = field(default_factory=list)  # the workbook's other sheets, not read
    rows: list = field(default_factory=list)  # (row number, "created"|"updated"|"unchanged", member pk)
    record: object = None  # the RosterImport row

    @property
    def total(self):
        return self.created + self.updated + self.unchanged


_UPDATABLE = ("name", "gender", "id_number", "birth_date", "birth_date_precision", "joined_on", "joined_on_precision",
              "kind", "category", "phone", "household_size")


def import_roster(file_obj, filename, *, organisation, user):
    """Import a roster into ``organisation``'s subtree on behalf of ``user``.

    Returns an :class:`ImportResult`; raises :class:`RosterImportError` (nothing written)
    with every problem found, or PermissionDenied when ``user`` may not manage
    ``organisation`` at all. ``filename`` is only used for messages: the type is
    decided by the content.
    """
    require(user, organisation, BRANCH_STAFF)
    limit = getattr(settings, "JIFEN_ROSTER_MAX_BYTES", 10 * 1024 * 1024)
    data = read_limited(file_obj, limit)
    if not data.strip():
        raise RosterImportError([row_error(None, "", "", _("文件“%(f)s”是空的。") % {"f": filename})])
    table = read_table(data)
    header_row, mapping, ignored, rows = table.header_row, table.mapping, table.ignored, table.rows
    if "name" not in mapping.values():
        raise RosterImportError([row_error(header_row, "姓名", "", _("缺少“姓名”列"))])

    scope = Scope(user, organisation)
    categories = {}
    for c in MemberCategory.objects.all():
        categories[c.code] = c
        categories[c.name] = c
    today = local_today()

    cleaned, errors = [], []
    for number, values in rows:
        if not any(cell_text(v) for v in values):
            continue
        if len(cleaned) >= MAX_DATA_ROWS:
            errors.append(row_error(number, "", "", _("数据行超过%(n)d行，请分批导入") % {"n": MAX_DATA_ROWS}))
            break
        raw = {key: values[i] for i, key in mapping.items() if i < len(values)}
        clean, row_errors = validate_row(number, raw, scope, categories, today)
        cleaned.append(clean)
        errors.extend(row_errors)
    if not cleaned and not errors:
        raise RosterImportError([row_error(None, "", "", _("文件只有表头，没有数据行。"))])

    errors.extend(_cross_check(cleaned, organisation))
    plan = _match(cleaned, organisation, errors)
    if errors:
        errors.sort(key=lambda e: (e["row"] or 0, HEADERS.index(e["column"]) if e["column"] in HEADERS else 99))
        raise RosterImportError(errors)

    result = ImportResult(ignored_columns=ignored, sheet=table.sheet, other_sheets=table.other_sheets)
    try:
        with transaction.atomic():
            for clean, member in plan:
                action, member = _write(clean, member, user, today)
                setattr(result, action, getattr(result, action) + 1)
                result.rows.append((clean["row"], action, member.pk))
            result.record = RosterImport.objects.create(
                organisation=organisation, user=user, filename=(filename or "")[:255],
                sha256=hashlib.sha256(data).hexdigest(),
                created=result.created, updated=result.updated, unchanged=result.unchanged,
            )
    except IntegrityError:
        # Someone else wrote a conflicting member between validation and writing.
        raise RosterImportError([row_error(None, "", "", _("写入时发生冲突（身份证号重复），请重新导入。"))]) from None
    return result


def _cross_check(cleaned, organisation):
    """Duplicates inside the file, and ID numbers held by members outside the subtree."""
    errors = []
    first_by_id, first_by_name = {}, {}
    for clean in cleaned:
        number = clean.get("id_number")
        if number:
            if number in first_by_id:
                errors.append(row_error(clean["row"], "身份证号", mask(number), _(
                    "身份证号与第%(r)d行重复") % {"r": first_by_id[number]}))
            else:
                first_by_id[number] = clean["row"]
        elif "name" in clean and "organisation" in clean:
            key = (clean["name"], clean["organisation"].pk)
            if key in first_by_name:
                errors.append(row_error(clean["row"], "姓名", clean["name"], _(
                    "与第%(r)d行同名且在同一支部，未填身份证号无法区分") % {"r": first_by_name[key]}))
            else:
                first_by_name[key] = clean["row"]
    if first_by_id:
        outside = Member.objects.filter(id_number__in=list(first_by_id)).exclude(
            organisation__path__startswith=organisation.path)
        for number in outside.values_list("id_number", flat=True):
            errors.append(row_error(first_by_id[number], "身份证号", mask(number), _(
                "该身份证号已登记在您管理范围以外的组织，请办理组织关系转接，不能重复登记")))
    return errors


def _match(cleaned, organisation, errors):
    """Pair every valid row with the existing member it updates (or None to create)."""
    plan = []
    in_scope = Member.objects.filter(organisation__path__startswith=organisation.path)
    by_id = {m.id_number: m for m in in_scope.filter(
        id_number__in=[c["id_number"] for c in cleaned if c.get("id_number")])}
    by_name = defaultdict(list)
    names = {c["name"] for c in cleaned if "name" in c}
    for m in in_scope.filter(name__in=names):
        by_name[(m.name, m.organisation_id)].append(m)
    claimed = {}
    for clean in cleaned:
        if "name" not in clean or "organisation" not in clean:
            continue
        member = None
        same_name = by_name.get((clean["name"], clean["organisation"].pk), [])
        if clean.get("id_number"):
            member = by_id.get(clean["id_number"])
            if member is None:
                without_id = [m for m in same_name if not m.id_number]
                if len(without_id) == 1:
                    member = without_id[0]
        elif clean.get("masked_id"):
            hits = [m for m in same_name if mask(m.id_number) == clean["masked_id"]]
            if len(hits) != 1:
                errors.append(row_error(clean["row"], "身份证号", clean["masked_id"], _(
                    "身份证号是脱敏后的号码，且找不到同一支部中姓名和号码都对应的成员；新成员请填写完整号码")))
                continue
            member = hits[0]
        else:
            if len(same_name) > 1:
                errors.append(row_error(clean["row"], "姓名", clean["name"], _(
                    "该支部有%(n)d名同名成员，请填写身份证号以区分") % {"n": len(same_name)}))
                continue
            member = same_name[0] if same_name else None
        if member is not None:
            if member.pk in claimed:
                errors.append(row_error(clean["row"], "姓名", clean["name"], _(
                    "与第%(r)d行对应同一名成员") % {"r": claimed[member.pk]}))
                continue
            claimed[member.pk] = clean["row"]
        plan.append((clean, member))
    return plan


def _write(clean, member, user, today):
    if member is None:
        member = Member(organisation=clean["organisation"], kind=clean.get("kind", MemberKind.PARTY_MEMBER))
        for key in _UPDATABLE:
            if key in clean:
                setattr(member, key, clean[key])
        member.save()
        return "created", member
    changed = False
    for key in _UPDATABLE:
        if key in clean and getattr(member, key) != clean[key]:
            setattr(member, key, clean[key])
            changed = True
    moved_from = None
    if member.organisation_id != clean["organisation"].pk:
        moved_from = member.organisation
        member.organisation = clean["organisation"]
        changed = True
    if not changed:
        return "unchanged", member
    member.save()
    if moved_from is not None:
        # The roster moved the member: keep the history as a transfer row.
        Transfer.objects.create(
            member=member, direction=TransferDirection.WITHIN, from_organisation=moved_from,
            to_organisation=member.organisation, date=today, note=_("名册导入"), recorded_by=user,
        )
    return "updated", member
