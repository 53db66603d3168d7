"""Template helpers for the web interface: Chinese dates, points, and inline SVG charts."""
from decimal import Decimal, InvalidOperation

from django import template
from django.urls import NoReverseMatch
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from appraisals.labels import action_label as result_action_label
from portal import charts
from portal.display import is_large
from portal.navigation import nav_items
from portal.taskview import process_actions, task_actions
from reviews.labels import action_label, changes, component_label, declaration_item
from reviews.labels import field_label as label
from reviews.services.points import correction_note
from reviews.services.points import signed_points as movement
from workdays.clock import format_cn_date, format_cn_datetime, format_date_range  # noqa: F401  (also filters)
from workdays.wording import join_list, points_text, signed_points_text
from workflow import history

register = template.Library()


@register.filter
def cn_date(value):
    return format_cn_date(value)


@register.filter
def cn_datetime(value):
    """Date as ``cn_date`` plus the Asia/Shanghai time ``14:05``."""
    return format_cn_datetime(value)


@register.filter
def date_range(start, end=None):
    """``{{ start|date_range:end }}``: a period in the active language, open-ended without ``end``."""
    return format_date_range(start, end)


@register.filter
def points(value):
    """A points amount without trailing zeros, signed when negative: ``5``, ``2.5``, ``-3``."""
    return points_text(value)


@register.filter
def signed_points(value):
    return signed_points_text(value)


@register.filter
def correction_mark(declaration):
    """`` → +2（更正，待公示）`` after a declaration's decided points when an upheld objection changed them
    (``reviews.services.points.correction_note``); empty otherwise."""
    return correction_note(declaration)


@register.filter
def list_join(items):
    """Items joined as the active language writes a list: ``、`` in Chinese, ``, `` in English."""
    return join_list(items)


@register.filter
def signed_for(value, declaration):
    """Points ``value`` recorded on ``declaration`` as they move the member's score, signed: ``+5``, ``-2``.

    Declarations store magnitudes; the scheme decides the sign (``reviews.services.points.signed_points``:
    a 倒扣 component, or ``deduction`` without a scheme, counts negatively). Use it, not
    ``signed_points`` alone, for a declaration's declared, decided or corrected points.
    """
    if value in (None, ""):
        return ""
    try:
        value = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return value
    return signed_points(movement(declaration, value))


@register.simple_tag
def bar_chart(data, title="", unit="", width=480, bar_height=24):
    """Horizontal bar chart as inline SVG; ``data`` is a list of ``(label, value)``."""
    return charts.bar_chart(data, title=title, unit=unit, width=width, bar_height=bar_height)


@register.simple_tag
def column_chart(data, title="", unit="", width=480, height=240):
    """Vertical column chart (histogram) as inline SVG; ``data`` is a list of ``(label, value)``."""
    return charts.column_chart(data, title=title, unit=unit, width=width, height=height)


@register.simple_tag
def progress_bar(done, total, label=""):
    return charts.progress_bar(done, total, label=label)


@register.simple_tag(takes_context=True)
def portal_nav(context):
    """The main navigation for the current user: only pages they may open."""

    request = context.get("request")
    if request is None:
        return []
    try:
        return nav_items(request)
    except NoReverseMatch:  # an error page under a URLconf without the portal (some tests mount one app)
        return []


@register.filter
def get_item(mapping, key):
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def audit_action(action):
    return action_label(action)


@register.filter
def field_label(name):
    return label(name)


@register.filter
def audit_changes(entry):
    return changes(entry)


@register.filter
def declaration_component(declaration):
    """A declaration's component as its scheme names it (``基础积分``, not ``base``)."""
    return component_label(declaration.scheme_version, declaration.component)


@register.filter
def declaration_label(declaration):
    """What a declaration is for: its stored item label, else the scheme's label of its item (not ``B-03``)."""
    return declaration_item(declaration)


@register.simple_tag(takes_context=True)
def task_page(context):
    """What viewflow's task pages show, for ``templates/viewflow/workflow/``: the flow, the process,
    the task's step, its state and owner, the steps before and after it, and the user's actions."""
    request = context["request"]
    activation = request.activation
    process, task = activation.process, activation.task
    concrete = history.concrete(process)
    flow = process.flow_class.instance
    return {
        "flow_title": process.flow_class.process_title,
        "index_url": flow.reverse("index"),
        "process_url": flow.reverse("process_detail", args=[process.pk]),
        "brief": getattr(concrete, "brief", "") or str(concrete),
        "title": task.flow_task.task_title or str(task.flow_task),
        "description": getattr(task.flow_task, "task_description", "") or "",
        "state": history.status_label(task.status),
        "owner": history.person(task.owner),
        "task": task,
        "previous": [str(t.flow_task.task_title or t.flow_task) for t in task.previous.all()],
        "next": [str(t.flow_task.task_title or t.flow_task) for t in task.leading.all()],
        "actions": task_actions(task, request.user),
    }


@register.simple_tag(takes_context=True)
def large_text(context):
    """True when the 长辈版 (large text) is on for this user or browser (``portal.display``)."""
    return is_large(context.get("request"))


@register.filter
def result_actions(keys):
    """A result's engine actions (``commend``, ``talk``...) as words, joined as the language writes a list."""
    return join_list(result_action_label(k) for k in keys or [])


@register.filter
def get_item_index(sequence, index):
    """``sequence[index]``, or "" when out of range."""
    try:
        return sequence[int(index)]
    except (IndexError, TypeError, ValueError):
        return ""


@register.filter
def actor(entry):
    """Who did an audited act: the stored name, or 系统 (in the active language) for the system."""
    if entry.actor_id is None and entry.actor_label in ("", "系统"):
        return _("系统")
    return entry.actor_label


@register.simple_tag(takes_context=True)
def subject_actions(context, subject):
    """What the user may do now on ``subject``'s workflow process (``portal.taskview.process_actions``:
    办理, 领取, 转交, 催办, 撤回…) and the process page's address, for a domain screen such as the
    round page; ``{"rows": [], "url": ""}`` when the subject has no process."""
    process = getattr(subject, "process", None) if subject is not None else None
    if process is None:
        return {"rows": [], "url": ""}
    flow = process.flow_class.instance
    return {"rows": process_actions(process, context["request"].user),
            "url": flow.reverse("process_detail", args=[process.pk])}


@register.simple_tag
def options(objects, chosen=None):
    """``<option>`` elements of ``objects`` (value: pk, text: str), ``chosen`` selected: drawn in Python,
    as a county's 640 organisations through the template's loop are a fifth of a dashboard."""
    chosen_pk = getattr(chosen, "pk", chosen)
    return format_html_join("", '<option value="{}"{}>{}</option>',
                            ((o.pk, mark_safe(" selected") if o.pk == chosen_pk else "", o) for o in objects))


@register.simple_tag
def table_rows(rows, *cells):
    """``<tr>`` of ``rows`` (dicts), one ``<td>`` per key: ``"name"`` as text, ``"num:members"`` a number
    and ``"points:total"`` drawn by :func:`points`, both right-aligned: for tables of hundreds of rows."""
    drawn = []
    for name in cells:
        kind, _, key = name.rpartition(":")
        drawn.append((key, kind))
    html = []
    for row in rows:
        tds = []
        for key, kind in drawn:
            value = row[key]
            if kind == "points":
                tds.append(format_html('<td class="num">{}</td>', points_text(value)))
            elif kind == "num":
                tds.append(format_html('<td class="num">{}</td>', value))
            else:
                tds.append(format_html("<td>{}</td>", value))
        html.append(format_html("<tr>{}</tr>", mark_safe("".join(tds))))
    return mark_safe("".join(html))
