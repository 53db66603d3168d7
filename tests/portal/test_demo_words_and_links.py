"""On the demo, as a new user walks it: Chinese pages show words, not the scheme's keys or ids, and every
link a role is shown (in the navigation, on its home page and on the market screens) opens for it."""
import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command

from reviews.models import AuditEntry, Declaration

ROLES = ("town_reviewer", "town_committee", "dongjie_secretary", "dongjie_clerk", "qingshi_secretary",
         "qingshi_clerk", "grid1_worker", "qingshi_cashier", "member_qingshi")


@pytest.fixture
def demo(db):
    call_command("load_demo", force=True, verbosity=0)


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.nav, self.main, self._in_nav = [], [], 0

    def handle_starttag(self, tag, attrs):
        if tag == "nav":
            self._in_nav += 1
        href = dict(attrs).get("href") if tag == "a" else None
        if href and href.startswith("/") and not href.startswith("//"):
            (self.nav if self._in_nav else self.main).append(href.split("#")[0])

    def handle_endtag(self, tag):
        if tag == "nav" and self._in_nav:
            self._in_nav -= 1


def _links(response):
    parser = _Links()
    parser.feed(response.content.decode())
    return parser.nav, parser.main


def _zh(client, user):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"


SKIP = re.compile(r"^/(logout|accounts/logout|i18n|admin|static|media)|\.(docx|xlsx|pdf|png|jpe?g)$|/evidence/")


@pytest.mark.django_db
def test_every_link_a_demo_role_is_shown_opens(demo, client):
    """Nav and home-page links, then the links of the market screens one step further, answer 200."""
    report = []
    for username in ROLES:
        user = get_user_model().objects.get(username=username)
        _zh(client, user)
        home = client.get("/")
        assert home.status_code == 200, username
        nav, main = _links(home)
        pages = list(dict.fromkeys(nav + main))
        seen = set()
        queue = [(p, "/") for p in pages]
        while queue:
            url, source = queue.pop(0)
            if url in seen or SKIP.search(url):
                continue
            seen.add(url)
            response = client.get(url)
            if response.status_code == 403:
                report.append(f"{username}: {url} (linked from {source}) answers 403")
            elif response.status_code == 200 and url.startswith("/market/") and len(seen) < 60 \
                    and "text/html" in response.get("Content-Type", ""):
                queue += [(href, url) for href in sum(_links(response), []) if href.startswith("/market/")]
        client.logout()
    assert not report, "\n".join(report)


@pytest.mark.django_db
def test_nav_by_role(demo, client):
    """The review chain's entries are offered to party staff, not to a grid worker or a cashier."""
    from django.urls import reverse

    chain = {reverse("reviews:rounds"), reverse("appraisals:list"), reverse("members:index"),
             reverse("portal:delegations")}
    for username, shown in (("grid1_worker", False), ("qingshi_cashier", False), ("qingshi_clerk", True)):
        _zh(client, get_user_model().objects.get(username=username))
        nav, _main = _links(client.get("/"))
        assert (chain <= set(nav)) if shown else not (chain & set(nav)), (username, nav)
        client.logout()


KEYS = ("base", "bonus", "deduction", "construction", "family", "image/jpeg", "image/png")


@pytest.mark.django_db
def test_declaration_pages_show_words_not_keys(demo, client):
    """Every demo declaration page, as admin, in Chinese: no component or item key, round id, file type or 0.0 MB."""
    _zh(client, get_user_model().objects.get(username="admin"))
    declarations = list(Declaration.objects.all())
    assert AuditEntry.objects.filter(declaration__in=declarations).exists()
    report = []
    for d in declarations:
        text = client.get(f"/me/declarations/{d.pk}/").content.decode()
        keys = set(KEYS) | ({d.rule_item} if d.rule_item and d.rule_item != d.rule_item_label else set())
        problems = [k for k in keys if re.search(r"(?:<dd>|→ |：)" + re.escape(k) + r"\s*(?:<|$)", text, re.M)]
        problems += re.findall(r"审核批次：\S* → \d+", text)
        problems += ["0.0 MB"] if "0.0 MB" in text else []
        if problems:
            report.append(f"/me/declarations/{d.pk}/ ({d.component}/{d.rule_item}): {problems}")
    assert not report, "\n".join(report)


@pytest.mark.django_db
def test_clerk_record_page_and_ledger_export_show_labels(demo, client):
    from io import BytesIO

    from openpyxl import load_workbook

    from organisations.models import Organisation

    _zh(client, get_user_model().objects.get(username="qingshi_secretary"))
    for url in ("/record/", "/market/record/"):
        response = client.get(url)
        if response.status_code == 200:
            assert not re.search(r">\s*[A-Z]-\d\d\s*<", response.content.decode()), url
    from ledger import scope
    from ledger import services as ledger_services
    from members.models import Member

    village = Organisation.objects.get(code="demo-qingshi")
    cycle = scope.default_cycle_start(organisation=village)
    member = Member.objects.filter(organisation=village).order_by("pk").first()
    for component in ("base", "bonus"):  # the demo's round is posted by a background task
        ledger_services.post_entry(organisation=village, member=member, component=component, points=2,
                                   occurred_on=cycle, cycle_start=cycle, source="test")
    response = client.get(f"/downloads/ledger/{village.pk}.xlsx")
    if response.status_code == 404:
        from django.urls import reverse
        response = client.get(reverse("portal:ledger_xlsx", args=[village.pk]))
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    header = [c.value for c in book.worksheets[0][2]]
    assert len(header) > 4, header  # the branch's ledger has entries under at least one component
    assert not {"base", "bonus", "deduction", "construction", "family"} & set(header), header
    kinds = {row[3] for row in book.worksheets[1].iter_rows(min_row=2, values_only=True)}
    assert not {"base", "bonus", "deduction", "construction", "family"} & kinds, kinds


def test_small_files_are_not_zero_megabytes():
    from reviews.evidence import megabytes

    assert megabytes(9 * 1024) == "9 KB"
    assert megabytes(300) == "1 KB"
    assert megabytes(int(2.5 * 1024 * 1024)) == "2.5 MB"


@pytest.mark.django_db
def test_password_form_is_chinese_and_refuses_the_username(demo, client):
    user = get_user_model().objects.get(username="member_qingshi")
    _zh(client, user)
    short = client.post("/password/", {"old_password": "jifen2025", "new_password1": "a1b", "new_password2": "a1b"})
    text = short.content.decode()
    assert "too short" not in text and "密码长度太短" in text
    similar = client.post("/password/", {"old_password": "jifen2025", "new_password1": "member_qingshi1",
                                         "new_password2": "member_qingshi1"})
    assert similar.status_code == 200 and "太相似" in similar.content.decode()
    user.refresh_from_db()
    assert user.check_password("jifen2025")
