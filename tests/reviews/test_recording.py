"""专人记分 and 网格员记分: one event with evidence and its reporter, or a sheet of events, all or nothing."""
import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from reviews.models import Declaration, ReporterKind
from reviews.services import batch
from tests.market.conftest import village_world
from tests.world import D, png_bytes
from workdays.clock import local_today


def _sheet(rows, header=("姓名", "积分项目", "细则条目", "分值", "数量", "发生日期", "地点", "事由"), title=None):
    book = openpyxl.Workbook()
    sheet = book.active
    if title:
        sheet.append([title])
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("events.xlsx", out.getvalue())


@pytest.fixture
def village(db):
    return village_world()


def test_clerk_records_an_event_with_evidence_and_reporter(county, login):
    client = login(county.clerk)
    page = client.get("/record/")
    assert page.status_code == 200
    assert set(page.context["form"].fields["member"].queryset) == set(county.members)  # not 西街's 周明
    today = local_today().isoformat()
    refused = client.post("/record/", {
        "member": county.members[1].pk, "reporter_kind": "mass", "component": "发挥作用", "rule_item": "帮扶困难群众",
        "points": "3", "quantity": "1", "occurred_on": today, "description": "帮助孤寡老人修缮房屋"})
    assert refused.status_code == 400 and "reporter_name" in refused.context["form"].errors
    assert not Declaration.objects.exists()
    done = client.post("/record/", {
        "member": county.members[1].pk, "reporter_kind": "mass", "reporter_name": "钱大爷", "reporter_contact": "139",
        "component": "发挥作用", "rule_item": "帮扶困难群众", "points": "3", "quantity": "1", "occurred_on": today,
        "description": "帮助孤寡老人修缮房屋", "evidence": SimpleUploadedFile("a.png", png_bytes(), content_type="image/png")})
    assert done.status_code == 302
    d = Declaration.objects.get()
    assert (d.member, d.declared_by, d.reporter_kind, d.reporter_name, d.points) == (
        county.members[1], county.clerk, ReporterKind.MASS, "钱大爷", D("3.00"))
    assert d.evidence.count() == 1
    assert login(county.members[0].user).get("/record/").status_code == 403  # a plain member


def test_grid_worker_batch_is_all_or_nothing_with_a_row_report(village, login):
    client = login(village.grid_workers[1])
    today, tomorrow = local_today(), local_today() + datetime.timedelta(days=1)
    good = [("王德顺", "家庭美德", "家庭内外环境整洁（当月）", "", 1, today, "", "门前屋后打扫干净"),
            ("李桂英", "family", "tidy_home", "", "", today.isoformat(), "", "院落整洁")]
    bad = good + [("刘玉兰", "家庭美德", "tidy_home", "", 1, today, "", "不是本网格"),  # row 5: the other grid
                  ("张建华", "家庭美德", "tidy_home", "", 1, tomorrow, "", "日期在明天"),  # row 6
                  ("张建华", "家庭美德", "没有这一条", "", 1, today, "", "条目不存在")]  # row 7
    component_label = next(c.label for c in village.scheme.current_version().engine_scheme().components
                           if c.name == "family")
    bad = [(r[0], component_label if r[1] == "家庭美德" else r[1], *r[2:]) for r in bad]
    good = bad[:2]
    refused = client.post("/market/record/batch/", {"file": _sheet(bad, title="青石村第一网格 三月记分")})
    assert refused.status_code == 400
    report = refused.context["report"]
    assert [(p["row"], p["column"]) for p in report] == [(5, "姓名"), (6, "发生日期"), (7, "细则条目")]
    assert [e.code for e in refused.context["form"].errors.as_data()["file"]] == ["batch_rows_refused"]
    assert not Declaration.objects.exists()  # nothing written, not even the good rows
    done = client.post("/market/record/batch/", {"file": _sheet(good)})
    assert done.status_code == 200 and len(done.context["made"]) == 2
    rows = Declaration.objects.order_by("pk")
    assert [(d.member.name, d.reporter_kind, d.rule_item, d.points) for d in rows] == [
        ("王德顺", ReporterKind.GRID_WORKER, "tidy_home", D("5.00")),
        ("李桂英", ReporterKind.GRID_WORKER, "tidy_home", D("5.00"))]
    # The same item twice in one month is refused by the scheme's count, naming the row.
    again = client.post("/market/record/batch/", {"file": _sheet(good[:1])})
    assert again.status_code == 400 and again.context["report"][0]["column"] == "数量"


def test_clerk_batch_and_template(county, login):
    client = login(county.clerk)
    template = client.get("/record/template.xlsx")
    header = next(openpyxl.load_workbook(io.BytesIO(template.content)).active.iter_rows(values_only=True))
    assert list(header) == [h for h, _field in batch.COLUMNS]
    today = local_today().isoformat()
    not_xlsx = client.post("/record/batch/", {"file": SimpleUploadedFile("a.xlsx", b"name,x\n")})
    assert not_xlsx.status_code == 400 and "xlsx" in not_xlsx.context["report"][0]["message"]
    assert [e.code for e in not_xlsx.context["form"].errors.as_data()["file"]] == ["batch_unreadable"]
    done = client.post("/record/batch/", {"file": _sheet([
        ("刘志强", "发挥作用", "带头参加志愿服务", "2", 1, today, "社区", "参加社区义诊志愿服务"),
        ("陈小燕", "组织生活", "参加主题党日", "1", 2, today, "", "参加两次主题党日")])})
    assert done.status_code == 200
    assert sorted(Declaration.objects.values_list("member__name", "points", "reporter_kind")) == [
        ("刘志强", D("2.00"), "clerk"), ("陈小燕", D("1.00"), "clerk")]


def test_navigation_reaches_the_recording_pages(county, village, login):
    nav = login(county.clerk).get("/").content.decode()
    assert 'href="/record/"' in nav
    grid_nav = login(village.grid_workers[1]).get("/").content.decode()
    assert 'href="/market/record/"' in grid_nav and 'href="/record/"' not in grid_nav
    member_nav = login(county.member_user).get("/").content.decode()
    assert "/record/" not in member_nav
