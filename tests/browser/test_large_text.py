"""长辈版 (large text) in a real browser: names and statuses on the appraisal sheet stay whole
("周春/花", "已录/入" broke inside words), and on a 390 px phone the header folds the account
tools and the menu behind one button instead of filling half the screen."""
import pytest

from appraisals.services.evaluations import open_evaluation
from portal.models import DisplayPreference
from schemes.models import Scheme
from tests import world
from workdays.clock import local_today

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LINES = """(selector) => Array.from(document.querySelectorAll(selector)).map((el) => {
  const range = document.createRange(); range.selectNodeContents(el);
  const tops = new Set(Array.from(range.getClientRects()).map((r) => Math.round(r.top)));
  return [el.textContent.trim(), tops.size];
})"""


def _login(browser, base, user, viewport):
    ctx = browser.new_context(locale="zh-CN", viewport=viewport)
    page = ctx.new_page()
    page.goto(f"{base}/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(world.PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base}/")
    return ctx, page


def test_large_text_keeps_names_whole_and_the_phone_header_compact(live_server, browser, shots):
    base = live_server.url
    w = world.build()
    year = local_today().year
    scheme = Scheme.objects.create(organisation=w.town, name="党员积分制管理", cycle_start=f"{year}-01-01",
                                   cycle_end=f"{year}-12-31")
    scheme.revise(preset_key="county-7-3")
    evaluation = open_evaluation(organisation=w.east, by=w.secretary)
    DisplayPreference.objects.create(user=w.secretary, large_text=True)

    # The sheet on a laptop in large text: every name and status on one line.
    ctx, page = _login(browser, base, w.secretary, {"width": 1280, "height": 900})
    page.goto(f"{base}/appraisals/{evaluation.pk}/appraisal/")
    assert page.evaluate("document.documentElement.classList.contains('large')")
    page.get_by_label(f"{w.members[0].name} 优秀票").fill("6")
    page.get_by_role("button", name="全部保存").click()
    page.wait_for_load_state()
    shots(page, "large-appraisal-sheet-1280")
    names = page.evaluate(LINES, "table.stack tbody th[scope=row]")
    statuses = page.evaluate(LINES, "table.stack tbody td:last-child .nowrap")
    assert len(names) == len(w.members) and all(lines == 1 for _, lines in names), names
    assert "已录入" in [text for text, _ in statuses] and all(lines == 1 for _, lines in statuses), statuses
    wrap = "(() => { const w = document.querySelector('.table-wrap'); return w.scrollWidth <= w.clientWidth; })()"
    assert page.evaluate(wrap), "the whole sheet, status included, fits a laptop without scrolling sideways"
    ctx.close()

    # A phone, 390 x 844, large text: brand and one menu button; the menu opens on a tap.
    ctx, page = _login(browser, base, w.secretary, {"width": 390, "height": 844})
    header = page.evaluate("document.querySelector('header.site').getBoundingClientRect().height")
    assert header < 844 * 0.15, header
    assert not page.get_by_role("navigation", name="主导航").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shots(page, "large-home-390", full_page=False)
    toggle = page.get_by_role("button", name="菜单")
    assert toggle.get_attribute("aria-expanded") == "false"
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    nav = page.get_by_role("navigation", name="主导航")
    assert nav.is_visible() and page.get_by_role("button", name="标准版").is_visible()
    shots(page, "large-home-390-menu", full_page=False)
    nav.get_by_role("link", name="年终评定").click()
    page.wait_for_url(f"{base}/appraisals/")
    page.goto(f"{base}/appraisals/{evaluation.pk}/appraisal/")
    names = page.evaluate(LINES, "table.stack tbody th[scope=row]")
    assert all(lines == 1 for _, lines in names), names
    shots(page, "large-appraisal-sheet-390")
    ctx.close()


def test_large_text_keeps_the_meeting_headers_whole(live_server, browser, shots):
    """Trial 5: the meeting page's headers broke inside words in large text (申报分/值, 认定结/果, 调整后分/值)."""
    from reviews.services import meeting

    base = live_server.url
    w = world.build()
    for m in w.members[1:3]:
        world.declare(w, m, "2")
    rr = world.open_round(w)
    world.quorate_meeting(w, rr, by=w.secretary)
    DisplayPreference.objects.create(user=w.secretary, large_text=True)
    ctx, page = _login(browser, base, w.secretary, {"width": 1280, "height": 900})
    url = f"{base}/rounds/{rr.pk}/meeting/"
    page.goto(url)
    assert page.evaluate("document.documentElement.classList.contains('large')")
    headers = page.evaluate(LINES, "table.decisions thead th")
    assert all(lines == 1 for text, lines in headers if text), headers
    assert page.locator("#select-all").count() == 1
    meeting.bulk_approve(rr, w.secretary)
    page.goto(url)
    headers = page.evaluate(LINES, "table.decisions thead th")
    assert "申报分值" in [text for text, _ in headers] and all(lines == 1 for _, lines in headers), headers
    assert page.locator("#select-all").count() == 0  # nothing left to select
    shots(page, "large-meeting-decided-1280")
    ctx.close()
