"""A notification's words: stored as a msgid and its params, read in the reader's language.

The one way translatable text is stored (as a copy's 抄送 note is, ``portal.cc``): the sentence
is its msgid, translated when it is shown; its params are JSON values of four kinds:

* plain data (a name, a count, what a person typed), shown as it is;
* ``{"msgid": ..., "params": {...}}``: a nested message, e.g. a status or publicity-kind label;
* ``{"date": "2026-11-30"}``: a date, written the reader's way (``format_cn_date``);
* ``{"by_language": {"zh-hans": ..., "en": ...}}``: a label computed from records by the helper
  that names it (a round's period label, a scheme item's or grade's label, a process summary),
  captured in each language of the site when the notification is sent.

``message(msgid, **params)`` builds a value; ``render(value)`` reads it in the active language.
"""
import datetime

from django.conf import settings
from django.utils import timezone, translation
from django.utils.functional import Promise

from workdays.clock import format_cn_date, local_day


def msgid(label):
    """The msgid of a lazy translation (``gettext_lazy``), or the string itself."""
    if isinstance(label, Promise):
        with translation.override(None):
            return str(label)
    return str(label)


def message(text, **params):
    """``text`` (a msgid, lazy or from ``gettext_noop``) with ``params``, as stored."""
    return {"msgid": msgid(text), "params": {name: encode(value) for name, value in params.items()}}


def per_language(make):
    """``make()`` (a label in the active language) evaluated in each language of the site."""
    captured = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            captured[code] = str(make())
    return {"by_language": captured}


def encode(value):
    """A param as stored: lazy labels by msgid, dates as ISO dates, numbers as they are, the rest as text."""
    if isinstance(value, dict):
        return value
    if isinstance(value, Promise):
        return {"msgid": msgid(value), "params": {}}
    if isinstance(value, datetime.datetime):
        return {"date": local_day(value).isoformat() if timezone.is_aware(value) else value.date().isoformat()}
    if isinstance(value, datetime.date):
        return {"date": value.isoformat()}
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return "" if value is None else str(value)


def _in_language(captured):
    language = (translation.get_language() or settings.LANGUAGE_CODE).lower()
    for code in (language, language.split("-")[0], settings.LANGUAGE_CODE):
        for stored, text in captured.items():
            if stored.lower() == code:
                return text
    return next(iter(captured.values()), "")


def render(value):
    """``value`` (as ``message`` or ``encode`` store it) in the active language."""
    if not isinstance(value, dict):
        return "" if value is None else str(value)
    if "msgid" in value:
        text = translation.gettext(value["msgid"]) if value["msgid"] else ""
        params = value.get("params") or {}
        return text % {name: render(param) for name, param in params.items()} if params else text
    if "date" in value:
        return format_cn_date(value["date"])
    if "by_language" in value:
        return _in_language(value["by_language"])
    return ""


def render_in(language, value):
    """``value`` in ``language`` (the organisation's, ``settings.LANGUAGE_CODE``, for plain-text copies)."""
    with translation.override(language):
        return render(value)
