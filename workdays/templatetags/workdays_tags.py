"""``{% provisional_mark start end %}``: the mark of a deadline counted over a provisional year."""
from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from workdays.calendar import is_provisional_span

register = template.Library()


@register.simple_tag
def provisional_mark(start, end):
    """``<span class="badge warn">暂按法定节假日推算</span>`` when ``start..end`` uses a provisional year, else ""."""
    if not start or not end or not is_provisional_span(start, end):
        return ""
    return format_html(
        ' <span class="badge warn" title="{}">{}</span>',
        _("该年国务院放假安排尚未公布，期限按法定节假日推算，公布后可能调整。"),
        _("暂按法定节假日推算"),
    )
