"""The demo county walked until every document kind has been issued, through the services.

``manage.py load_demo``'s stages first (people, four review rounds, the school branch's
year-end evaluation left in publicity), then, as the users would carry on:

* 东街's open objection is upheld; its windows close (the beat sweep, at the closing time):
  the corrections are published again (更正公示) and the round is posted (积分汇总表);
* the school's publicity closes: results are published and used — result notices, the
  commendation, and the disposal of the member with a poor year (请示 and 批复);
* the school's 2025–2026 star year under ``star-five-school`` (cycle from 1 July): ledger
  points and appraisal votes give a five-star, a four-star, a two-star and a vetoed member,
  so the use of results issues star certificates, a talk notice and a rectification notice;
* one probationary member's cancellation: the only disposition not created by the engine
  (no demo scheme's history holds the previous one-star year it needs), decided by the
  branch meeting and approved through the disposal services;
* the village's household round and points supermarket (``market.demo``): 兑换小票;
* a registration card (bulk, as the downloads page asks for it), and the 户积分卡 of a household
  that earned in the round and spent at the counter, issued by its grid worker.

Returns a dict of what was walked, for the tests to find records by.
"""
import datetime
import io
from decimal import Decimal
from unittest import mock

from django.contrib.auth import get_user_model
from django.db import transaction

from appraisals import flows
from appraisals.demo import build_year_end
from market.demo import build_household_round, build_market
from market.services import cards
from appraisals.models import Disposition, DispositionAction, Evaluation
from appraisals.services import dispositions, evaluations
from documents.services import run_bulk, start_bulk_job
from ledger.services import post_entry
from members.demo import build_people
from members.models import Member, MemberKind
from organisations.models import Organisation
from portal.views.downloads import registration_card_items
from reviews.demo import build_rounds
from reviews.models import Objection, ObjectionOutcome, ReviewRound
from reviews.services import objections
from schemes.models import Scheme
from workflow.tasks import fire_timers


def at(moment):
    """The clock reads ``moment`` for the beat sweep and everything it calls."""
    return mock.patch("django.utils.timezone.now", return_value=moment)


def _users():
    return {u.username: u for u in get_user_model().objects.all()}


def _close_windows(review_round):
    """Fire the beat sweep just after each open window of ``review_round`` closes."""
    for _ in range(3):
        review_round.refresh_from_db()
        publicity = review_round.current_publicity()
        if publicity is None or publicity.closed_at is not None:
            return
        with at(publicity.closes_at + datetime.timedelta(minutes=1)):
            fire_timers()


def _finish_dongjie(users):
    rr = ReviewRound.objects.get(organisation__code="demo-dongjie")
    objection = Objection.objects.get(declaration__review_round=rr, answered_on__isnull=True)
    item = objection.declaration.rule_item_label  # the answer speaks of the item objected to
    objections.answer_objection(objection, users["dongjie_secretary"], ObjectionOutcome.UPHELD,
                                f"经查阅台账和走访核实，该同志本季度“{item}”一项核实1次，按细则应加1分。",
                                corrected_points="1")
    _close_windows(rr)
    return rr


def _publish(evaluation):
    with at(evaluation.publicity_closes_at + datetime.timedelta(minutes=1)):
        fire_timers()
    evaluation.refresh_from_db()
    return evaluation


def _star_year(branch, users):
    """star-five-school on the school branch for 2025-07-01..2026-06-30: 66 points before the
    appraisal (start values), +achievement from the ledger, the 服务群众星 from votes."""
    secretary, reviewer = users["jiguan_secretary"], users["town_reviewer"]
    start, end = datetime.date(2025, 7, 1), datetime.date(2026, 6, 30)
    scheme = Scheme.objects.create(organisation=branch, cycle_start=start, cycle_end=end, name="学校党员五星管理（演示）")
    version = scheme.revise(preset_key="star-five-school", user=secretary, note="演示")
    scheme.lock()
    ev = evaluations.open_evaluation(organisation=branch, by=secretary, scheme_version=version)
    members, _excluded = evaluations.evaluated_members(ev)
    # (ledger: component, points, note; votes 优秀/良好/合格/差; flags): 5★ 94, 4★ 86, 2★ 69.4, vetoed
    plans = [(("achievement", 8, "市级优质课一等奖"), (20, 0, 0, 0), {}), (None, (20, 0, 0, 0), {}),
             (("study", -5, "缺少一篇学习笔记"), (0, 0, 2, 18), {}),
             (None, (10, 10, 0, 0), {"serious_violation": True})]
    for index, member in enumerate(members):
        entry, votes, flags = plans[index] if index < len(plans) else (None, (12, 8, 0, 0), {})
        if entry:
            component, points, note = entry
            post_entry(organisation=branch, member=member, component=component, points=Decimal(points),
                       occurred_on=datetime.date(2025, 12, 1), cycle_start=start, source="demo",
                       source_ref=f"walk-star:{member.pk}", recorded_by=secretary, note=note)
        evaluations.record_appraisal(ev, member, secretary, votes=dict(zip(("优秀", "良好", "合格", "差"), votes)),
                                     flags=flags)
    evaluations.finish_appraisal(ev, secretary)
    evaluations.propose_results(ev, secretary)
    evaluations.approve_results(ev, reviewer, "同意。")
    return _publish(Evaluation.objects.get(pk=ev.pk))


def _cancel_probation(evaluation, users):
    member = Member.objects.filter(organisation=evaluation.organisation, kind=MemberKind.PROBATIONARY).first()
    result = evaluation.results.get(member=member)
    disposition = Disposition.objects.create(
        evaluation=evaluation, result=result, member=member, action=DispositionAction.CANCEL_PROBATION,
        facts=f"{member.name}同志预备期间不履行党员义务，经支部多次教育仍无明显转变，不具备党员条件。")
    flows.DisposalFlow.start.run(disposition=disposition)
    dispositions.decide_disposal(disposition, users["jiguan_secretary"], entitled=12, present=11, votes_for=10)
    dispositions.review_disposal(disposition, users["town_reviewer"], approve=True, comments="同意。")
    disposition.refresh_from_db()
    return disposition


def _cards(users, qingshi):
    member = Member.objects.filter(organisation=qingshi, ledger_entries__isnull=False).distinct().order_by("pk").first()
    cycle = member.ledger_entries.order_by("seq").first().cycle_start
    items = [i for i in registration_card_items(qingshi, cycle) if i["member"] == member.pk]
    run_bulk(start_bulk_job("registration_card", organisation=qingshi, items=items,
                            triggered_by=users["qingshi_secretary"]).pk)
    # the card of a household that earned points in the village's round and spent some at the counter:
    # its ledger as the review chain and the points supermarket wrote it, nothing posted beside them
    home = Member.objects.filter(kind=MemberKind.HOUSEHOLD, redemptions__isnull=False).distinct().order_by("pk").first()
    return cards.issue_card(home, by=users[f"grid{home.organisation.code[-1]}_worker"])


def walk_demo():
    """Walk the demo county until every kind is issued; ``{name: record}`` of what was walked."""
    out = io.StringIO()
    with transaction.atomic():
        build_people(out)
    with transaction.atomic():
        build_rounds(out)
    build_household_round(out)
    build_market(out)  # the points supermarket's redemptions: 兑换小票
    users = _users()
    with transaction.atomic():
        dongjie = _finish_dongjie(users)
    with transaction.atomic():
        year_end = build_year_end(out)
    year_end = _publish(year_end)
    poor = year_end.dispositions.filter(action=DispositionAction.DISPOSE).first()
    dispositions.decide_disposal(poor, users["jiguan_secretary"], measure="劝其退党", entitled=12, present=11,
                                 votes_for=10)
    dispositions.review_disposal(poor, users["town_reviewer"], approve=True, comments="请做好本人思想工作。")
    stars = _star_year(year_end.organisation, users)
    talk = stars.dispositions.get(action=DispositionAction.TALK)
    dispositions.issue_talk_notice(talk, users["jiguan_secretary"], talk_time="2026年12月3日上午9时",
                                   place="镇中心学校党员活动室", talker="邓志刚")
    rectify = stars.dispositions.get(action=DispositionAction.RECTIFY)
    dispositions.start_rectification(rectify, users["jiguan_secretary"], requirements="每月向支部书面汇报思想和工作情况。",
                                     months=6)
    cancelled = _cancel_probation(stars, users)
    qingshi = Organisation.objects.get(code="demo-qingshi")
    household = _cards(users, qingshi)
    return {"dongjie": dongjie, "year_end": year_end, "stars": stars, "cancelled": cancelled, "household": household}
