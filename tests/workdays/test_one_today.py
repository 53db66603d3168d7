"""One notion of "today": services and pages take the date in Asia/Shanghai, never the UTC date."""
import ast
import datetime
from unittest import mock

from tests.test_architecture import ROOT, find_apps, python_modules
from workdays.clock import SHANGHAI, local_today

#: Calls that give a date without going through workdays.clock.
FORBIDDEN = {("date", "today"), ("timezone", "localdate"), ("datetime", "now"), ("datetime", "utcnow")}


def test_local_today_is_the_shanghai_date_when_utc_is_still_yesterday():
    # 2026-12-31 17:30 UTC is already 2027-01-01 01:30 in Shanghai.
    moment = datetime.datetime(2026, 12, 31, 17, 30, tzinfo=datetime.timezone.utc)
    with mock.patch("django.utils.timezone.now", return_value=moment):
        assert local_today() == datetime.date(2027, 1, 1)
    assert moment.astimezone(SHANGHAI).date() == datetime.date(2027, 1, 1) != moment.date()


def _offending_calls(path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", "")
            if (name, node.func.attr) in FORBIDDEN:
                yield f"{path.relative_to(ROOT)}:{node.lineno} {name}.{node.func.attr}()"
            if node.func.attr == "date" and isinstance(owner, ast.Call) and getattr(owner.func, "attr", "") == "now":
                yield f"{path.relative_to(ROOT)}:{node.lineno} now().date()"


def test_no_module_takes_the_date_another_way():
    offenders = []
    for app in find_apps(ROOT):
        for path in python_modules(ROOT / app):
            offenders.extend(_offending_calls(path))
    assert offenders == [], "use workdays.clock.local_today():\n" + "\n".join(offenders)
