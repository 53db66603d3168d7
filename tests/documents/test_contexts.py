"""Each kind's build_context reads the records the document reports on, and the facts are true of them.

Records are made directly (a branch of 13 party members, a round, its meeting, filing,
publicities and objections; a year-end evaluation with its results and dispositions), the
context is built, and the values are compared with the database, and for the facts that
were once wrong with the rendered text.
"""
import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from appraisals.models import (
    DisposalMeasure,
    Disposition,
    DispositionAction,
    DispositionStatus,
    Evaluation,
    MemberResult,
)
from documents.kinds import (
    KINDS,
    commendation,
    disposal_approval,
    disposal_request,
    explanation,
    filing_report,
    household_card,
    meeting_record,
    objection_answer,
    objection_receipt,
    publicity_notice,
    rectification_notice,
    registration_card,
    result_notice,
    star_certificate,
    summary_table,
    talk_notice,
)
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
from schemes.models import Scheme

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
    return "\n".join([p.text for p in doc.paragraphs] + cells)


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


def test_filing_report_counts_the_branch_members_not_those_who_declared(branch):
    _declare(branch, branch.members[0], "2", DeclarationStatus.APPROVED, "2")
    ctx = filing_report.build_context(_filing(branch))
    assert ctx["member_count"] == 13  # 12 in the branch + 1 probationary in its group; not 1
    assert ctx["declaration_count"] == 1 and ctx["approved_count"] == 1
    assert ctx["adjusted_count"] == ctx["rejected_count"] == 0
    assert ctx["higher_org_name"] == "中共城关镇委员会" and ctx["year"] == 2025 and ctx["quarter"] == 1
    assert (ctx["signer"], ctx["contact_person"], ctx["contact_phone"]) == ("李建国", "李建国", "13800000004")
    assert "支部现有党员13名，本季度共收到积分申报1项。" in _text("filing_report", ctx)


def test_filing_report_counts_declarations_by_decision(branch):
    m = branch.members
    _declare(branch, m[0], "2", DeclarationStatus.APPROVED, "2")
    _declare(branch, m[0], "3", DeclarationStatus.ADJUSTED, "1", day=11)
    _declare(branch, m[1], "2", DeclarationStatus.REJECTED, "0", day=12)
    _declare(branch, m[2], "2", DeclarationStatus.WITHDRAWN, day=13)
    _declare(branch, m[3], "2", DeclarationStatus.SUBMITTED, day=14)
    ctx = filing_report.build_context(_filing(branch))
    db = {s: Declaration.objects.filter(review_round=branch.rr, status=s).count()
          for s in (DeclarationStatus.APPROVED, DeclarationStatus.ADJUSTED, DeclarationStatus.REJECTED)}
    assert (ctx["approved_count"], ctx["adjusted_count"], ctx["rejected_count"]) == (1, 1, 1) == tuple(db.values())
    assert ctx["declaration_count"] == 3 and ctx["member_count"] == 13


def test_meeting_record_lists_the_decisions_and_who_sat_in(branch):
    m = branch.members
    _declare(branch, m[1], "5", DeclarationStatus.ADJUSTED, "3", reason="区级奖项按细则加3分")
    _declare(branch, m[0], "2", DeclarationStatus.APPROVED, "2", day=5)
    _declare(branch, m[2], "2", DeclarationStatus.SUBMITTED, day=6)
    meeting = BranchMeeting.objects.create(
        review_round=branch.rr, kind="committee", held_on=datetime.date(2025, 4, 2), entitled_count=5,
        attendee_count=4, attendee_names="李建国、王芳、赵卫东、孙丽", minute_taker="王芳",
        guide_signatory="周明（党建指导员）", observers="村民代表2名")
    ctx = meeting_record.build_context(meeting)
    assert [(i["name"], i["declared"], i["approved"], i["decision"]) for i in ctx["items"]] == [
        ("张红梅", "+2", "+2", "认定"), ("刘志强", "+5", "+3", "调整认定")]
    assert ctx["items"][1]["reason"] == "区级奖项按细则加3分"
    assert (ctx["chair"], ctx["recorder"], ctx["meeting_date"]) == ("李建国", "王芳", "2025-04-02")
    assert ctx["absentees"] == "1人" and "应到5人，实到4人" in ctx["conclusion"]
    text = _text("meeting_record", ctx)
    assert "列席人员：周明（党建指导员）、村民代表2名" in text


def test_summary_table_has_one_row_per_member_and_unsigned_deductions(branch):
    m = branch.members
    for day in (1, 2, 3):
        _declare(branch, m[0], "2", DeclarationStatus.APPROVED, "2", day=day)
    _declare(branch, m[0], "5", DeclarationStatus.APPROVED, "5", component="deduction", day=4)
    _declare(branch, m[1], "3", DeclarationStatus.ADJUSTED, "1", day=5)
    _declare(branch, m[2], "2", DeclarationStatus.WITHDRAWN, day=6)
    ctx = summary_table.build_context(branch.rr, signed_points=signed_points)
    assert ctx["rows"] == [
        {"name": "张红梅", "base": "", "bonus": "6", "deduction": "5", "total": "+1", "note": ""},
        {"name": "刘志强", "base": "", "bonus": "1", "deduction": "0", "total": "+1", "note": ""},
    ]
    text = _text("summary_table", ctx)
    assert "合计人数：2人。" in text and "+5" not in text


def test_publicity_notice_prints_each_members_quarter_total(branch, settings):
    settings.PUBLIC_BASE_URL = "https://jifen.example.cn/"
    m = branch.members
    a1 = _declare(branch, m[0], "2", DeclarationStatus.APPROVED, "2", day=1)
    a2 = _declare(branch, m[0], "3", DeclarationStatus.APPROVED, "3", day=2)
    b1 = _declare(branch, m[1], "2", DeclarationStatus.REJECTED, "0", day=3)
    results = Publicity.objects.create(review_round=branch.rr, start_on=datetime.date(2025, 4, 10),
                                       end_on=datetime.date(2025, 4, 16))
    results.declarations.set([a1, a2, b1])
    ctx = publicity_notice.build_context(results, signed_points=signed_points)
    assert ctx["rows"] == [{"name": "张红梅", "total": "+5", "note": ""}, {"name": "刘志强", "total": "0", "note": ""}]
    assert ctx["board_url"] == "https://jifen.example.cn" + reverse("public_board", args=["c-east"])
    assert (ctx["window_start"], ctx["window_end"]) == ("2025-04-10", "2025-04-16")
    assert (ctx["contact_person"], ctx["contact_phone"]) == ("李建国", "13800000004")
    # An upheld objection corrects a1 from 2 to 0: the corrections notice lists 张红梅 with her
    # corrected quarter total (0 + 3), not the corrected item's value (0).
    Objection.objects.create(declaration=a1, publicity=results, objector_name="赵大伟", objector_contact="138",
                             reason="未参加", received_on=datetime.date(2025, 4, 12), due_on=datetime.date(2025, 4, 22),
                             answered_on=datetime.date(2025, 4, 15), outcome=ObjectionOutcome.UPHELD,
                             answer_reason="查无签到", corrected_points=Decimal("0"))
    corrections = Publicity.objects.create(review_round=branch.rr, kind=PublicityKind.CORRECTIONS,
                                           start_on=datetime.date(2025, 4, 20), end_on=datetime.date(2025, 4, 26))
    corrections.declarations.set([a1])
    ctx = publicity_notice.build_context(corrections, signed_points=signed_points)
    assert ctx["rows"] == [{"name": "张红梅", "total": "+3", "note": ""}]
    assert ctx["title_note"] == "更正结果公示"


@pytest.fixture
def objection(branch):
    d = _declare(branch, branch.members[1], "2", DeclarationStatus.APPROVED, "2")
    publicity = Publicity.objects.create(review_round=branch.rr, start_on=datetime.date(2025, 4, 10),
                                         end_on=datetime.date(2025, 4, 16))
    publicity.declarations.set([d])
    return Objection.objects.create(declaration=d, publicity=publicity, objector_name="赵大伟", objector_contact="138",
                                    reason="3月份未参加志愿服务", received_on=datetime.date(2025, 4, 12),
                                    due_on=datetime.date(2025, 4, 22))


def test_objection_receipt_names_the_objection(objection):
    ctx = objection_receipt.build_context(objection)
    assert ctx == {
        "objector_name": "赵大伟", "received_date": "2025-04-12", "subject_name": "刘志强",
        "reason": "3月份未参加志愿服务", "handler": "李建国",  # lodged on the board: no receiver, the secretary handles it
        "answer_due_date": "2025-04-22", "receipt_no": f"YY-2025-{objection.pk:03d}", "due_note": "",
    }
    objection.received_by = get_user_model().objects.get(username="wang")
    assert objection_receipt.build_context(objection)["handler"] == "王芳"
    # Received on 2026-12-24: the answer date falls in 2027, whose schedule is not published yet.
    objection.received_on, objection.due_on = datetime.date(2026, 12, 24), datetime.date(2027, 1, 5)
    assert objection_receipt.build_context(objection)["due_note"] == "（暂按法定节假日推算）"


def test_objection_answer_and_explanation_report_the_correction(branch, objection):
    objection.outcome, objection.corrected_points = ObjectionOutcome.UPHELD, Decimal("0.5")
    objection.answer_reason, objection.answered_on = "签到记录显示未参加", datetime.date(2025, 4, 18)
    objection.answered_by = branch.clerk
    objection.save()
    previous = effective_points_before(objection)
    answer = objection_answer.build_context(objection, previous_points=previous)
    assert answer["findings"] == "签到记录显示未参加" and answer["subject_name"] == "刘志强"
    assert "由 +2 分更正为 +0.5 分" in answer["result"]
    account = explanation.build_context(objection, previous_points=previous)
    assert account["higher_org_name"] == "中共城关镇委员会" and account["signer"] == "李建国"
    assert account["outcome"] == answer["result"] and "2025年第1季度" in account["subject"]
    assert "2025-04-18" in account["handling"] and "2025-04-22" in account["handling"]
    assert "暂按" not in account["handling"]
    objection.received_on, objection.due_on = datetime.date(2026, 12, 24), datetime.date(2027, 1, 5)
    objection.answered_on = datetime.date(2027, 1, 4)
    assert "（答复期限2027-01-05，暂按法定节假日推算）" in explanation.build_context(
        objection, previous_points=previous)["handling"]
    objection.received_on, objection.due_on = datetime.date(2025, 4, 12), datetime.date(2025, 4, 22)
    objection.answered_on = datetime.date(2025, 4, 18)
    objection.outcome, objection.corrected_points = ObjectionOutcome.DISMISSED, None
    assert objection_answer.build_context(objection, previous_points=previous)["result"] == "异议不成立，维持原认定结果。"


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


# -- year-end --------------------------------------------------------------------------------


@pytest.fixture
def year_end(branch):
    scheme = Scheme.objects.create(organisation=branch.east, name="county-7-3-2025", cycle_start=Q1,
                                   cycle_end=datetime.date(2025, 12, 31))
    version = scheme.revise(preset_key="county-7-3")
    ev = Evaluation.objects.create(organisation=branch.east, scheme_version=version, cycle_start=Q1,
                                   cycle_end=datetime.date(2025, 12, 31), opened_by=branch.secretary)
    m = branch.members
    results = {}
    for member, total, grade, stars, actions in (
        (m[0], "92.50", "优秀", 5, ["commend"]), (m[1], "91", "优秀", None, ["commend"]),
        (m[2], "68", "基本合格", None, ["talk"]), (m[3], "55", "不合格", None, ["dispose"]),
    ):
        results[member.name] = MemberResult.objects.create(
            evaluation=ev, member=member, cycle_start=Q1, total=Decimal(total), grade=grade, stars=stars,
            actions=actions, scheme_version_number=version.number, vetoed=member == m[3])
    return ev, results


def _disposition(ev, result, action, **extra):
    return Disposition.objects.create(evaluation=ev, result=result, member=result.member, action=action,
                                      facts=f"{result.member.name}同志2025年度积分{result.total}分。", **extra)


def test_result_notice_and_star_certificate_read_the_result(year_end):
    ev, results = year_end
    ctx = result_notice.build_context(results["张红梅"])
    assert ctx == {"member_name": "张红梅", "year": 2025, "score": "92.5", "grade": "优秀", "remark": ""}
    assert result_notice.build_context(results["赵卫东"])["remark"] == "一票否决"
    assert result_notice.has_notice(results["张红梅"])
    results["张红梅"].grade = "★★★"
    assert not result_notice.has_notice(results["张红梅"])
    assert star_certificate.build_context(results["张红梅"]) == {"member_name": "张红梅", "year": 2025, "stars": 5}
    assert not star_certificate.has_certificate(results["刘志强"])


def test_commendation_lists_the_commended_members_by_total(year_end):
    ev, results = year_end
    for name in ("刘志强", "张红梅"):
        _disposition(ev, results[name], DispositionAction.COMMEND, status=DispositionStatus.DONE)
    _disposition(ev, results["陈小燕"], DispositionAction.TALK)
    ctx = commendation.build_context(ev)
    assert [(h["name"], h["deeds"]) for h in ctx["honourees"]] == [
        ("张红梅", "年度积分92.5分，评定等次优秀"), ("刘志强", "年度积分91分，评定等次优秀")]
    assert ctx["year"] == 2025 and ctx["honour"] == "优秀共产党员"
    assert "决定对以下2名同志授予“优秀共产党员”称号" in _text("commendation", ctx)


def test_talk_and_rectification_notices(year_end):
    ev, results = year_end
    talk = _disposition(ev, results["陈小燕"], DispositionAction.ADMONISH)
    ctx = talk_notice.build_context(talk, talk_time="2026年1月20日上午9时", place="党群服务中心", talker="李建国")
    assert ctx["talk_type"] == "诫勉谈话" and "评定等次为基本合格（年度积分68分）" in ctx["reason"]
    rectify = _disposition(ev, results["赵卫东"], DispositionAction.RECTIFY, requirements="按时参加组织生活",
                           rectification_end=datetime.date(2026, 7, 22))
    ctx = rectification_notice.build_context(rectify)
    assert ctx == {"member_name": "赵卫东", "problems": [{"text": rectify.facts}], "deadline": "2026-07-22",
                   "requirements": "按时参加组织生活"}
    assert rectification_notice.build_context(rectify, problems=["甲", "乙"])["problems"] == [{"text": "甲"}, {"text": "乙"}]


def test_disposal_request_and_approval(branch, year_end):
    ev, results = year_end
    d = _disposition(ev, results["赵卫东"], DispositionAction.DISPOSE, measure=DisposalMeasure.PERSUADE, entitled=13,
                     present=11, votes_for=9, decided_by=branch.secretary, status=DispositionStatus.AWAITING_APPROVAL)
    ctx = disposal_request.build_context(d)
    assert ctx == {"higher_org_name": "中共城关镇委员会", "member_name": "赵卫东", "facts": d.facts, "disposal": "劝其退党",
                   "entitled": 13, "present": 11, "votes_for": 9, "signer": "李建国"}
    assert disposal_request.subject_key(d) == f"disposition:{d.pk}:request"
    request = type("Doc", (), {"document_number": "东街党支〔2026〕11号"})()
    d.status, d.approval_comments = DispositionStatus.DONE, "请做好思想工作。"
    ctx = disposal_approval.build_context(d, request=request)
    assert ctx["request_number"] == "东街党支〔2026〕11号" and ctx["branch_name"] == "东街社区党支部"
    assert ctx["decision_text"] == "经研究，同意你支部对赵卫东同志作出劝其退党的处置意见。请做好思想工作。"
    d.status = DispositionStatus.REJECTED
    assert disposal_approval.build_context(d, request=None)["decision_text"].startswith("经研究，不同意")
    assert disposal_approval.build_context(d, request=None)["request_number"] == ""


# -- the codes the builders read are the domain's -------------------------------------------


def test_record_codes_read_by_the_builders_are_the_domain_apps_values():
    assert (filing_report.APPROVED, filing_report.ADJUSTED, filing_report.REJECTED) == (
        DeclarationStatus.APPROVED, DeclarationStatus.ADJUSTED, DeclarationStatus.REJECTED)
    assert objection_answer.UPHELD == ObjectionOutcome.UPHELD
    assert commendation.COMMEND == DispositionAction.COMMEND
    assert disposal_approval.REJECTED == DispositionStatus.REJECTED
    assert set(talk_notice.TALK_TYPES) == {DispositionAction.TALK, DispositionAction.ADMONISH}
    assert disposal_request.DISPOSALS == tuple(DisposalMeasure.values)
