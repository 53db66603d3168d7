"""workdays: the organisation's clock and calendar.

Holds: ``clock`` (today and midnight in Asia/Shanghai, dates written the Chinese way: the one
notion of "today" every service uses); ``calendar`` (Chinese working days: chinese-calendar,
admin overrides, imported State Council schedules, and for years not yet published the
statutory holidays of ``statutory``, marked provisional); ``schedules`` (importing a year's
schedule and recording every calendar change, ``signals.calendar_changed`` for the apps that
keep deadlines); the ``provisional_mark`` template tag.

May import: Django, chinese-calendar and lunar_python only.
"""
