"""A tiny server-side SVG chart helper (no JavaScript, no CDN).

Every chart carries its numbers as text next to the bars and a ``<title>``/``<desc>``
for screen readers, so nothing is conveyed by colour or length alone.
"""
import bisect
import itertools
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import pgettext


def _describe(data, unit):
    """The chart's text for screen readers: ``label: value; …`` in the active language's marks."""
    colon, semicolon = pgettext("punctuation", "："), pgettext("punctuation", "；")
    return semicolon.join(f"{lbl}{colon}{_fmt(v)}{unit}" for lbl, v in data) or "—"

BAR_FILL = "#b30000"
AXIS = "#555"
_ids = itertools.count(1)


def _num(value):
    if value is None:
        return Decimal(0)
    return Decimal(str(value))


def _fmt(value):
    d = _num(value)
    text = format(d.quantize(Decimal("0.01")).normalize(), "f")
    return "0" if text in ("-0", "") else text


def _text_width(label, size):
    """Rough width of a label: CJK glyphs are a full em, others about half."""
    return sum(size if ord(ch) > 0x2E80 else size * 0.6 for ch in str(label))


def _short(label, limit=12):
    return label if len(label) <= limit else label[: limit - 1] + "…"


def bar_chart(data, title="", unit="", width=480, bar_height=24):
    """Horizontal bars, one row per ``(label, value)``; negative values are drawn as zero-length.

    Long labels are shortened on the axis; the full label is in each bar's ``<title>`` and in
    the chart's ``<desc>``.
    """
    data = [(str(label), _num(value)) for label, value in data]
    uid = f"chart{next(_ids)}"
    gap = 8
    font = 15
    label_w = min(max([_text_width(_short(lbl), font) for lbl, _ in data] + [40]) + 10, width * 0.45)
    value_w = 60
    plot_w = max(width - label_w - value_w, 50)
    top = 8
    height = top + len(data) * (bar_height + gap) + 4
    maximum = max([v for _, v in data] + [Decimal(0)])
    desc = _describe(data, unit)
    parts = [
        f'<svg class="chart" role="img" aria-labelledby="{uid}-t {uid}-d" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{uid}-t">{escape(title)}</title><desc id="{uid}-d">{escape(desc)}</desc>',
    ]
    for i, (label, value) in enumerate(data):
        y = top + i * (bar_height + gap)
        length = float(value / maximum * Decimal(plot_w)) if maximum > 0 and value > 0 else 0
        parts.append(
            f'<g><title>{escape(label)}{escape(pgettext("punctuation", "："))}{escape(_fmt(value))}{escape(unit)}</title>'
            f'<text x="{label_w - 6:.0f}" y="{y + bar_height * 0.7:.1f}" font-size="{font}" '
            f'text-anchor="end" fill="#222">{escape(_short(label))}</text>'
            f'<rect x="{label_w:.0f}" y="{y}" width="{length:.1f}" height="{bar_height}" fill="{BAR_FILL}"/>'
            f'<text x="{label_w + length + 4:.1f}" y="{y + bar_height * 0.7:.1f}" font-size="{font}" '
            f'fill="#222">{escape(_fmt(value))}{escape(unit)}</text></g>'
        )
    parts.append(
        f'<line x1="{label_w:.0f}" y1="{top - 2}" x2="{label_w:.0f}" y2="{height - 2}" stroke="{AXIS}"/>'
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def column_chart(data, title="", unit="", width=480, height=240):
    """Vertical columns (for a histogram): labels under the columns, counts above them."""
    data = [(str(label), _num(value)) for label, value in data]
    uid = f"chart{next(_ids)}"
    font = 15
    bottom = 34
    top = 20
    left = 8
    plot_h = height - top - bottom
    n = max(len(data), 1)
    slot = (width - 2 * left) / n
    col_w = slot * 0.7
    maximum = max([v for _, v in data] + [Decimal(0)])
    desc = _describe(data, unit)
    parts = [
        f'<svg class="chart" role="img" aria-labelledby="{uid}-t {uid}-d" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{uid}-t">{escape(title)}</title><desc id="{uid}-d">{escape(desc)}</desc>',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - left}" y2="{top + plot_h}" stroke="{AXIS}"/>',
    ]
    for i, (label, value) in enumerate(data):
        x = left + i * slot + (slot - col_w) / 2
        h = float(value / maximum * Decimal(plot_h)) if maximum > 0 and value > 0 else 0
        y = top + plot_h - h
        cx = x + col_w / 2
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{col_w:.1f}" height="{h:.1f}" fill="{BAR_FILL}"/>'
            f'<text x="{cx:.1f}" y="{y - 4:.1f}" font-size="{font}" text-anchor="middle" fill="#222">'
            f'{escape(_fmt(value))}{escape(unit)}</text>'
            f'<text x="{cx:.1f}" y="{top + plot_h + 16}" font-size="{font}" text-anchor="middle" fill="#222">'
            f'{escape(label)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def progress_bar(done, total, label=""):
    """An accessible progress bar: a native ``<progress>`` plus the numbers as text."""
    done = int(done or 0)
    total = int(total or 0)
    pct = int(done * 100 / total) if total else 0
    return mark_safe(
        f'<span class="progress"><progress max="{max(total, 1)}" value="{done}" '
        f'aria-label="{escape(label)}">{pct}%</progress> <span>{done}/{total} ({pct}%)</span></span>'
    )


def histogram(values, bins):
    """Count ``values`` into ``bins``: a list of ``(label, low, high)`` with ``low <= v < high``.

    ``high`` may be None for an open top bin. Returns ``[(label, count), ...]``. Each value is
    read once (a county's 30,000 totals), not once per bin.
    """
    numbers = sorted(v if type(v) is Decimal else _num(v) for v in values if v is not None)
    counts = []
    for label, low, high in bins:
        above = bisect.bisect_left(numbers, _num(low))
        below = len(numbers) if high is None else bisect.bisect_left(numbers, _num(high))
        counts.append((label, max(below - above, 0)))
    return counts
