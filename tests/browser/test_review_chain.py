"""The review chain in a real browser: declare with a photo → branch meeting with bulk approval →
return and filing by the higher level → a visitor objects on a phone → the secretary answers."""
import datetime
import re

import pytest
from playwright.sync_api import expect

from reviews.models import DeclarationStatus, Objection, ReviewRound, RoundStatus
from tests import world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EXTERNAL = re.compile(r"^https?://(?!127\.0\.0\.1|localhost)")


def _login(context, base, user):
    page = context.new_page()
    page.goto(f"{base}/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(world.PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base}/")
    return page


def _no_external_requests(page, seen):
    page.on("request", lambda req: seen.append(req.url) if EXTERNAL.match(req.url) else None)


def test_review_chain_in_browser(live_server, browser, shots, tmp_path):
    base = live_server.url
    w = world.build()
    for m in w.members[1:4]:
        world.declare(w, m, "2")
    rr = world.open_round(w)
    external = []
    photo = tmp_path / "xunluo.png"
    photo.write_bytes(world.png_bytes((30, 120, 200)))
    occurred = rr.period_start + datetime.timedelta(days=10)

    # 1. The member declares with a photo -------------------------------------------------
    ctx = browser.new_context(locale="zh-CN", viewport={"width": 1100, "height": 900})
    page = _login(ctx, base, w.member_user)
    _no_external_requests(page, external)
    page.get_by_role("link", name="申报积分").first.click()
    file_input = page.locator("input[type=file]")
    assert file_input.get_attribute("accept") == "image/*,application/pdf"
    assert file_input.get_attribute("capture") == "environment"
    page.get_by_label("积分项目").fill("发挥作用")
    page.get_by_label("积分细则条目").fill("志愿服务")
    page.get_by_label("申报分值").fill("3")
    page.get_by_label("发生日期").fill(occurred.isoformat())
    page.get_by_label("地点").fill("东街社区")
    page.get_by_label("事由").fill("参加社区防火巡查三次")
    file_input.set_input_files(str(photo))
    shots(page, "01-member-declare-form")
    page.get_by_role("button", name="提交申报").click()
    page.wait_for_url(re.compile(r"/me/declarations/\d+/$"))
    expect(page.get_by_text("申报已提交")).to_be_visible()
    thumb = page.locator(".thumbs img")
    expect(thumb).to_have_count(1)
    expect(thumb).to_be_visible()
    # The thumbnail is loading="lazy": it does not hold up the load event, so it may still be in
    # flight here. Bring it into view, wait until the browser has finished with it (loaded or
    # failed), then check that it decoded to a real image.
    thumb.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete", arg=thumb.element_handle())
    assert thumb.evaluate("img => img.naturalWidth") > 0, "the evidence thumbnail loads"
    shots(page, "02-member-declaration-detail")
    ctx.close()
    rr.refresh_from_db()
    mine = rr.declarations.get(member=w.members[0])
    assert mine.evidence.count() == 1

    # 2. The secretary runs the branch meeting and bulk-approves --------------------------
    ctx = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = _login(ctx, base, w.secretary)
    _no_external_requests(page, external)
    page.goto(f"{base}/workflow/reviewround/queue/")
    expect(page.get_by_text("支部会议审核").first, "the branch meeting task is offered to the secretary").to_be_visible()
    shots(page, "02b-secretary-workflow-queue")
    page.locator("table a", has_text="支部会议审核").first.click()
    page.wait_for_url(f"{base}/rounds/{rr.pk}/meeting/")
    page.goto(f"{base}/")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name=re.compile("待领取")).click()
    shots(page, "02c-secretary-tasks-queue")
    page.get_by_role("link", name="支部会议审核", exact=True).first.click()
    page.wait_for_url(f"{base}/rounds/{rr.pk}/meeting/")
    page.get_by_label("会议类型").select_option("committee")
    quorum = page.locator("#quorum-live")
    # A 支委会 lists the committee on record (three secretaries in this county), never the members;
    # more present than entitled is an error, never "valid".
    expect(page.get_by_label("应到人数")).to_have_value("3")
    expect(page.get_by_label("张红梅", exact=True)).to_be_hidden()
    page.get_by_label("名单外实到人数").fill("4")
    expect(quorum).to_contain_text("✗")
    expect(quorum).to_contain_text("实到人数超过应到人数")
    page.get_by_label("名单外实到人数").fill("0")
    page.get_by_label("会议类型").select_option("branch_meeting")
    expect(page.get_by_label("应到人数")).to_have_value("5")
    page.get_by_label("应到人数").fill("5")
    expect(quorum).to_contain_text("未超过半数")
    for name in ("张红梅", "刘志强"):
        page.get_by_label(name, exact=True).check()
    expect(quorum).to_contain_text("未超过半数")
    page.get_by_label("陈小燕", exact=True).check()
    expect(quorum).to_contain_text("超过半数，会议决定有效")
    page.get_by_label("记录人").fill("唐丽娜")
    page.get_by_label("会议地点").fill("东街社区党群服务中心二楼会议室")
    page.get_by_label("缺席人员及原因").fill("孙丽（外出培训，请假）、周强（病假）")
    shots(page, "03-meeting-attendance")
    page.get_by_role("button", name="记录会议").click()
    page.wait_for_load_state()
    expect(page.get_by_text("会议记录已保存")).to_be_visible()

    # Recorded in the wrong room: corrected before the report, with its reason (trial 5).
    page.locator("#correct-meeting summary").click()
    expect(page.get_by_label("会议地点")).to_have_value("东街社区党群服务中心二楼会议室")
    page.get_by_label("会议地点").fill("东街社区党群服务中心三楼会议室")
    page.get_by_label("更正理由").fill("会议地点记错")
    shots(page, "03b-meeting-correction")
    page.get_by_role("button", name="保存更正").click()
    page.wait_for_load_state()
    expect(page.get_by_text("会议记录已更正")).to_be_visible()
    assert rr.meetings.get().place == "东街社区党群服务中心三楼会议室"

    # A bad adjustment: the error sits beside the field and what was typed is kept.
    target = rr.declarations.get(member=w.members[1])
    row = page.locator(f"#row-{target.pk}")
    row.get_by_label("调整", exact=True).check()
    row.locator(f"#points-{target.pk}").fill("abc")
    page.get_by_role("button", name="保存填写的认定").click()
    page.wait_for_load_state()
    row = page.locator(f"#row-{target.pk}")
    assert "不是有效的分值" in row.locator(f"#err-points-{target.pk}").inner_text()
    assert "须说明理由" in row.locator(f"#err-reason-{target.pk}").inner_text()
    assert row.locator(f"#points-{target.pk}").input_value() == "abc"
    assert row.get_by_label("调整", exact=True).is_checked()
    shots(page, "04-meeting-validation-error")

    page.locator("#select-all").check()
    page.get_by_role("button", name="批量认定所选").click()
    page.wait_for_load_state()
    expect(page.get_by_text("已批量认定 4 项申报")).to_be_visible()
    shots(page, "05-meeting-bulk-approved")
    page.get_by_role("button", name="报上级审查备案").click()
    page.wait_for_url(re.compile(rf"/rounds/{rr.pk}/$"))
    rr.refresh_from_db()
    assert rr.status == RoundStatus.HIGHER_REVIEW
    assert not rr.declarations.filter(status=DeclarationStatus.SUBMITTED).exists()
    page.goto(f"{base}/workflow/reviewround/archive/")
    expect(page.get_by_text("支部会议审核").first, "the completed task is in the archive").to_be_visible()
    shots(page, "06-secretary-workflow-archive")
    sec_ctx = ctx

    # 3. The higher reviewer returns, the branch corrects, the reviewer files --------------
    ctx = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = _login(ctx, base, w.reviewer)
    _no_external_requests(page, external)
    page.goto(f"{base}/rounds/")
    page.get_by_role("link", name="审查备案").first.click()
    page.get_by_label("退回修改").check()
    page.get_by_role("button", name="提交审查结果").click()
    assert "退回修改须写明审查意见" in page.locator(".field-error").inner_text()
    page.get_by_label("审查意见").fill("刘志强的巡查次数与记录不符，请核实后调整。")
    shots(page, "07-reviewer-return")
    page.get_by_role("button", name="提交审查结果").click()
    page.wait_for_url(re.compile(rf"/rounds/{rr.pk}/$"))
    rr.refresh_from_db()
    assert rr.status == RoundStatus.RETURNED and rr.review_pass == 2

    page2 = sec_ctx.new_page()
    page2.goto(f"{base}/rounds/{rr.pk}/meeting/")
    expect(page2.get_by_text("刘志强的巡查次数与记录不符")).to_be_visible()
    page2.get_by_label("会议类型").select_option("branch_meeting")
    page2.get_by_label("应到人数").fill("5")
    for name in ("张红梅", "刘志强", "陈小燕"):
        page2.get_by_label(name, exact=True).check()
    page2.get_by_label("记录人").fill("唐丽娜")
    page2.get_by_label("会议地点").fill("东街社区党群服务中心二楼会议室")
    page2.get_by_label("缺席人员及原因").fill("孙丽（外出培训，请假）、周强（病假）")
    page2.get_by_role("button", name="记录会议").click()
    page2.wait_for_load_state()
    row = page2.locator(f"#row-{target.pk}")
    row.get_by_label("调整", exact=True).check()
    row.locator(f"#points-{target.pk}").fill("1")
    row.locator(f"#reason-{target.pk}").fill("核实为巡查一次")
    page2.get_by_role("button", name="保存填写的认定").click()
    page2.wait_for_load_state()
    expect(page2.get_by_text("已认定 1 项申报")).to_be_visible()
    page2.get_by_role("button", name="报上级审查备案").click()
    page2.wait_for_url(re.compile(rf"/rounds/{rr.pk}/$"))

    page.goto(f"{base}/rounds/{rr.pk}/filing/")
    page.get_by_label("审查通过并备案（开始公示）").check()
    page.get_by_label("审查意见").fill("同意备案。")
    page.get_by_role("button", name="提交审查结果").click()
    page.wait_for_url(re.compile(rf"/rounds/{rr.pk}/$"))
    shots(page, "08-round-filed")
    rr.refresh_from_db()
    assert rr.status == RoundStatus.PUBLICITY
    assert list(rr.filings.values_list("outcome", flat=True)) == ["returned", "filed"]
    page.goto(f"{base}/dashboard/")
    assert page.locator("svg.chart").count() == 4  # totals, branches, rounds by step, documents
    shots(page, "08b-reviewer-dashboard")
    ctx.close()

    # 4. A visitor on a phone reads the public board and objects ---------------------------
    phone = browser.new_context(locale="zh-CN", viewport={"width": 375, "height": 812}, device_scale_factor=2,
                                is_mobile=True, has_touch=True)
    page = phone.new_page()
    _no_external_requests(page, external)
    page.goto(f"{base}/public/{w.east.code}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, "no horizontal scroll at 375 px"
    body = page.locator("main").inner_text()
    end = rr.current_publicity().end_on
    assert f"{end.year}年{end.month}月{end.day}日" in body
    assert "刘志强" in body and "东街社区党支部" in body and "志愿服务" in body
    for secret in [m.phone for m in w.members] + ["13800000001"]:
        assert secret not in page.content()
    shots(page, "09-public-board-375")
    page.locator("tr", has_text="刘志强").get_by_role("link", name=re.compile("提出异议")).click()
    page.get_by_role("button", name="提交异议").click()
    assert page.locator(".field-error").count() == 4, "each empty field (and the challenge) is marked beside it"
    page.get_by_label("您的姓名").fill("王五")
    page.get_by_label("联系方式").fill("13900001111")
    page.get_by_label("异议理由").fill("当天我也在场，他只巡查了一次。")
    page.get_by_label("验证码").fill("PASSED")  # the test mode's answer (tests/conftest.py)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    shots(page, "10-public-objection-form-375")
    page.get_by_role("button", name="提交异议").click()
    page.wait_for_url(re.compile(r"/objection/done/\d+/$"))
    expect(page.get_by_text("您的异议已受理")).to_be_visible()
    shots(page, "11-public-objection-receipt-375")
    page.goto(f"{base}/public/{w.east.code}/")
    page.get_by_label("语言").select_option("en")
    page.get_by_role("button", name="切换").click()
    expect(page.locator("h1")).to_contain_text("public board")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    shots(page, "11b-public-board-english-375")
    phone.close()
    objection = Objection.objects.get()
    assert objection.declaration_id == target.pk and objection.answered_on is None

    # 5. The secretary answers the objection ----------------------------------------------
    page = sec_ctx.new_page()
    page.goto(f"{base}/")
    shots(page, "12a-secretary-home")
    page.get_by_role("region", name="待答复的异议").get_by_role("link", name=re.compile("刘志强")).first.click()
    page.get_by_label("异议不成立").check()
    page.get_by_label("调查核实情况和答复理由").fill("经查会议记录和巡查签到表，刘志强巡查一次，已按一次认定。")
    shots(page, "12-secretary-answer-objection")
    page.get_by_role("button", name="提交答复").click()
    page.wait_for_url(re.compile(rf"/rounds/{rr.pk}/$"))
    expect(page.get_by_text("异议已答复")).to_be_visible()
    shots(page, "13-round-after-answer")
    sec_ctx.close()
    objection.refresh_from_db()
    assert objection.outcome == "dismissed" and objection.answered_by_id == w.secretary.pk
    # 6. Downloads with a bulk job, and the member's pages in English ---------------------
    ctx = browser.new_context(locale="zh-CN", viewport={"width": 1100, "height": 900})
    page = _login(ctx, base, w.secretary)
    _no_external_requests(page, external)
    page.goto(f"{base}/downloads/")
    page.get_by_role("button", name="开始生成").click()
    page.wait_for_url(re.compile(r"/downloads/jobs/\d+/$"))
    assert page.locator("progress#job-bar").count() == 1
    page.wait_for_function("document.getElementById('job-bar').value >= document.getElementById('job-bar').max")
    shots(page, "14-bulk-job-progress")
    ctx.close()
    ctx = browser.new_context(locale="zh-CN", viewport={"width": 1100, "height": 900})
    page = _login(ctx, base, w.member_user)
    _no_external_requests(page, external)
    page.goto(f"{base}/me/declarations/")
    page.get_by_label("语言").select_option("en")
    page.get_by_role("button", name="切换").click()
    expect(page.locator("nav.main")).to_contain_text("My declarations")
    nav = page.locator("nav.main").inner_text()
    assert "My declarations" in nav and not re.search(r"[\u3400-\u9fff]", nav), nav
    shots(page, "15-member-declarations-english")
    ctx.close()

    assert not external, f"requests to external hosts: {external}"
    assert ReviewRound.objects.get(pk=rr.pk).status == RoundStatus.PUBLICITY
    # this run's screenshots, each written now (the fixture removed any older file of that name)
    assert [path.name for path in shots.taken if path.stat().st_size > 0] == [f"{name}.png" for name in (
        "01-member-declare-form", "02-member-declaration-detail", "02b-secretary-workflow-queue",
        "02c-secretary-tasks-queue", "03-meeting-attendance", "03b-meeting-correction", "04-meeting-validation-error", "05-meeting-bulk-approved",
        "06-secretary-workflow-archive", "07-reviewer-return", "08-round-filed", "08b-reviewer-dashboard",
        "09-public-board-375", "10-public-objection-form-375", "11-public-objection-receipt-375",
        "11b-public-board-english-375", "12a-secretary-home", "12-secretary-answer-objection", "13-round-after-answer",
        "14-bulk-job-progress", "15-member-declarations-english")]
