"""workdays: the organisation's clock and calendar.

Holds: Chinese working days (工作日: chinese-calendar plus an admin-editable override table)
and ``clock`` (today and midnight in Asia/Shanghai, dates written the Chinese way).

May import: Django and chinese-calendar only.
"""
