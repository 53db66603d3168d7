"""A village's household round (户积分) is reported in the village's words, and the facts are its records'.

Records are made directly: 城关镇党委 → 青石村 (a 行政村) → its two grids, 5 households on the
roll (one moved out), a party member of the village who is not scored, a round of the households'
declarations, the 村两委会 that decided them, the town's filing, the publicity, an objection and
its correction. Each kind's context is built and rendered, and the text is compared with the
database: 本村现有农户 N 户 (households on the roll, not party members), 户主, 合计户数, 莫德明户, 我村,
村党组织, 村务公开栏, 各位村民 — and no 党员, 支部, 同志 or 党务 anywhere.
"""
import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from documents.kinds import (
    correction_notice,
    explanation,
    filing_report,
    meeting_record,
    objection_answer,
    objection_receipt,
    publicity_notice,
    registration_card,
    summary_table,
    terms,
)
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

from .test_contexts import _text

Q4 = datetime.date(2026, 10, 1)
HOUSEHOLDS = ["莫德明", "覃燕", "陶跃进", "袁守信", "韦振宇"]
#: Words a party branch's documents use, which a village's household documents must not.
PARTY_WORDS = ("党员", "支部", "同志", "党务", "支委会")


@pytest.fixture
def village(db):
    town = Organisation.objects.create(name="城关镇党委", kind=OrganisationKind.COMMITTEE, code="v-town")
    cun = Organisation.objects.create(name="青石村", kind=OrganisationKind.VILLAGE, parent=town, code="v-cun")
    grids = [Organisation.objects.create(name=f"青石村第{n}网格", kind=OrganisationKind.GRID, parent=cun,
                                         code=f"v-g{i}") for i, n in enumerate("一二", start=1)]
    homes = [Member.objects.create(organisation=grids[i % 2], name=n, kind=MemberKind.HOUSEHOLD)
             for i, n in enumerate(HOUSEHOLDS)]
    Member.objects.create(organisation=grids[0], name="已迁出户", kind=MemberKind.HOUSEHOLD, is_active=False)
    Member.objects.create(organisation=cun, name="冯长青", kind=MemberKind.PARTY_MEMBER)  # on the roll, not scored
    user = get_user_model().objects.create_user(username="feng", password="pw-feng-123", first_name="冯长青")
    Role.objects.create(user=user, organisation=cun, kind=RoleKind.SECRETARY)
    reviewer = get_user_model().objects.create_user(username="gao", password="pw-gao-123", first_name="高明远")
    Role.objects.create(user=reviewer, organisation=town, kind=RoleKind.REVIEWER)
    rr = ReviewRound.objects.create(organisation=cun, period_start=Q4, period_end=datetime.date(2026, 12, 31),
                                    cycle_start=datetime.date(2026, 1, 1), opened_by=user)
    plan = [(0, "15", "approved", "15"), (0, "5", "approved", "5"), (1, "10", "adjusted", "5"),
            (2, "-10", "approved", "-10"), (3, "6", "rejected", None)]
    declarations = [Declaration.objects.create(
        organisation=homes[h].organisation, member=homes[h], reporter_kind=ReporterKind.GRID_WORKER,
        component="family", rule_item=f"F-{i}", rule_item_label=f"家庭事项{i}", points=Decimal(p),
        occurred_on=Q4 + datetime.timedelta(days=i), description="入户走访核实", status=status, review_round=rr,
        decided_points=None if decided is None else Decimal(decided)) for i, (h, p, status, decided) in enumerate(plan)]
    meeting = BranchMeeting.objects.create(
        review_round=rr, kind="committee", held_on=datetime.date(2026, 11, 20), entitled_count=7, attendee_count=6,
        attendee_names="冯长青、村两委委员4名、村务监督委员会主任", minute_taker="村文书", place="青石村村民委员会会议室",
        absentee_names="村两委委员1名（外出，请假）", guide_signatory="周明（镇派党建指导员）")
    filing = FilingDecision.objects.create(review_round=rr, review_pass=1, reviewer=reviewer,
                                           reviewer_organisation=town, outcome="filed", comments="同意备案。")
    publicity = Publicity.objects.create(review_round=rr, start_on=datetime.date(2026, 11, 23),
                                         end_on=datetime.date(2026, 11, 29))
    publicity.declarations.set(declarations)
    return type("Village", (), dict(town=town, cun=cun, homes=homes, rr=rr, meeting=meeting, filing=filing,
                                    publicity=publicity, declarations=declarations))


def _no_party_words(text):
    assert not [w for w in PARTY_WORDS if w in text], [w for w in PARTY_WORDS if w in text]


def test_the_round_speaks_of_households_and_the_village(village):
    words = terms.round_terms(village.rr)
    assert (words["subject"], words["unit"], words["we"], words["board"]) == ("农户", "户", "我村", "村务公开栏")
    # a village branch scoring its party members keeps the party's subject words
    assert terms.terms_for(village.cun, [MemberKind.PARTY_MEMBER])["points"] == "党员积分"
    assert terms.terms_for(village.town)["body"] == "支部" and terms.terms_for(village.town)["subject"] == "党员"
    # teachers are 教师; a roll of several kinds is 成员, with no honorific
    assert terms.terms_for(village.town, [MemberKind.TEACHER])["points"] == "教师积分"
    mixed = terms.terms_for(village.town, [MemberKind.TEACHER, MemberKind.OTHER])
    assert (mixed["subject"], mixed["points"], mixed["honorific"]) == ("成员", "积分", "")
    # a village round with no declaration yet speaks of the households on its roll
    empty = terms.round_terms(ReviewRound(organisation=village.cun, period_kind="month"))
    assert (empty["subject"], empty["period_total"]) == ("农户", "本月积分")


def test_filing_report_counts_the_villages_households(village):
    ctx = filing_report.build_context(village.filing)
    on_roll = Member.objects.filter(organisation__path__startswith=village.cun.path, is_active=True,
                                    kind=MemberKind.HOUSEHOLD).count()
    assert ctx["member_count"] == on_roll == 5  # not the party member, not the household that moved out
    assert ctx["higher_org_name"] == village.filing.reviewer_organisation.name
    text = _text("filing_report", {"org_name": village.cun.name, **ctx})
    assert "关于2026年第四季度户积分审核情况的报告" in text.replace("\n", "")
    assert "城关镇党委：" in text
    assert "根据户积分管理有关规定，我村于2026年11月20日召开村两委会（应到7人，实到6人）" in text
    assert f"本村现有农户{on_roll}户，2026年第四季度共审核积分申报5项。" in text
    assert "予以认定3项，调整分值1项，不予认定1项" in text
    assert "审查备案，我村已于" in text and "在村务公开栏公示" in text
    assert "附件" not in text  # the summary table is made when the round is posted, not before
    _no_party_words(text)


def test_meeting_record_names_the_village_meeting_and_households(village):
    ctx = meeting_record.build_context(village.meeting, signed_points=signed_points)
    text = _text("meeting_record", {"org_name": village.cun.name, **ctx})
    m = village.meeting
    assert "2026年第四季度户积分审核村两委会会议纪要" in text.replace("\n", "")
    assert f"缺席人员：{m.absentee_names}" in text and f"列席人员：{m.guide_signatory}" in text
    assert f"本次村两委会应到{m.entitled_count}人，实到{m.attendee_count}人" in text and "报上级审查备案" in text
    assert "户主" in text and "不予认定" in text
    assert [i["name"] for i in ctx["items"]] == [d.member.name for d in village.declarations]
    _no_party_words(text)


def test_summary_and_publicity_list_households_with_totals_and_signs(village):
    summary = summary_table.build_context(village.rr, signed_points=signed_points)
    declared = {d.member.name for d in village.declarations}
    assert [r["name"] for r in summary["rows"]] == HOUSEHOLDS[:4] and summary["member_count"] == len(declared)
    text = _text("summary_table", {"org_name": village.cun.name, **summary})
    assert "2026年第四季度户积分汇总表" in text and f"合计户数：{len(declared)}户。" in text
    _no_party_words(text)
    notice = publicity_notice.build_context(village.publicity, signed_points=signed_points)
    totals = {r["name"]: r["total"] for r in notice["rows"]}
    assert totals == {"莫德明": "+20", "覃燕": "+5", "陶跃进": "-10", "袁守信": "不予认定"}
    text = _text("publicity_notice", {"org_name": village.cun.name, **notice})
    assert "关于2026年第四季度户积分情况的公示" in text.replace("\n", "") and "各位村民：" in text
    assert "根据户积分管理有关规定，经村党组织审核、城关镇党委审查备案" in text
    assert "村党组织将在7个工作日内答复" in text and "户主" in text and "季度积分" in text
    _no_party_words(text)


def test_objection_papers_name_the_household(village):
    d = village.declarations[0]
    objection = Objection.objects.create(
        declaration=d, publicity=village.publicity, objector_name="覃燕", objector_contact="139",
        reason="莫德明家未参加垃圾分类", received_on=datetime.date(2026, 11, 24), due_on=datetime.date(2026, 12, 3))
    receipt = _text("objection_receipt", {"org_name": "青石村", "issue_date": "2026-11-24",
                                          **objection_receipt.build_context(objection, signed_points=signed_points)})
    assert "莫德明户“家庭事项0”一项" in receipt and "村党组织将认真调查核实" in receipt
    _no_party_words(receipt)
    objection.answered_on, objection.outcome = datetime.date(2026, 11, 26), ObjectionOutcome.UPHELD
    objection.answer_reason, objection.corrected_points = "经入户核实，应减为10分。", Decimal("10")
    objection.save()
    answer = objection_answer.build_context(objection, previous_points=d.decided_points, signed_points=signed_points)
    text = _text("objection_answer", {"org_name": "青石村", "issue_date": "2026-11-26", **answer})
    assert "异议成立。莫德明户“家庭事项0”一项积分由+15分更正为+10分" in text
    assert "村党组织已受理" in text and "可向上级反映" in text
    _no_party_words(text)
    account = explanation.build_context(objection, previous_points=d.decided_points, signed_points=signed_points)
    text = _text("explanation", {"org_name": "青石村", "issue_date": "2026-11-26", **account})
    assert "城关镇党委：" in text and "我村于2026年11月24日收到覃燕" in text and "村党组织调查核实后" in text
    _no_party_words(text)
    corrections = Publicity.objects.create(review_round=village.rr, kind=PublicityKind.CORRECTIONS,
                                           start_on=datetime.date(2026, 11, 30), end_on=datetime.date(2026, 12, 6))
    corrections.declarations.set([d])
    objection.republished_in = corrections
    objection.save()
    ctx = correction_notice.build_context(corrections, signed_points=signed_points,
                                          previous_points=effective_points_before)
    assert ctx["rows"] == [{"name": "莫德明", "item": "家庭事项0", "original": "+15", "corrected": "+10", "total": "+15"}]
    text = _text("correction_notice", {"org_name": "青石村", "issue_date": "2026-11-30", **ctx})
    assert "关于2026年第四季度户积分更正情况的公示" in text.replace("\n", "") and "我村于2026年11月23日至2026年11月29日公示" in text
    _no_party_words(text)


def test_a_households_registration_card_is_a_household_card_not_a_party_members(village):
    """The downloads page issues a 积分登记卡 for every member on the village's roll: a household's
    names its 户主 and 家庭人口, and the party member's (冯长青) stays a 党员积分登记卡."""
    home = village.homes[0]
    home.household_size = 4
    home.save()
    ledger.post_entry(organisation=home.organisation, member=home, component="family", points=Decimal("15"),
                      occurred_on=Q4, cycle_start=datetime.date(2026, 1, 1), source="test", note="垃圾分类")
    ctx = registration_card.build_context(home, datetime.date(2026, 1, 1))
    assert (ctx["detail_label"], ctx["detail"], ctx["terms"]["name_header"]) == ("家庭人口", "4人", "户主")
    text = _text("registration_card", {"org_name": "青石村", **ctx})
    assert "2026年度户积分登记卡" in text and "户主" in text and "家庭人口" in text and "4人" in text
    _no_party_words(text)
    member = Member.objects.get(name="冯长青")
    member.joined_on = datetime.date(2001, 7, 1)
    member.save()
    text = _text("registration_card", {"org_name": "青石村", **registration_card.build_context(
        member, datetime.date(2026, 1, 1))})
    assert "2026年度党员积分登记卡" in text and "入党时间" in text and "2001年7月1日" in text


def test_objection_papers_about_a_party_member_in_a_village_round_speak_of_a_comrade(village):
    """Trial 4: a party member's 情况说明 called him 户. The papers of one objection take the words of
    the member objected to, not of the round's other members."""
    member = Member.objects.get(name="冯长青")
    d = Declaration.objects.create(
        organisation=village.cun, member=member, reporter_kind=ReporterKind.GRID_WORKER, component="family",
        rule_item="F-9", rule_item_label="按时参加“三会一课”", points=Decimal("2"), occurred_on=Q4,
        description="参加支部活动", status="approved", review_round=village.rr, decided_points=Decimal("2"))
    village.publicity.declarations.add(d)
    objection = Objection.objects.create(
        declaration=d, publicity=village.publicity, objector_name="村民李某", objector_contact="139",
        reason="参加次数与实际不符", received_on=datetime.date(2026, 11, 24), due_on=datetime.date(2026, 12, 3),
        answered_on=datetime.date(2026, 11, 26), outcome=ObjectionOutcome.DISMISSED, answer_reason="经查签到簿属实。")
    assert terms.round_terms(village.rr)["honorific"] == ""  # households and a party member: 成员
    receipt = objection_receipt.build_context(objection, signed_points=signed_points)
    answer = objection_answer.build_context(objection, previous_points=d.decided_points, signed_points=signed_points)
    account = explanation.build_context(objection, previous_points=d.decided_points, signed_points=signed_points)
    for ctx in (receipt, answer, account):
        assert ctx["terms"]["subject"] == "党员" and ctx["terms"]["we"] == "我村"
    text = _text("explanation", {"org_name": "青石村", "issue_date": "2026-11-26", **account})
    assert "冯长青同志“按时参加‘三会一课’”一项" in text and "冯长青户" not in text and "该户" not in text
    assert "维持冯长青同志" in _text("objection_answer", {"org_name": "青石村", "issue_date": "2026-11-26", **answer})
