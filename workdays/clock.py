"""The organisation's clock: dates are Asia/Shanghai dates (DOMAIN.md, 时间口径)."""
import datetime
import zoneinfo

from django.utils import timezone, translation

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def local_today():
    """Today in Asia/Shanghai, as a ``datetime.date``."""
    return timezone.localtime(timezone.now(), SHANGHAI).date()


def local_day(moment):
    """The date of ``moment`` (an aware datetime) on the organisation's clock (Asia/Shanghai)."""
    return moment.astimezone(SHANGHAI).date()


def start_of_day(day):
    """Midnight at the start of ``day`` in Asia/Shanghai, as an aware datetime."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=SHANGHAI)


_EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def format_cn_date(value):
    """``2025年3月6日`` in Chinese, ``6 Mar 2025`` in English; datetimes in Asia/Shanghai."""
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value[:10])
        except ValueError:
            return value
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        value = value.date()
    if not isinstance(value, datetime.date):
        return str(value)
    lang = (translation.get_language() or "zh-hans").lower()
    if lang.startswith("zh"):
        return f"{value.year}年{value.month}月{value.day}日"
    return f"{value.day} {_EN_MONTHS[value.month - 1]} {value.year}"


def format_cn_datetime(value):
    """``2026年11月30日 09:04`` in Chinese, ``30 Nov 2026 09:04`` in English, in Asia/Shanghai."""
    if not isinstance(value, datetime.datetime):
        return format_cn_date(value)
    local = timezone.localtime(value, SHANGHAI) if timezone.is_aware(value) else value
    return f"{format_cn_date(local.date())} {local:%H:%M}"


def format_date_range(start, end=None):
    """A period in the active language: ``2026年1月1日至2026年12月31日`` / ``1 Jan 2026 – 31 Dec 2026``;
    without an end ``2026年11月25日起`` / ``from 25 Nov 2026``."""
    if end in (None, ""):
        return translation.gettext("%(start)s起") % {"start": format_cn_date(start)}
    return translation.gettext("%(start)s至%(end)s") % {"start": format_cn_date(start), "end": format_cn_date(end)}
