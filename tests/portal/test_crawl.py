"""Every page each demo role can reach renders (no 5xx) and its navigation is in one language."""
import datetime
import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command

from appraisals.services import evaluations
from reviews.services import objections, rounds
from schemes.models import Scheme
from tests import world

from .crawl import crawl, language_problems, parse, unlabelled_controls

DEMO_USERS = ("town_reviewer", "town_committee", "dongjie_secretary", "dongjie_clerk", "qingshi_secretary",
              "grid1_worker", "qingshi_cashier")


def _demo_loaded():
    try:
        call_command("load_demo", force=True, verbosity=0)
    except Exception as exc:  # noqa: BLE001 - load_demo belongs to another app; report why it is missing
        pytest.fail(f"load_demo failed: {exc}")


@pytest.fixture
def populated(w):
    """The demo county plus a small county with rounds at several steps of the chain."""
    _demo_loaded()
    rr = world.round_in_publicity(w)
    d = rr.declarations.order_by("pk").first()
    objections.lodge_objection(d, objector_name="王五", objector_contact="13900001111", reason="该次巡查他并未参加")
    west_round = rounds.open_round(
        organisation=w.west, by=w.west_secretary, period_start=world.previous_quarter()[0],
        period_end=world.previous_quarter()[1])
    world.declare(w, w.west_member, "1", by=w.west_secretary)
    # an open year-end evaluation of 东街: its 民主评议 task waits in the branch staff's queue
    scheme = Scheme.objects.create(organisation=w.town, name="年终评定方案", cycle_start=datetime.date(2025, 1, 1),
                                   cycle_end=datetime.date(2025, 12, 31))
    evaluations.open_evaluation(organisation=w.east, by=w.secretary, scheme_version=scheme.revise(preset_key="county-7-3"))
    return w, rr, west_round


def _users(w):
    User = get_user_model()
    users = [w.secretary, w.clerk, w.reviewer, w.member_user, w.west_secretary]
    users += list(User.objects.filter(username__in=DEMO_USERS))
    member_logins = User.objects.filter(member__isnull=False).exclude(pk=w.member_user.pk).order_by("username")[:1]
    users += list(member_logins)
    return users


@pytest.mark.django_db
def test_crawl_every_role(populated, client):
    """Both languages in one test: the demo is loaded once."""
    w, _rr, _west = populated
    users = _users(w)
    assert len(users) == 5 + len(DEMO_USERS) + 1, "the demo should provide staff and member logins"
    report = []
    appraisal_pages = set()
    for language in ("zh-hans", "en"):
        total = 0
        for user in users:
            client.force_login(user)
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
            visited, failures = crawl(client, "/", language=language, max_pages=45)
            total += len(visited)
            appraisal_pages |= {shape for url, status in visited if status == 200
                                for shape in [re.sub(r"\d+", "N", url)] if shape.startswith("/appraisals/")}
            assert len(visited) >= 3, f"{user.username} reached only {visited}"
            report += [f"[{language}] {user.username} {url}: {problem}" for url, problem in failures]
            client.logout()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        visited, failures = crawl(client, "/public/", language=language, max_pages=20)
        report += [f"[{language}] anonymous {url}: {problem}" for url, problem in failures]
        assert total > 60, f"[{language}] only {total} pages reached"
    assert not report, "\n".join(report)
    # the year-end evaluation is reached from the navigation and from the task list
    assert {"/appraisals/", "/appraisals/N/"} <= appraisal_pages, appraisal_pages


def test_language_check_catches_mixed_navigation():
    _links, nav = parse('<nav><a href="/">工作台</a><a href="/x/">Inbox</a><i class="material-icons">inbox</i></nav>')
    assert language_problems(nav, "zh-hans") == ["Inbox"]
    _links, nav = parse('<nav><a href="/">Workbench</a><a href="/x/">待办</a></nav>')
    assert language_problems(nav, "en") == ["待", "办"]
    _links, nav = parse('<nav><a href="/">工作台</a><i class="material-icons">inbox</i></nav><p>English outside</p>')
    assert language_problems(nav, "zh-hans") == []
    _links, nav = parse('<nav><select><option lang="zh-hans">简体中文</option><option lang="en">English</option>'
                        '</select><a href="/">工作台</a></nav>')
    assert language_problems(nav, "zh-hans") == []


def test_label_check_catches_unlabelled_inputs():
    html = ('<label for="a">A</label><input id="a" name="a"><input name="b" id="b">'
            '<label>C <input name="c"></label><input type="hidden" name="d"><input aria-label="E" name="e">')
    assert unlabelled_controls(html) == [("input", "b")]
