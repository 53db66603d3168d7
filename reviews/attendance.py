"""Whether a meeting's decisions are valid, from its counts: the one rule (issue 14).

The meeting page, the live check on its form, the services and the minutes all ask
:func:`attendance`; ``BranchMeeting.has_quorum`` is its ``VALID``.
"""
from django.db import models
from django.utils.translation import gettext_lazy as _


class Attendance(models.TextChoices):
    """What an attendance makes of a meeting (:func:`attendance`): the one rule the page, the
    live check on the form, the services and the minutes share."""

    VALID = "valid", _("超过半数，会议决定有效")
    NO_QUORUM = "no_quorum", _("未超过半数，不能作出决定")
    EXCEEDS = "exceeds", _("实到人数超过应到人数，出席记录有误")
    BELOW_RECORD = "below_record", _("应到人数少于在册人数，出席记录有误")
    ABOVE_RECORD = "above_record", _("应到人数多于在册人数，出席记录有误")


def attendance(entitled, present, on_record=None):
    """The :class:`Attendance` of ``present`` people out of ``entitled`` (``on_record``: the
    number the records entitle, which the entitled count must equal; ``None`` for a meeting
    already recorded, whose count was checked against the records of its day).

    Valid only when more than half of those entitled attended (超过应到人数的一半) and the
    counts are possible; never valid next to an attendance error.
    """
    if on_record is not None and entitled < on_record:
        return Attendance.BELOW_RECORD
    if on_record is not None and entitled > on_record:
        return Attendance.ABOVE_RECORD
    if present > entitled:
        return Attendance.EXCEEDS
    if entitled > 0 and present * 2 > entitled:
        return Attendance.VALID
    return Attendance.NO_QUORUM


#: Separators between entries of a names list, outside brackets: 、，,；;and line breaks.
_SEPARATORS = "、，,；;\n"
_OPEN, _CLOSE = "（(", "）)"


def split_entries(text):
    """``"孙丽（外出培训，请假）、周强"`` → ``["孙丽（外出培训，请假）", "周强"]`` (commas inside brackets kept)."""
    entries, current, depth = [], [], 0
    for ch in text or "":
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(depth - 1, 0)
        if ch in _SEPARATORS and depth == 0:
            entries.append("".join(current).strip())
            current = []
        else:
            current.append(ch)
    entries.append("".join(current).strip())
    return [e for e in entries if e]


class RecordedNames:
    """A meeting record's stored name lists (Chinese text, as the minutes print them), entry by entry:
    a page joins them in its reader's language (``workdays.wording.join_list``)."""

    @property
    def attendee_entries(self):
        """The names recorded as present, one entry each (:func:`split_entries`)."""
        return split_entries(self.attendee_names)

    @property
    def absentee_entries(self):
        """The absentees recorded, one entry each with its reason."""
        return split_entries(self.absentee_names)
