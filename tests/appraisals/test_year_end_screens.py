"""Year end on screen: opening from the list, the appraisal sheet (typed or .xlsx, all or nothing),
tied quota places awarded with a reason, the member's own result, the results on the public board."""
import datetime
import io

import pytest
from openpyxl import Workbook

from appraisals.models import AppraisalInput, Evaluation, EvaluationStatus, MemberResult, QuotaAward
from appraisals.services import compute, evaluations, objections
from reviews.audit import AuditAction
from reviews.models import AuditEntry, local_today

from .conftest import add_members, make_scheme, post, votes

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(county):
    """A 7-3 scheme over this year for the town; 东街 has seven members (one 优秀 place at 15%)."""
    make_scheme(county.town, "county-7-3", year=local_today().year)
    first, *_rest = add_members(county.east, "张红梅", "刘志强", "陈小燕", "赵卫东", "孙丽", "钱进", "吴芳")
    first.user = county.member_user
    first.save()
    return local_today().year


def _open(client, county):
    response = client.post("/appraisals/open/", {"organisation": county.east.pk, "publicity_days": 7})
    evaluation = Evaluation.objects.get(organisation=county.east)
    assert response.status_code == 302 and response.url == f"/appraisals/{evaluation.pk}/appraisal/"
    return evaluation


def test_open_then_enter_the_sheet_all_or_nothing(county, year, login):
    client = login(county.secretary)
    assert "发起年终评定" in client.get("/appraisals/").content.decode()
    evaluation = _open(client, county)
    members = evaluations.evaluated_members(evaluation)[0]
    assert AuditEntry.objects.filter(action=AuditAction.EVALUATION_OPENED).exists()
    data = {f"v0-{members[0].pk}": "8", f"v1-{members[0].pk}": "2", f"score-{members[1].pk}": "abc"}
    response = login(county.clerk).post(f"/appraisals/{evaluation.pk}/appraisal/", data)
    assert response.status_code == 200 and "全部未保存" in response.content.decode()
    assert not AppraisalInput.objects.exists()  # the good row was not kept either
    data[f"score-{members[1].pk}"] = "88"
    response = login(county.clerk).post(f"/appraisals/{evaluation.pk}/appraisal/", data)
    assert response.status_code == 302
    assert AppraisalInput.objects.get(member=members[1]).score == 88
    assert AppraisalInput.objects.get(member=members[0]).votes_excellent == 8


def _sheet(rows):
    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "优秀", "良好", "合格", "差"])
    for row in rows:
        sheet.append(row)
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    data.name = "评议.xlsx"
    return data


def test_import_the_sheet_with_a_row_report(county, year, login):
    client = login(county.secretary)
    evaluation = _open(client, county)
    url = f"/appraisals/{evaluation.pk}/appraisal/import/"
    response = client.post(url, {"file": _sheet([["张红梅", 8, 2, 0, 0], ["无此人", 1, 0, 0, 0]])})
    page = response.content.decode()
    assert "第3行" in page and "不是本次评定的成员" in page
    assert not AppraisalInput.objects.exists()
    response = client.post(url, {"file": _sheet([["张红梅", 8, 2, 0, 0], ["刘志强", 5, 5, 0, 0]])})
    assert response.status_code == 302
    assert AppraisalInput.objects.count() == 2


def test_a_tie_at_the_quota_edge_is_awarded_with_a_reason(county, year, login):
    client = login(county.secretary)
    evaluation = _open(client, county)
    members = evaluations.evaluated_members(evaluation)[0]
    for m in members:
        post(county.east, m, "daily", 100, datetime.date(year, 3, 1))
        evaluations.record_appraisal(evaluation, m, county.clerk, votes=votes(10))
    compute.compute_results(evaluation, county.clerk)
    evaluation.refresh_from_db()
    tie = next(c for c in evaluation.checks if c["type"] == "quota_tie")
    page = client.get(f"/appraisals/{evaluation.pk}/").content.decode()
    assert "名额并列" in page and "决定并列名额" in page and "quota" not in page
    chosen = members[3]
    response = client.post(f"/appraisals/{evaluation.pk}/", {"action": "award_tie", "target": tie["target"],
                                                           "members": [str(chosen.pk)], "reason": ""})
    assert "请写明决定的理由" in response.content.decode()
    client.post(f"/appraisals/{evaluation.pk}/", {"action": "award_tie", "target": tie["target"],
                                                "members": [str(chosen.pk)], "reason": "支委会讨论：全年出勤最多"})
    assert MemberResult.objects.get(evaluation=evaluation, member=chosen).grade == "优秀"
    assert QuotaAward.objects.get().reason == "支委会讨论：全年出勤最多"
    assert AuditEntry.objects.filter(action=AuditAction.QUOTA_PLACE_AWARDED).exists()
    compute.compute_results(evaluation, county.clerk)  # the same tie: the award stands
    assert MemberResult.objects.get(evaluation=evaluation, member=chosen).grade == "优秀"
    assert MemberResult.objects.filter(evaluation=evaluation, grade="优秀").count() == 1
    assert compute.verify_results(evaluation) == []


def test_members_see_their_result_and_the_board_shows_it(county, year, login, client):
    evaluation = _open(login(county.secretary), county)
    for m in evaluations.evaluated_members(evaluation)[0]:
        evaluations.record_appraisal(evaluation, m, county.clerk, votes=votes(2, 4, 4))
    evaluations.finish_appraisal(evaluation, county.clerk, confirm=True)  # an empty ledger, confirmed
    evaluations.propose_results(evaluation, county.secretary)
    evaluations.approve_results(evaluation, county.reviewer)
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.PUBLICITY
    mine = login(county.member_user).get("/appraisals/mine/").content.decode()
    assert "总分" in mine and "日常" in mine and "daily" not in mine
    client.logout()
    board = client.get(f"/public/{county.east.code}/").content.decode()
    assert "年终评定结果公示" in board and "张红梅" in board
    assert "13800000000" not in board  # no phone numbers


def test_my_result_page_links_to_an_objection_while_the_publicity_is_open(county, year, login):
    """Trial 5: 我的年终评定 had no direct way to 提出异议 during the result publicity."""
    evaluation = _open(login(county.secretary), county)
    for m in evaluations.evaluated_members(evaluation)[0]:
        evaluations.record_appraisal(evaluation, m, county.clerk, votes=votes(2, 4, 4))
    evaluations.finish_appraisal(evaluation, county.clerk, confirm=True)
    evaluations.propose_results(evaluation, county.secretary)
    evaluations.approve_results(evaluation, county.reviewer)
    evaluation.refresh_from_db()
    member = county.member_user.member
    client = login(county.member_user)
    link = f"/public/{county.east.code}/year-end/{evaluation.pk}/objection/{member.pk}/"
    mine = client.get("/appraisals/mine/").content.decode()
    assert f'href="{link}"' in mine and "对评定结果提出异议" in mine
    response = client.post(link, {"objector_name": member.name, "objector_contact": "13800000000",
                                  "reason": "本人全年志愿服务加分未计入。"})
    assert response.status_code == 302
    assert objections.evaluation_objections(evaluation).get().member == member
    Evaluation.objects.filter(pk=evaluation.pk).update(status=EvaluationStatus.PUBLISHED)  # the window closed
    assert link not in client.get("/appraisals/mine/").content.decode()
