"""Stored scoring schemes (积分方案) attached to an organisation and a cycle, and the simulate command."""
