"""Text built from data in the active language: list joins, brackets and points amounts.

Chinese joins names with ``、`` and brackets a note with ``（…）``; English writes ``, `` and
`` (…)``. The marks come from the catalogue's ``punctuation`` context (the same entries the
templates use, ``{% translate "、" context "punctuation" %}``), so a list or note built in Python
or by a filter reads right in either language. Points read without trailing zeros (``2``, ``2.5``,
``-2``) wherever they are printed.
"""
from decimal import Decimal, InvalidOperation

from django.utils.translation import pgettext


def join_list(items):
    """``张三、李四`` in Chinese, ``Zhang San, Li Si`` in English; empty items are left out."""
    return pgettext("punctuation", "、").join(str(i) for i in items if i not in (None, ""))


def bracketed(text):
    """``（text）`` in Chinese, `` (text)`` in English; nothing for an empty text."""
    if text in (None, ""):
        return ""
    return f"{pgettext('punctuation', '（')}{text}{pgettext('punctuation', '）')}"


def with_note(text, note):
    """``text`` followed by ``note`` in brackets: ``万继红（青石村第一网格）`` / ``Wan Jihong (Grid 1)``."""
    return f"{text}{bracketed(note)}"


def points_text(value):
    """A points amount without trailing zeros, signed when negative: ``5``, ``2.5``, ``-3``."""
    if value in (None, ""):
        return ""
    try:
        d = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return value
    text = format(d.quantize(Decimal("0.01")).normalize(), "f")
    return "0" if text in ("-0", "") else text


def signed_points_text(value):
    """``+5``, ``-2``, ``0``: a movement of points with its sign."""
    text = points_text(value)
    if text and not str(text).startswith("-") and text != "0":
        return "+" + text
    return text


def join_clauses(items):
    """Messages joined into one line: ``；`` in Chinese, ``; `` in English; empty items are left out."""
    return pgettext("punctuation", "；").join(str(i) for i in items if i not in (None, ""))
