"""Human labels for audit actions, audited fields and their stored values (the trail stores codes).

Action labels are ``reviews.audit.AuditAction``'s, in the active language.
"""

from django.utils.translation import gettext_lazy as _

import scoring_engine
from reviews.audit import AuditAction
from reviews.evidence import megabytes
from reviews.models import (
    Declaration,
    DeclarationStatus,
    FilingOutcome,
    MeetingKind,
    Objection,
    ObjectionOutcome,
    ReviewRound,
    RoundStatus,
)
from schemes.words import word
from workdays.clock import format_cn_date
from workdays.wording import points_text

from .integration import DEFAULT_COMPONENT_LABELS

#: Technical fields not shown to people reading the history.
HIDDEN_FIELDS = {"sha256", "decided_at_meeting", "review_pass"}

_CHOICES = {}
for enum in (DeclarationStatus, RoundStatus, FilingOutcome, MeetingKind, ObjectionOutcome):
    for value, label in enum.choices:
        _CHOICES.setdefault(value, label)

_POINT_FIELDS = {"points", "decided_points", "corrected_points"}


def action_label(action):
    """The label of an audit code in the active language; an unknown code is shown as stored."""
    if not action:
        return ""
    try:
        return AuditAction(action).label
    except ValueError:
        return action


def field_label(name):
    for model in (Declaration, Objection, ReviewRound):
        try:
            return model._meta.get_field(name).verbose_name
        except Exception:  # noqa: BLE001 - not a field of this model
            continue
    return {
        "content_type": _("文件类型"), "size": _("大小"), "has_quorum": _("超过半数"), "task": _("任务"),
        "target": _("对象"), "reason": _("理由"), "deputy": _("受委派人"), "starts_at": _("开始"),
        "ends_at": _("结束"), "kind": _("角色"),
    }.get(name, name)


def value_label(field, value):
    """A stored audit value as people read it: choice labels, points without trailing zeros."""
    if value in (None, ""):
        return "—"
    if value is True:
        return _("是")
    if value is False:
        return _("否")
    if field == "size" and isinstance(value, int):
        return megabytes(value)
    if field in _POINT_FIELDS:
        return points_text(value)
    if isinstance(value, str) and value in _CHOICES:
        return _CHOICES[value]
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":

        return format_cn_date(value)
    return value


#: Stored file types as people name them.
CONTENT_TYPES = {"image/jpeg": _("图片"), "image/png": _("图片"), "image/heic": _("图片"), "image/webp": _("图片"),
                 "application/pdf": _("PDF 文件")}


def _engine(scheme_version):
    if scheme_version is None:
        return None
    try:
        return scheme_version.engine_scheme()
    except scoring_engine.SchemeError:
        return None


def component_label(scheme_version, key):
    """A component key (``base``, ``family``) as the scheme names it, in the active language."""
    if not key:
        return key
    engine = _engine(scheme_version)
    if engine is not None and key in (engine.component_index or {}):
        return word(engine.component(key).label, engine)
    return DEFAULT_COMPONENT_LABELS.get(key, key)


def item_label(scheme_version, component, key):
    """A rule item key (``B-01``, ``tidy_home``) as the scheme names it; the key when no scheme lists it."""
    engine = _engine(scheme_version)
    if engine is None or not key:
        return key
    names = [component] if component in (engine.component_index or {}) else [c.name for c in engine.components]
    for name in names:
        item = (engine.component(name).items or {}).get(key)
        if item is not None:
            return word(item.label, engine)
    return key


def declaration_item(declaration):
    """What a declaration is for, in words: the scheme's label of its item in the active language
    when the scheme lists it, else the label stored when it was declared (a free item), else its key."""
    listed = item_label(declaration.scheme_version, declaration.component, declaration.rule_item)
    if listed != declaration.rule_item:
        return listed
    return declaration.rule_item_label or listed


def _entry_value(entry, name, value, side):
    if value in (None, "") or name not in ("component", "rule_item", "review_round", "content_type"):
        return value_label(name, value)
    declaration = entry.declaration if entry.declaration_id is not None else None
    if declaration is None and name in ("component", "rule_item"):
        return value_label(name, value)
    if name == "component":
        return component_label(declaration.scheme_version, value)
    if name == "rule_item":
        component = side.get("component") or declaration.component
        found = item_label(declaration.scheme_version, component, value)
        if found == value and value == declaration.rule_item and declaration.rule_item_label:
            return declaration.rule_item_label  # an item the scheme does not list, named when declared
        return found
    if name == "review_round":
        if declaration is not None and declaration.review_round_id is not None and str(value) == str(
                declaration.review_round_id):
            return str(declaration.review_round)
        found = ReviewRound.objects.filter(pk=value).first() if str(value).isdigit() else None
        return str(found) if found is not None else value_label(name, value)
    if name == "content_type" and value in CONTENT_TYPES:
        return CONTENT_TYPES[value]
    return value_label(name, value)


def changes(entry):
    """``[(label, before, after)]`` for the visible changed fields of an AuditEntry, values in words
    (item and component labels, round names, file kinds) rather than stored keys and ids."""
    rows = []
    for name in entry.changed_fields:
        if name in HIDDEN_FIELDS:
            continue
        before, after = entry.before.get(name), entry.after.get(name)
        rows.append((field_label(name), _entry_value(entry, name, before, entry.before),
                     _entry_value(entry, name, after, entry.after)))
    return rows
