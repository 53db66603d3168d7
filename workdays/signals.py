"""``calendar_changed``: sent inside the transaction that changed the working-day calendar.

Keyword arguments: ``first`` and ``last`` (dates, inclusive: the span whose working days
changed) and ``change`` (the ``CalendarChange`` row being recorded). A receiver recomputes the
deadlines it keeps that count working days over that span, moves their timers, and returns
what it moved as ``[{"what": str, "before": "YYYY-MM-DD", "after": "YYYY-MM-DD"}, ...]``; the
lists are stored on ``change.moved``. A receiver that raises rolls the calendar change back.
"""
from django.dispatch import Signal

calendar_changed = Signal()
