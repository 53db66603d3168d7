"""Keyboard only: the skip link comes first, and a visitor files an objection without a mouse."""
import re

import pytest

from reviews.models import Objection
from tests import world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_objection_form_by_keyboard(live_server, browser, shots):
    w = world.build()
    rr = world.round_in_publicity(w)
    ctx = browser.new_context(locale="zh-CN", viewport={"width": 375, "height": 812})
    page = ctx.new_page()
    page.goto(f"{live_server.url}/public/{w.east.code}/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "跳到正文"
    page.keyboard.press("Enter")
    # Walk forward to the first “提出异议” link and follow it with Enter.
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent").startswith("提出异议"):
            break
    else:
        pytest.fail("no objection link reachable by Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/objection/\d+/\d+/$"))
    page.get_by_label("您的姓名").focus()
    page.keyboard.type("李四")
    page.keyboard.press("Tab")
    page.keyboard.type("13700002222")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "reason"
    page.keyboard.type("他那天在外地，不可能参加巡查。")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "refresh_challenge"  # 看不清，换一张, by the picture
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "captcha_1"  # the challenge (test mode answer)
    page.keyboard.type("PASSED")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.tagName") == "BUTTON"
    focus_outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert focus_outline != "none", "the focused button shows a focus ring"
    shots(page, "16-keyboard-objection-focus-375")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/objection/done/\d+/$"))
    objection = Objection.objects.get()
    assert objection.objector_name == "李四" and objection.declaration.review_round_id == rr.pk
    ctx.close()
