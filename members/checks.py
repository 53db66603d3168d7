"""The checks a member's details pass, wherever they come from: the roster import and the edit form.

Each raises ``ValidationError`` with a code; the import reports ``exc.messages[0]`` against the row
and column, the form against the field. Names and ID numbers are normalised first
(``safeguards.text``): "姜　杰" and "姜\u200b杰" are 姜杰.
"""
import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from safeguards.text import CONTROL_CHARACTERS, normalise_code, normalise_name

EARLIEST = datetime.date(1900, 1, 1)
#: Nobody joined the Party before it was founded (1 July 1921).
EARLIEST_JOINED = datetime.date(1921, 7, 1)
PHONE = re.compile(r"^[0-9+\-() ]{7,20}$")
NAME_MAX = 50

__all__ = ["check_adult_when_joined", "check_day", "check_name", "check_phone", "normalise_code",
           "normalise_name"]


def check_name(value):
    """The name as stored, normalised; refuses an empty, over-long or control-character name."""
    if value and CONTROL_CHARACTERS.search(str(value)):
        raise ValidationError(_("姓名含有控制字符（不可见的特殊字符）"), code="name_control")
    name = normalise_name(value)
    if not name:
        raise ValidationError(_("姓名不能为空"), code="name_empty")
    if len(name) > NAME_MAX:
        raise ValidationError(_("姓名过长（最多50个字）"), code="name_too_long")
    return name


def check_day(day, today, key="birth_date"):
    """A birth (``key`` "birth_date") or joining ("joined_on") date: not after today, not before 1900 / 1921."""
    if day > today:
        raise ValidationError(_("日期不能晚于今天"), code="date_future")
    if day < EARLIEST:
        raise ValidationError(_("日期早于1900年"), code="date_too_early")
    if key == "joined_on" and day < EARLIEST_JOINED:
        raise ValidationError(_("入党日期不能早于1921年7月1日"), code="date_too_early")
    return day


def check_adult_when_joined(born, joined):
    """Party members join at 18 or older."""
    try:
        adult = born.replace(year=born.year + 18)
    except ValueError:  # 29 February
        adult = born.replace(year=born.year + 18, day=28)
    if joined < adult:
        raise ValidationError(_("入党时未满18周岁"), code="joined_under_18")


def check_phone(text):
    if not PHONE.match(text):
        raise ValidationError(_("联系电话格式不正确"), code="phone_invalid")
    return text
