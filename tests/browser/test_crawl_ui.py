"""The browser crawl: every screen, every demo role, both languages, each also in the 长辈版.

Playwright drives Debian's chromium over the demo county (``load_demo``). For each role it
follows every same-site link (one page per URL shape) and fails on a 5xx, English UI text in
zh-hans, Chinese UI text in English (data excepted: names, organisations, scheme labels —
every text the database holds), a raw id or key, or a serious/critical axe-core violation
(WCAG 2.1 AA, axe-playwright-python). One screenshot per screen and language is saved under
``test-output/screenshots/crawl/``.
"""
import re
from collections import deque
from urllib.parse import urldefrag, urlparse

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models

from tests.browser.crawl_checks import page_text, problems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLES = ("county_reviewer", "town_reviewer", "town_committee", "dongjie_secretary", "dongjie_clerk",
         "qingshi_secretary", "grid1_worker", "qingshi_cashier", "member_dongjie", "member_xuexiao", None)
#: In the 长辈版 every role is crawled again in both languages, over the screens it reaches first.
LARGE_LIMIT = 12
SKIP = re.compile(r"^/(admin|i18n|logout|static|display)/|^/api/v1/|/(assign|unassign|cancel|undo|revive|execute|claim|release)/$"
                  r"|format=|/download/|\.(xlsx|csv|pdf|docx|zip)(\?|$)|/evidence/|/export/|/template\.")
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
               "resultTypes": ["violations"]}
MAX_PAGES = 40


def shape(url):
    return re.sub(r"\d+", "N", urlparse(url).path) + ("?" + re.sub(r"\d+", "N", urlparse(url).query)
                                                       if urlparse(url).query else "")


def data_strings():
    """Every text the database holds (longest first): what the English pages may show in Chinese."""
    values = set()
    installed = {config.label for config in apps.get_app_configs()}
    for label in ("organisations", "members", "schemes", "reviews", "appraisals", "ledger", "documents", "auth",
                  "workflow", "notifications", "market"):
        if label not in installed:
            continue
        for model in apps.get_app_config(label).get_models():
            fields = [f.name for f in model._meta.concrete_fields
                      if isinstance(f, (models.CharField, models.TextField, models.JSONField))]
            if not fields:
                continue
            for row in model.objects.values_list(*fields):
                for value in row:
                    if isinstance(value, str):
                        values.add(value.strip())
                        values.update(line.strip() for line in value.splitlines())  # shown line by line
                    elif value:
                        values.update(re.findall(r"[\u3400-\u9fff][^\"',:\]\[{}]*", str(value)))
    return sorted((v for v in values if len(v) >= 1), key=len, reverse=True)


def _login(context, base, username):
    page = context.new_page()
    if username:
        page.goto(f"{base}/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", "jifen2025")
        page.locator("main button[type=submit]").click()
        page.wait_for_load_state()
    return page


def crawl(page, base, start, language, data, axe, axed, shots, label, large=False, limit=MAX_PAGES):
    queue, seen, shapes, report, visited = deque([start]), set(), set(), [], []
    while queue and len(visited) < limit:
        url = urldefrag(queue.popleft())[0]
        if url in seen or SKIP.search(url):
            continue
        seen.add(url)
        s = shape(url)
        if s in shapes:
            continue
        shapes.add(s)
        response = page.goto(base + url)
        status = response.status if response else 0
        visited.append((url, status))
        if status >= 500:
            report.append(f"{url}: HTTP {status}")
            continue
        if "text/html" not in (response.headers.get("content-type", "") if response else ""):
            continue
        report += [f"{url}: {p}" for p in problems(page_text(page), language, data)]
        key = (s, large)
        if key not in axed:
            axed.add(key)
            result = axe.run(page, options=AXE_OPTIONS)
            for v in result.response["violations"]:
                if v.get("impact") in ("serious", "critical"):
                    targets = [n["target"] for n in v["nodes"][:3]]
                    report.append(f"{url}: axe {v['id']} ({v['impact']}) {targets}")
        if (s, large, language) not in axed:  # one screenshot per screen, display and language
            axed.add((s, large, language))
            name = f"crawl/{'large-' if large else ''}{language}-{re.sub(r'[^A-Za-z0-9]+', '_', s).strip('_') or 'home'}"
            shots(page, name)
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))"):
            if href.startswith("/") and not href.startswith("//"):
                queue.append(href)
    return visited, report


def test_every_screen_every_role(live_server, browser, shots):
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright",
                                     reason="the axe-playwright-python package is not installed")
    Axe = axe_module.Axe
    call_command("load_demo", force=True, verbosity=0)
    data = data_strings()
    axe, axed, report, total = Axe(), set(), [], 0
    for language in ("zh-hans", "en"):
        for role in ROLES:
            for large in (False, True):
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
                # the Content-Security-Policy (django-csp) refuses nothing a page needs (#13 item 4)
                blocked = []
                context.on("console", lambda m, b=blocked: b.append(f"{m.page.url if m.page else ''}: {m.text}")
                           if "Content Security Policy" in m.text or "Refused to" in m.text else None)
                page = _login(context, live_server.url, role)
                start = "/" if role else "/public/"
                if large:  # the one switch in the header; remembered for the user (or this browser)
                    page.goto(live_server.url + start)
                    page.locator("header form[action='/display/'] button").click()
                    page.wait_for_load_state()
                    assert page.evaluate("document.documentElement.classList.contains('large')")
                visited, problems_found = crawl(page, live_server.url, start, language, data, axe, axed, shots,
                                                role or "anonymous", large=large,
                                                limit=LARGE_LIMIT if large else MAX_PAGES)
                total += len(visited)
                assert len(visited) >= (3 if role else 2), f"{role} reached only {visited}"
                report += [f"[{language}{' large' if large else ''}] {role or 'anonymous'} {p}" for p in problems_found]
                report += [f"[{language}] {role or 'anonymous'} CSP: {b}" for b in blocked]
                if large:  # back to the standard display, remembered the same way
                    page.goto(live_server.url + start)
                    page.locator("header form[action='/display/'] button").click()
                    page.wait_for_load_state()
                    assert not page.evaluate("document.documentElement.classList.contains('large')")
                context.close()
    assert total > 150, f"only {total} pages visited"
    assert not report, "\n".join(sorted(set(report))[:200])
