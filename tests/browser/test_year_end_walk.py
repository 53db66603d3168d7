"""The year end in a real browser, from the start screen to the publicity on the public board:
open the evaluation → enter the democratic appraisal → compute → the branch proposes → the
higher committee (whose task is in 我的待办) approves → the results are on the public board and
the member reads their own result → a visitor objects to a result on the board → the clerk
answers it on the objection screen (reviews' ObjectionFlow) → once the window has closed and
the objection is answered, the results are published."""
import re

import pytest
from playwright.sync_api import expect

from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from appraisals.flows import YearEndFlow
from appraisals.models import Evaluation, EvaluationStatus
from appraisals.services import objections
from reviews.models import local_today
from schemes.models import Scheme
from tests import world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(context, base, user):
    page = context.new_page()
    page.goto(f"{base}/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(world.PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base}/")
    return page


def test_year_end_from_the_start_screen_to_the_board(live_server, browser, shots):
    base = live_server.url
    w = world.build()
    year = local_today().year
    scheme = Scheme.objects.create(organisation=w.town, name="党员积分制管理", cycle_start=f"{year}-01-01",
                                   cycle_end=f"{year}-12-31")
    scheme.revise(preset_key="county-7-3")

    # 1. The secretary opens the evaluation from the 年终评定 screen -----------------------
    ctx = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = _login(ctx, base, w.secretary)
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="年终评定").click()
    page.get_by_label("组织").select_option(label=w.east.name)
    shots(page, "20-year-end-open")
    page.get_by_role("button", name="发起").click()
    page.wait_for_url(re.compile(r"/appraisals/\d+/appraisal/$"))
    evaluation = Evaluation.objects.get(organisation=w.east)

    # 2. The democratic appraisal, member by member ------------------------------------------
    for i, member in enumerate(w.members):
        page.get_by_label(f"{member.name} 优秀票").fill(str(6 + i % 3))
        page.get_by_label(f"{member.name} 良好票").fill("3")
        page.get_by_label(f"{member.name} 合格票").fill("1")
    shots(page, "21-year-end-appraisal-sheet")
    page.get_by_role("button", name="全部保存").click()
    expect(page.get_by_text(f"已保存 {len(w.members)} 人的民主评议")).to_be_visible()
    page.get_by_role("link", name=re.compile("年度评定")).first.click()
    # nothing was posted to this year's ledger: the page says so, and computing needs the secretary's tick
    page.get_by_role("button", name="评议结束，计算结果").click()
    expect(page.get_by_text("已核对上述台账问题", exact=False)).to_be_visible()
    assert Evaluation.objects.get(pk=evaluation.pk).status == evaluation.status
    page.get_by_label("已核对上述台账问题，仍按现有台账计算").check()
    page.get_by_role("button", name="评议结束，计算结果").click()
    expect(page.get_by_role("heading", name="评定结果")).to_be_visible()
    assert "daily" not in page.locator("main").inner_text()
    page.get_by_role("button", name="确认等次，报上级审批").click()
    page.wait_for_load_state()
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.PROPOSED
    shots(page, "22-year-end-proposed")
    ctx.close()

    # 3. The higher committee finds the task in 我的待办 and approves ------------------------
    ctx = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = _login(ctx, base, w.reviewer)
    inbox = page.locator("#tasks")
    expect(inbox.get_by_role("link", name="上级党组织审批")).to_be_visible()
    inbox.get_by_role("link", name="上级党组织审批").click()
    page.wait_for_url(f"{base}/appraisals/{evaluation.pk}/")
    page.get_by_label("意见").fill("同意支部评定意见。")
    page.get_by_role("button", name="同意，进入公示").click()
    page.wait_for_load_state()
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.PUBLICITY
    ctx.close()

    # 4. Anyone reads the results on the public board; the member reads their own ------------
    ctx = browser.new_context(locale="zh-CN", viewport={"width": 375, "height": 812}, is_mobile=True)
    page = ctx.new_page()
    page.goto(f"{base}/public/")
    page.get_by_role("link", name=w.east.name).click()
    expect(page.get_by_role("heading", name=re.compile("年终评定结果公示"))).to_be_visible()
    body = page.locator("main").inner_text()
    assert all(m.name in body for m in w.members)
    assert "13800000" not in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    shots(page, "23-year-end-public-board-375")
    ctx.close()
    ctx = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = _login(ctx, base, w.member_user)
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="我的年终评定").click()
    expect(page.get_by_text("等次")).to_be_visible()
    shots(page, "24-year-end-my-result")
    ctx.close()

    # 5. A visitor objects to a result on the board; the clerk answers it ------------------------
    ctx = browser.new_context(locale="zh-CN", viewport={"width": 375, "height": 812}, is_mobile=True)
    page = ctx.new_page()
    page.goto(f"{base}/public/{w.east.code}/")
    objected = w.members[1]
    page.locator("tr", has_text=objected.name).get_by_role("link", name=re.compile("提出异议")).click()
    page.get_by_label("您的姓名").fill("钱某")
    page.get_by_label("联系方式").fill("13900000000")
    page.get_by_label("异议理由").fill("测评票数统计有误，请核实。")
    page.get_by_label("验证码").fill("PASSED")  # the same challenge as for a quarterly item (tests/conftest.py)
    shots(page, "25-year-end-objection-form-375")
    page.get_by_role("button", name="提交异议").click()
    expect(page.get_by_role("heading", name="异议已受理")).to_be_visible()
    ctx.close()
    objection = objections.evaluation_objections(evaluation).get()
    assert objection.member == objected and objection.process.flow_class.__name__ == "ObjectionFlow"

    ctx = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = _login(ctx, base, w.clerk)
    page.goto(f"{base}/appraisals/{evaluation.pk}/")
    page.get_by_role("link", name=f"钱某 → {objected.name}").click()
    page.get_by_label("异议不成立").check()
    page.get_by_label("调查核实情况和答复理由").fill("经核对测评票，统计无误。")
    shots(page, "26-year-end-objection-answer")
    page.get_by_role("button", name="提交答复").click()
    page.wait_for_url(f"{base}/appraisals/{evaluation.pk}/")
    expect(page.get_by_text("异议不成立")).to_be_visible()
    ctx.close()

    # 6. The window closes (time passes for the sweep); the answered objection lets the results be final
    timer = Task.objects.get(process__yearendprocess__evaluation=evaluation, flow_task=YearEndFlow.publicity_window,
                             status=STATUS.SCHEDULED)
    world.sweep_after(timer)
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.CONCLUDED and evaluation.published_at is not None
