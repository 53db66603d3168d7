"""Each kind's build_context reads the records the document reports on, and the facts are true of them.

Records are made directly (a branch of 13 party members, a round, its meeting, filing,
publicities and objections), the context is built, and the values are compared with the
database, and for the facts that were once wrong (issue 11) with the rendered text. The
year-end kinds are in ``test_contexts_year_end.py``.
"""
import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from documents.kinds import (
    KINDS,
    correction_notice,
    explanation,
    filing_report,
    household_card,
    meeting_record,
    objection_answer,
    objection_receipt,
    publicity_notice,
    registration_card,
    summary_table,
)
from documents.kinds import terms
from documents.rendering import render_document_bytes
from ledger import services as ledger
from members.models import Member, MemberKind
from organisations.models import Organisation, OrganisationKind, Role, RoleKind
from reviews.models import (
    BranchMeeting,
    Declaration,
    DeclarationStatus,
    FilingDecision,
    Objection,
    ObjectionOutcome,
    Publicity,
    PublicityKind,
    ReporterKind,
    ReviewRound,
)
from reviews.services.points import effective_points_before, signed_points

from .docx_helpers import load

Q1 = datetime.date(2025, 1, 1)
NAMES = ["张红梅", "刘志强", "陈小燕", "赵卫东", "孙丽", "王建华", "李秀兰", "周强", "吴芳", "郑凯", "冯雪", "何静", "林浩然"]


def _user(username, full_name, *roles):
    user = get_user_model().objects.create_user(username=username, password="pw-" + username, first_name=full_name)
    for kind, org in roles:
        Role.objects.create(user=user, organisation=org, kind=kind)
    return user


def _text(kind, context):
    """The rendered document's body text and table cells, one string."""
    ctx = {"org_name": "测试支部", "issue_date": "2025-04-03", **context}
    if KINDS[kind].numbered:
        ctx["doc_number"] = "测支〔2025〕1号"
    doc = load(render_document_bytes(kind, ctx))
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells).replace("\u200b", "")


@pytest.fixture
def branch(db):
    """镇党委 → 东街支部 (12 party members) → 第一党小组 (1 probationary): 13 party members on the roll.

    Also on the books but not party members on the roll: an activist, a household, and a
    member transferred out (inactive). The secretary's login 李建国 is linked to the member
    record of 赵卫东, whose phone is the branch's contact number.
    """
    town = Organisation.objects.create(name="中共城关镇委员会", kind=OrganisationKind.COMMITTEE, code="c-town")
    east = Organisation.objects.create(name="东街社区党支部", kind=OrganisationKind.BRANCH, parent=town, code="c-east")
    group = Organisation.objects.create(name="东街第一党小组", kind=OrganisationKind.GROUP, parent=east, code="c-g1")
    members = [Member.objects.create(organisation=east, name=n) for n in NAMES[:12]]
    members.append(Member.objects.create(organisation=group, name=NAMES[12], kind=MemberKind.PROBATIONARY))
    Member.objects.create(organisation=east, name="积极分子甲", kind=MemberKind.ACTIVIST)
    Member.objects.create(organisation=east, name="农户乙", kind=MemberKind.HOUSEHOLD)
    Member.objects.create(organisation=east, name="已转出丙", is_active=False)
    secretary = _user("li", "李建国", (RoleKind.SECRETARY, east))
    members[3].user, members[3].phone = secretary, "13800000004"
    members[3].save()
    reviewer = _user("zhou", "周审查", (RoleKind.REVIEWER, town))
    clerk = _user("wang", "王芳", (RoleKind.CLERK, east))
    rr = ReviewRound.objects.create(organisation=east, period_start=Q1, period_end=datetime.date(2025, 3, 31),
                                    cycle_start=Q1, opened_by=secretary)
    return type("Branch", (), dict(town=town, east=east, group=group, members=members, secretary=secretary,
                                   reviewer=reviewer, clerk=clerk, rr=rr))


def _declare(b, member, points, status, decided=None, component="bonus", day=10, reason=""):
    return Declaration.objects.create(
        organisation=b.east, member=member, reporter_kind=ReporterKind.CLERK, component=component,
        rule_item="B-01", rule_item_label="志愿服务", points=Decimal(points), occurred_on=Q1 + datetime.timedelta(days=day),
        description=f"{member.name}的申报{day}", status=status, review_round=b.rr,
        decided_points=None if decided is None else Decimal(decided), decision_reason=reason,
    )


def _filing(b):
    return FilingDecision.objects.create(review_round=b.rr, review_pass=1, reviewer=b.reviewer,
                                         reviewer_organisation=b.town, outcome="filed", comments="同意备案。")


# -- review chain ----------------------------------------------------------------------------


def _meeting(b, **extra):
    values = dict(review_round=b.rr, kind="committee", held_on=datetime.date(2025, 4, 2), entitled_count=5,
                  attendee_count=4, attendee_names="李建国、王芳、赵卫东、孙丽", minute_taker="王芳",
                  place="社区党群服务中心二楼会议室", absentee_names="何静（外出培训，请假）")
    values.update(extra)
    return BranchMeeting.objects.create(**values)


def test_filing_report_counts_the_branch_members_and_reports_the_meeting_held(branch):
    _declare(branch, branch.members[0], "2", DeclarationStatus.APPROVED, "2")
    meeting = _meeting(branch, kind="branch_meeting", entitled_count=13, attendee_count=11)
    ctx = filing_report.build_context(_filing(branch))
    assert ctx["member_count"] == 13  # 12 in the branch + 1 probationary in its group; not 1
    assert ctx["declaration_count"] == 1 and ctx["approved_count"] == 1
    assert ctx["adjusted_count"] == ctx["rejected_count"] == 0
    assert ctx["higher_org_name"] == "中共城关镇委员会" and ctx["period"] == "2025年第一季度"
    assert (ctx["meeting_date"], ctx["meeting_kind"]) == (meeting.held_on.isoformat(), meeting.get_kind_display())
    assert (ctx["meeting_entitled"], ctx["meeting_present"]) == (13, 11)
    assert (ctx["signer"], ctx["contact"]) == ("李建国", "联系人：李建国，联系电话：13800000004")
    text = _text("filing_report", ctx)
    assert "我支部于2025年4月2日召开支部党员大会（应到13人，实到11人）" in text
    assert "支部现有党员13名，2025年第一季度共审核积分申报1项。" in text
    assert "（联系人：李建国，联系电话：13800000004）" in text
    assert "季度末召开支部委员会" not in text


def test_filing_report_contact_without_a_phone_leaves_the_phone_out(branch):
    branch.members[3].phone = ""
    branch.members[3].save()
    _declare(branch, branch.members[0], "2", DeclarationStatus.APPROVED, "2")
    _meeting(branch)
    ctx = filing_report.build_context(_filing(branch))
    assert ctx["contact"] == "联系人：李建国"
    assert "（联系人：李建国）" in _text("filing_report", ctx)


def test_filing_report_counts_declarations_by_decision(branch):
    m = branch.members
    _declare(branch, m[0], "2", DeclarationStatus.APPROVED, "2")
    _declare(branch, m[0], "3", DeclarationStatus.ADJUSTED, "1", day=11)
    _declare(branch, m[1], "2", DeclarationStatus.REJECTED, "0", day=12)
    _declare(branch, m[2], "2", DeclarationStatus.WITHDRAWN, day=13)
    _declare(branch, m[3], "2", DeclarationStatus.SUBMITTED, day=14)
    _meeting(branch)
    ctx = filing_report.build_context(_filing(branch))
    db = {s: Declaration.objects.filter(review_round=branch.rr, status=s).count()
          for s in (DeclarationStatus.APPROVED, DeclarationStatus.ADJUSTED, DeclarationStatus.REJECTED)}
    assert (ctx["approved_count"], ctx["adjusted_count"], ctx["rejected_count"]) == (1, 1, 1) == tuple(db.values())
    assert ctx["declaration_count"] == 3 and ctx["member_count"] == 13


def test_meeting_record_reports_the_meeting_as_recorded(branch):
    m = branch.members
    _declare(branch, m[1], "5", DeclarationStatus.ADJUSTED, "3", reason="区级奖项按细则加3分")
    _declare(branch, m[0], "2", DeclarationStatus.APPROVED, "2", day=5)
    _declare(branch, m[4], "2", DeclarationStatus.APPROVED, "2", day=6, component="deduction")
    _declare(branch, m[5], "1", DeclarationStatus.REJECTED, day=7, reason="无佐证")
    _declare(branch, m[2], "2", DeclarationStatus.SUBMITTED, day=8)
    meeting = _meeting(branch, guide_signatory="周明（党建指导员）", observers="村民代表2名", chair="赵卫东")
    ctx = meeting_record.build_context(meeting, signed_points=signed_points)
    assert [(i["name"], i["declared"], i["approved"], i["decision"]) for i in ctx["items"]] == [
        ("张红梅", "+2", "+2", "认定"), ("孙丽", "-2", "-2", "认定"), ("王建华", "+1", "—", "不予认定"),
        ("刘志强", "+5", "+3", "调整认定")]  # as they occurred
    assert ctx["items"][3]["reason"] == "区级奖项按细则加3分"
    assert ctx["items"][0]["matter"].startswith("志愿服务：")
    assert (ctx["chair"], ctx["recorder"], ctx["meeting_date"]) == ("赵卫东", "王芳", "2025-04-02")
    assert (ctx["location"], ctx["absentees"]) == (meeting.place, meeting.absentee_names)
    assert ctx["meeting_kind"] == "支委会" and "应到5人，实到4人" in ctx["conclusion"]
    text = _text("meeting_record", ctx)
    assert "会议地点：社区党群服务中心二楼会议室" in text and "缺席人员：何静（外出培训，请假）" in text
    assert "列席人员：周明（党建指导员）、村民代表2名" in text and "主持人：赵卫东" in text
    assert "指导员签字：" in text
    # without a chair recorded, the branch secretary; without absentees' names, how many
    meeting.chair, meeting.absentee_names, meeting.guide_signatory = "", "", ""
    ctx = meeting_record.build_context(meeting, signed_points=signed_points)
    assert (ctx["chair"], ctx["absentees"]) == ("李建国", "1人（姓名未记录）")
    assert "指导员签字" not in ctx["signers"]


def test_the_minutes_name_the_chair_among_those_present(branch):
    """Whoever chaired attended: a chair on record whom the names leave out is put first among
    出席人员; one already named is not repeated; a chair not on record is not added."""
    meeting = _meeting(branch, chair="周强")
    ctx = meeting_record.build_context(meeting, signed_points=signed_points)
    assert (ctx["chair"], ctx["attendees"]) == ("周强", "周强、李建国、王芳、赵卫东、孙丽")
    assert "出席人员：周强、李建国、王芳、赵卫东、孙丽" in _text("meeting_record", ctx)
    meeting.chair = "赵卫东"
    assert meeting_record.build_context(meeting, signed_points=signed_points)["attendees"] == meeting.attendee_names
    meeting.chair = ""  # the minutes name the secretary as chair, but the record does not say they attended
    ctx = meeting_record.build_context(meeting, signed_points=signed_points)
    assert ctx["chair"] == "李建国" and ctx["attendees"] == meeting.attendee_names


def test_summary_table_has_one_row_per_member_and_unsigned_deductions(branch):
    m = branch.members
    for day in (1, 2, 3):
        _declare(branch, m[0], "2", DeclarationStatus.APPROVED, "2", day=day)
    _declare(branch, m[0], "5", DeclarationStatus.APPROVED, "5", component="deduction", day=4)
    _declare(branch, m[1], "3", DeclarationStatus.ADJUSTED, "1", day=5)
    _declare(branch, m[1], "3", DeclarationStatus.REJECTED, day=6)
    _declare(branch, m[2], "2", DeclarationStatus.WITHDRAWN, day=7)
    ctx = summary_table.build_context(branch.rr, signed_points=signed_points)
    assert ctx["rows"] == [
        {"name": "张红梅", "counted": 4, "bonus": "6", "deduction": "5", "total": "+1", "note": ""},
        {"name": "刘志强", "counted": 1, "bonus": "1", "deduction": "0", "total": "+1", "note": "不予认定1项"},
    ]
    assert ctx["member_count"] == 2 and ctx["period"] == "2025年第一季度"
    text = _text("summary_table", ctx)
    assert "合计人数：2人。" in text and "+5" not in text


def test_publicity_notice_lists_items_with_signs_and_refused_items(branch, settings):
    settings.PUBLIC_BASE_URL = "https://jifen.example.cn/"
    m = branch.members
    a1 = _declare(branch, m[0], "2", DeclarationStatus.APPROVED, "2", day=1)
    a2 = _declare(branch, m[0], "3", DeclarationStatus.APPROVED, "3", day=2, component="deduction")
    b1 = _declare(branch, m[1], "2", DeclarationStatus.REJECTED, day=3)
    _filing(branch)
    results = Publicity.objects.create(review_round=branch.rr, start_on=datetime.date(2025, 4, 10),
                                       end_on=datetime.date(2025, 4, 16))
    results.declarations.set([a1, a2, b1])
    ctx = publicity_notice.build_context(results, signed_points=signed_points)
    assert ctx["rows"] == [{"name": "张红梅", "detail": "志愿服务+2；志愿服务-3", "total": "-1"},
                           {"name": "刘志强", "detail": "志愿服务（不予认定）", "total": "不予认定"}]
    assert ctx["board_url"] == "https://jifen.example.cn" + reverse("public_board", args=["c-east"])
    assert (ctx["window_start"], ctx["window_end"]) == ("2025-04-10", "2025-04-16")
    assert ctx["contact"] == "联系人：李建国，联系电话：13800000004"
    assert ctx["higher_org_name"] == "中共城关镇委员会"
    assert publicity_notice.kind_for(results) == "publicity_notice"
    text = _text("publicity_notice", ctx)
    assert "关于2025年第一季度党员积分情况的公示" in text.replace("\u200b", "")
    assert "不予认定" in text


def test_correction_notice_states_the_correction_against_the_original(branch):
    m = branch.members
    a1 = _declare(branch, m[0], "2", DeclarationStatus.APPROVED, "2", day=1)
    a2 = _declare(branch, m[0], "3", DeclarationStatus.APPROVED, "3", day=2)
    _filing(branch)
    results = Publicity.objects.create(review_round=branch.rr, start_on=datetime.date(2025, 4, 10),
                                       end_on=datetime.date(2025, 4, 16))
    results.declarations.set([a1, a2])
    objection = Objection.objects.create(
        declaration=a1, publicity=results, objector_name="赵大伟", objector_contact="138", reason="未参加",
        received_on=datetime.date(2025, 4, 12), due_on=datetime.date(2025, 4, 22), answered_on=datetime.date(2025, 4, 15),
        outcome=ObjectionOutcome.UPHELD, answer_reason="查无签到", corrected_points=Decimal("0.5"))
    corrections = Publicity.objects.create(review_round=branch.rr, kind=PublicityKind.CORRECTIONS,
                                           start_on=datetime.date(2025, 4, 20), end_on=datetime.date(2025, 4, 26))
    corrections.declarations.set([a1])
    objection.republished_in = corrections
    objection.save()
    assert publicity_notice.kind_for(corrections) == "correction_notice"
    ctx = correction_notice.build_context(corrections, signed_points=signed_points,
                                          previous_points=effective_points_before)
    # the item's value as first published (+2), as corrected (+0.5), and the quarter total with it (0.5 + 3)
    assert ctx["rows"] == [{"name": "张红梅", "item": "志愿服务", "original": "+2", "corrected": "+0.5", "total": "+3.5"}]
    assert (ctx["original_start"], ctx["original_end"]) == ("2025-04-10", "2025-04-16")
    assert (ctx["window_start"], ctx["window_end"]) == ("2025-04-20", "2025-04-26")
    text = _text("correction_notice", ctx).replace("\u200b", "")
    assert "更正情况的公示" in text and "2025年4月10日至2025年4月16日公示" in text


@pytest.fixture
def objection(branch):
    d = _declare(branch, branch.members[1], "2", DeclarationStatus.APPROVED, "2")
    publicity = Publicity.objects.create(review_round=branch.rr, start_on=datetime.date(2025, 4, 10),
                                         end_on=datetime.date(2025, 4, 16))
    publicity.declarations.set([d])
    return Objection.objects.create(declaration=d, publicity=publicity, objector_name="赵大伟", objector_contact="138",
                                    reason="3月份未参加志愿服务", received_on=datetime.date(2025, 4, 12),
                                    due_on=datetime.date(2025, 4, 22))


def test_objection_receipt_names_the_disputed_score(objection):
    ctx = objection_receipt.build_context(objection, signed_points=signed_points)
    assert ctx == {
        "objector_name": "赵大伟", "received_date": "2025-04-12", "subject_name": "刘志强",
        "disputed": "2025年第一季度公示的刘志强同志“志愿服务”一项（2025年1月11日），公示分值+2分",
        "reason": "3月份未参加志愿服务", "handler": "李建国",  # lodged on the board: no receiver, the secretary handles it
        "answer_due_date": "2025-04-22", "receipt_no": f"YY-2025-{objection.pk:03d}", "due_note": "",
        "terms": terms.PARTY,  # a party branch's round: 支部, 同志
        "issue_date": "2025-04-12",  # dated the day it was lodged
    }
    objection.received_by = get_user_model().objects.get(username="wang")
    assert objection_receipt.build_context(objection, signed_points=signed_points)["handler"] == "王芳"
    doc = load(render_document_bytes("objection_receipt", {"org_name": "测试支部", "issue_date": "2025-04-12", **ctx}))
    (table,) = doc.tables
    rows = [[c.text for c in r.cells] for r in table.rows]
    assert all(label and value for label, value in rows), rows  # no stray empty rows
    assert [label for label, _value in rows] == ["回执编号", "异议人", "受理日期", "异议事项", "异议理由", "受理人", "答复期限"]
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "您反映的情况已收悉" in text and "你" not in text
    # Received on 2026-12-24: the answer date falls in 2027, whose schedule is not published yet.
    objection.received_on, objection.due_on = datetime.date(2026, 12, 24), datetime.date(2027, 1, 5)
    assert objection_receipt.build_context(objection, signed_points=signed_points)["due_note"] == "（暂按法定节假日推算）"


def test_objection_answer_and_explanation_report_the_correction(branch, objection):
    town_filing = _filing(branch)
    # the branch's parent is not who files: a general branch sits between, the town filed the round
    general = Organisation.objects.create(name="机关党总支", kind=OrganisationKind.GENERAL_BRANCH, parent=branch.town,
                                          code="c-general")
    branch.east.parent = general
    branch.east.save()
    objection.outcome, objection.corrected_points = ObjectionOutcome.UPHELD, Decimal("0.5")
    objection.answer_reason, objection.answered_on = "签到记录显示未参加", datetime.date(2025, 4, 18)
    objection.answered_by = branch.clerk
    objection.save()
    previous = effective_points_before(objection)
    answer = objection_answer.build_context(objection, previous_points=previous, signed_points=signed_points)
    assert answer["findings"] == "签到记录显示未参加"
    assert answer["result"] == ("异议成立。刘志强同志“志愿服务”一项积分由+2分更正为+0.5分，"
                                "更正记录将载入积分台账，更正结果另行公示。")
    account = explanation.build_context(objection, previous_points=previous, signed_points=signed_points)
    assert account["higher_org_name"] == town_filing.reviewer_organisation.name == "中共城关镇委员会"
    assert account["signer"] == "李建国" and account["period"] == "2025年第一季度"
    assert account["outcome"] == answer["result"]
    assert "2025年4月18日" in account["handling"] and "2025年4月22日" in account["handling"]
    assert "2025年4月10日至2025年4月16日公示期间" in account["background"]
    text = _text("explanation", account)
    assert "关于2025年第一季度\n积分公示期间异议处理情况的说明" in text and "情况的情况" not in text
    assert "暂按" not in account["handling"]
    objection.received_on, objection.due_on = datetime.date(2026, 12, 24), datetime.date(2027, 1, 5)
    objection.answered_on = datetime.date(2027, 1, 4)
    assert "（答复期限2027年1月5日，暂按法定节假日推算）" in explanation.build_context(
        objection, previous_points=previous, signed_points=signed_points)["handling"]
    objection.received_on, objection.due_on = datetime.date(2025, 4, 12), datetime.date(2025, 4, 22)
    objection.answered_on = datetime.date(2025, 4, 18)
    objection.outcome, objection.corrected_points = ObjectionOutcome.DISMISSED, None
    assert objection_answer.build_context(objection, previous_points=previous, signed_points=signed_points)[
        "result"] == "异议不成立，维持刘志强同志“志愿服务”一项的原认定结果。"
    answer_text = _text("objection_answer", answer)
    assert "刘志强 " not in answer_text and "您于2025年4月12日对" in answer_text


# -- ledger cards ----------------------------------------------------------------------------


def test_registration_card_reads_the_members_ledger(branch):
    member = branch.members[0]
    member.joined_on = datetime.date(2008, 7, 1)
    member.save()
    for points, day, note in (("2", 12, "参加主题党日"), ("-1.5", 20, "")):
        ledger.post_entry(organisation=branch.east, member=member, component="daily", points=Decimal(points),
                          occurred_on=Q1 + datetime.timedelta(days=day), cycle_start=Q1, source="test",
                          recorded_by=branch.secretary, note=note)
    ledger.post_entry(organisation=branch.east, member=member, component="daily", points=Decimal("9"),
                      occurred_on=datetime.date(2024, 5, 1), cycle_start=datetime.date(2024, 1, 1), source="test")
    ctx = registration_card.build_context(member, Q1)
    assert [(e["date"], e["points"], e["description"], e["reviewer"]) for e in ctx["entries"]] == [
        ("2025-01-13", "2", "参加主题党日", "李建国"), ("2025-01-21", "-1.5", "记入", "李建国")]
    assert ctx["total"] == "0.5" == format(ledger.balance(member, cycle_start=Q1).normalize(), "f")
    assert (ctx["member_name"], ctx["join_date"], ctx["year"]) == ("张红梅", "2008年7月1日", 2025)


def test_household_card_runs_the_balance(branch):
    village = Organisation.objects.create(name="青石村", kind=OrganisationKind.VILLAGE, parent=branch.town, code="c-v")
    grid = Organisation.objects.create(name="青石村第三网格", kind=OrganisationKind.GRID, parent=village, code="c-g")
    home = Member.objects.create(organisation=grid, name="王德顺", kind=MemberKind.HOUSEHOLD)
    for points, day in (("5", 2), ("3", 11), ("-20", 40)):
        ledger.post_entry(organisation=grid, member=home, component="household", points=Decimal(points),
                          occurred_on=Q1 + datetime.timedelta(days=day), cycle_start=Q1, source="test")
    ctx = household_card.build_context(home)
    assert (ctx["household_name"], ctx["village"], ctx["grid"]) == ("王德顺", "青石村", "青石村第三网格")
    assert [(e["points"], e["balance"]) for e in ctx["entries"]] == [("+5", "5"), ("+3", "8"), ("-20", "-12")]
    assert ctx["balance"] == "-12"


# year-end kinds: tests/documents/test_contexts_year_end.py
