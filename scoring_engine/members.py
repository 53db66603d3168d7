"""The scenario's members: id, branch, category, probationary status and free flags."""
from dataclasses import dataclass
from decimal import Decimal

from .errors import SchemeError, join
from .reader import to_decimal

MEMBER_KEYS = frozenset({"id", "name", "branch", "category", "probationary", "flags"})


@dataclass(slots=True)
class Member:
    """One validated member, read only once built (not frozen: a frozen dataclass's ``__init__``
    sets each field through ``object.__setattr__``, which was a third of reading 30,000 members)."""

    id: str
    name: str
    branch: str
    category: str | None
    probationary: bool
    flags: dict
    excluded: bool
    index: int


class Roster(list):
    """The members :func:`parse_members` validated against ``scheme``, in order (``Member`` each).

    :func:`scoring_engine.prepare` takes a roster of its scheme as it is, so a caller may read
    its members while it waits for the rest of its inputs (the review chain's year-end close
    does while the database adds up the ledger)."""

    __slots__ = ("scheme",)


_FLAG_TYPES = frozenset({bool, str, int, Decimal, type(None)})


def _flag_value(value, path):
    if isinstance(value, (bool, str, int, Decimal)) or value is None:
        return value
    if isinstance(value, float):
        return to_decimal(value, path)
    raise SchemeError(path, "标记值应为布尔、数字或文本 (flag must be a boolean, number or string)")


def _field(path, index, key):
    """The path of field ``key`` of member ``index`` (built only for an error message)."""
    return join(join(path, index), key)


def parse_members(data, scheme, path="members"):
    """A list of member objects -> :class:`Roster` of :class:`Member` (ids unique, categories the scheme's)."""
    if not isinstance(data, list):
        raise SchemeError(path, "应为列表 (expected a list)")
    members = Roster()
    members.scheme = scheme
    seen = {}
    for index, raw in enumerate(data):
        if not isinstance(raw, dict):
            raise SchemeError(join(path, index), "应为对象 (expected an object)")
        if not MEMBER_KEYS.issuperset(raw):  # one C-level test; the loop below only names the culprit
            for key in raw:
                if key not in MEMBER_KEYS:
                    raise SchemeError(_field(path, index, key), "未知字段 (unknown field)")
        member_id = raw.get("id")
        if not isinstance(member_id, str) or not member_id:
            raise SchemeError(_field(path, index, "id"), "成员编号应为非空文本 (id must be a non-empty string)")
        if member_id in seen:
            raise SchemeError(_field(path, index, "id"), f"成员编号 {member_id!r} 与 members[{seen[member_id]}] 重复 (duplicate id)")
        seen[member_id] = index
        category = raw.get("category")
        if category is not None and not isinstance(category, str):
            raise SchemeError(_field(path, index, "category"), "类别应为文本 (category must be a string)")
        if scheme.categories is not None:
            if category is None:
                raise SchemeError(_field(path, index, "category"),
                                  f"该方案须指明类别：{', '.join(sorted(scheme.categories))} (category required)")
            if category not in scheme.categories:
                raise SchemeError(_field(path, index, "category"),
                                  f"未知类别 {category!r}，可选：{', '.join(sorted(scheme.categories))} (unknown category)")
        probationary = raw.get("probationary", False)
        if not isinstance(probationary, bool):
            raise SchemeError(_field(path, index, "probationary"), "应为 true/false (expected a boolean)")
        raw_flags = raw.get("flags") or {}
        if not isinstance(raw_flags, dict):
            raise SchemeError(_field(path, index, "flags"), "应为对象 (expected an object)")
        flags = dict(raw_flags)
        for key, value in raw_flags.items():
            if type(value) not in _FLAG_TYPES:
                flags[key] = _flag_value(value, join(_field(path, index, "flags"), key))
        branch = raw.get("branch", "")
        if not isinstance(branch, str):
            raise SchemeError(_field(path, index, "branch"), "应为文本 (expected a string)")
        # Positional arguments: a call by keyword costs more than the rest of building a Member.
        members.append(Member(member_id, str(raw.get("name", "")), branch, category, probationary, flags,
                              bool(flags.get("excluded")), index))
    return members
