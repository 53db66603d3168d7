"""The roll call of a branch meeting: who of those entitled on record was present, who was absent and why.

The absent are the entitled people on record (``quorum.entitled_people``) not ticked present — never
typed twice, never left out. The typed 缺席人员及原因 only gives the reasons (each optional): an entry
naming someone ticked present contradicts the roll and is refused (``absentee_also_present``); text
naming nobody (``请假``) is the reason of those absent without their own. What was typed is kept as
typed (``BranchMeeting.absentee_reasons``): a correction starts from it, never from the derived names.
"""
import re

from django.utils.translation import gettext as _

from workdays.wording import join_list

from ..attendance import split_entries  # noqa: F401  (re-exported: the roll call's parsing of a names list)
from ..errors import ReviewErrorCode as Code
from ..errors import error
from . import quorum

#: The minutes (会议纪要) are a Chinese document: their list of absentees is joined the Chinese way.
MINUTES_LIST_MARK = "、"
#: Free-text reasons typed beside the names, joined into one reason (Chinese, as the minutes print it).
REASON_MARK = "，"


def entry_name(entry):
    """The name an entry starts with, before any bracketed reason."""
    return re.split(r"[（(]", entry, maxsplit=1)[0].strip()


def take(organisation, kind, present_keys, absentee_names):
    """``(present, absentee_names)`` for a roll call of ``kind`` in ``organisation``.

    ``present``: the :class:`quorum.Person` rows whose keys were ticked; ``absentee_names``: every
    entitled person not ticked, with the reason typed for them if any, then typed entries with a
    bracketed reason for people not on record. The entitled are those on record
    (``quorum.check_entitled``), so a bare entry naming nobody on record is not a person: it is a
    reason (such as ``请假``) given to each absentee without one of their own, never listed as a name.

    Raises ValidationError: ``attendee_not_entitled`` (attendees) for a key not on record;
    ``absentee_also_present`` (absentee_names) for a typed absentee who is ticked present.
    """
    people = quorum.entitled_people(organisation, kind)
    keys = set(present_keys)
    unknown = keys - {p.key for p in people}
    if unknown:
        raise error("attendees", Code.ATTENDEE_NOT_ENTITLED, _("所选出席人员不在应到人员名单中，请刷新页面后重新勾选。"))
    present = [p for p in people if p.key in keys]
    names = {p.name for p in people}
    typed, notes = {}, []
    for entry in split_entries(absentee_names):
        if entry_name(entry) in names or entry_name(entry) != entry:  # a name, or a name with its reason
            typed.setdefault(entry_name(entry), entry)
        else:
            notes.append(entry)
    both = [p.name for p in present if p.name in typed]
    if both:
        raise error("absentee_names", Code.ABSENTEE_ALSO_PRESENT,
                    _("%(names)s 已勾选为实到，不能同时列为缺席；请取消勾选或从缺席人员中删去。"), names=join_list(both))
    common = REASON_MARK.join(notes)
    absent = [typed.pop(p.name, None) or (f"{p.name}（{common}）" if common else p.name)
              for p in people if p.key not in keys]
    return present, MINUTES_LIST_MARK.join(absent + list(typed.values()))
