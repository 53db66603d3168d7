"""Demo stage: review rounds at every step of the approval chain (``manage.py load_demo``).

Built on the people of ``members.demo.build_people``; every step goes through
``reviews.services`` exactly as a user would, so the demo also exercises the permission
checks, the audit trail and the documents. Four rounds, one per branch:

* 西街社区党支部, last quarter — declarations collected, waiting for its branch meeting;
* 镇政府机关党支部, last quarter — decided and reported, returned by the town committee;
* 东街社区党支部, last quarter — filed, in publicity, with an open objection;
* 青石村党支部 (rural: 党建指导员 signs), the quarter before — through publicity and a
  dismissed objection, closed by the timer sweep, scores posted to the ledger.

Idempotent: a branch that already has its demo round is left as it is.
"""
import datetime

from django.contrib.auth import get_user_model
from django.db import transaction

from members.models import Member
from organisations.models import Organisation, Role, RoleKind
from schemes.models import SchemeVersion
from workflow.tasks import fire_timers

from .models import DeclarationStatus, MeetingKind, ObjectionOutcome, ReporterKind, ReviewRound, local_today
from .services import declarations, filing, meeting, objections, quorum, rounds

#: (component, rule item code, label, points, description, place)
EVENTS = [
    ("base", "B-01", "按时参加“三会一课”", "2", "参加本季度支部党员大会和主题党日活动", "党群服务中心"),
    ("bonus", "J-03", "志愿服务", "3", "参加社区防汛值守和环境整治志愿服务3次", "辖区"),
    ("bonus", "J-05", "为群众办实事", "2", "帮助独居老人办理医保续缴手续", "社区服务站"),
    ("base", "B-02", "按时足额交纳党费", "1", "本季度党费按时足额交纳", ""),
    ("deduction", "K-02", "无故缺席组织生活", "2", "无故缺席一次主题党日活动", "党群服务中心"),
]

#: The items that add points for good conduct (a scheme in force may file them under another component).
BONUS_ITEMS = [code for component, code, *_rest in EVENTS if component == "bonus"]


def _quarter_bounds(day):
    start = datetime.date(day.year, ((day.month - 1) // 3) * 3 + 1, 1)
    month_index = start.month + 2
    next_start = datetime.date(start.year + month_index // 12, month_index % 12 + 1, 1)
    return start, next_start - datetime.timedelta(days=1)


def _previous_quarter(day, steps=1):
    start, _end = _quarter_bounds(day)
    for _ in range(steps):
        start, _end = _quarter_bounds(start - datetime.timedelta(days=1))
    return _quarter_bounds(start)


def _under_scheme(branch, day, component, code, points):
    """``(component, points)`` of an event as the scheme in force on ``day`` lists it.

    Under the town's scheme (``reviews.demo_scheme``) the item is one of its daily items, whose
    points the scheme fills in (``None``); with no scheme in force the event keeps the
    component and points it is declared with. A year end then finds the year's entries under
    the components its scheme scores.
    """
    version = SchemeVersion.objects.in_force(branch, day)
    if version is None:
        return component, points
    for scheme_component in version.engine_scheme().components:
        if code in scheme_component.items:
            return scheme_component.name, None
    return component, points


def _declare(branch, clerk, period_start, count):
    members = list(Member.objects.filter(organisation=branch, is_active=True).order_by("pk")[:count])
    made = []
    for i, member in enumerate(members):
        component, code, label, points, description, place = EVENTS[i % len(EVENTS)]
        day = period_start + datetime.timedelta(days=10 + 7 * i)
        component, points = _under_scheme(branch, day, component, code, points)
        made.append(declarations.create_declaration(
            member=member, by=clerk, reporter_kind=ReporterKind.CLERK, component=component, rule_item=code,
            rule_item_label=label, points=points, description=description, place=place, occurred_on=day,
        ))
    return made


def _meeting(review_round, by, held_on, absent, **extra):
    """The branch committee on record meets in the branch's activity room, chaired by the branch
    secretary (or, in a branch without one, by whoever records the meeting): the last ``absent``
    of its members on record are absent, with their reason. 应到 is the committee on record, as
    on the meeting page (``quorum.entitled_people``), so every pass of a round counts alike."""
    organisation = review_round.organisation
    role = Role.objects.filter(organisation=organisation, kind=RoleKind.SECRETARY).select_related("user").first()
    chair_key = f"u{(role.user if role else by).pk}"
    people = sorted(quorum.entitled_people(organisation, MeetingKind.COMMITTEE), key=lambda p: p.key != chair_key)
    present = people[:len(people) - absent]
    return meeting.record_meeting(
        review_round, by, kind=MeetingKind.COMMITTEE, held_on=held_on, present_keys=[p.key for p in present],
        absentee_names="、".join(f"{p.name}（外出务工，请假）" for p in people[len(present):]),
        place=f"{organisation.name}党员活动室", minute_taker=present[-1].name, chair=present[0].name, **extra,
    )


def _decide_all(review_round, by, declared):
    """Reject the first deduction claim for lack of evidence, adjust one, approve the rest in bulk."""
    rest = list(declared)
    if len(rest) > 3:
        meeting.decide_declaration(rest.pop(1), by, DeclarationStatus.ADJUSTED, points="2",
                                   reason="签到记录显示参加2次，按细则每次1分")
    if len(rest) > 3:
        meeting.decide_declaration(rest.pop(), by, DeclarationStatus.REJECTED, reason="无签到记录或照片佐证")
    meeting.bulk_approve(review_round, by)


def build_rounds(stdout):
    """The demo stage for review rounds; requires ``members.demo.build_people`` first."""
    users = {u.username: u for u in get_user_model().objects.filter(username__in=[
        "town_reviewer", "xijie_secretary", "jiguan_secretary", "dongjie_secretary", "dongjie_clerk",
        "qingshi_secretary", "qingshi_clerk"])}
    if len(users) < 7:
        stdout.write("审核批次：缺少演示账号，请先运行 members.demo.build_people。")
        return []
    orgs = {o.code: o for o in Organisation.objects.filter(code__in=[
        "demo-xijie", "demo-zhengfu", "demo-dongjie", "demo-qingshi"])}
    today = local_today()
    last_start, last_end = _previous_quarter(today)
    older_start, older_end = _previous_quarter(today, 2)
    reviewer = users["town_reviewer"]
    built = []

    def fresh(code, start):
        return not ReviewRound.objects.filter(organisation=orgs[code], period_start=start).exists()

    # 1. Waiting for the branch meeting.
    if fresh("demo-xijie", last_start):
        with transaction.atomic():
            secretary = users["xijie_secretary"]
            _declare(orgs["demo-xijie"], secretary, last_start, 5)
            rr = rounds.open_round(organisation=orgs["demo-xijie"], by=secretary,
                                   period_start=last_start, period_end=last_end)
            built.append(rr)

    # 2. Returned by the higher level.
    if fresh("demo-zhengfu", last_start):
        with transaction.atomic():
            secretary = users["jiguan_secretary"]
            declared = _declare(orgs["demo-zhengfu"], secretary, last_start, 6)
            rr = rounds.open_round(organisation=orgs["demo-zhengfu"], by=secretary,
                                   period_start=last_start, period_end=last_end)
            _meeting(rr, secretary, today, 1)
            _decide_all(rr, secretary, declared)
            meeting.submit_to_higher(rr, secretary)
            filing.return_round(rr, reviewer, "“为群众办实事”一项缺少服务对象签字确认，请补充佐证后重新审核。")
            built.append(rr)

    # 3. In publicity with an open objection.
    if fresh("demo-dongjie", last_start):
        with transaction.atomic():
            secretary, clerk = users["dongjie_secretary"], users["dongjie_clerk"]
            declared = _declare(orgs["demo-dongjie"], clerk, last_start, 8)
            rr = rounds.open_round(organisation=orgs["demo-dongjie"], by=secretary,
                                   period_start=last_start, period_end=last_end)
            _meeting(rr, clerk, today - datetime.timedelta(days=4), 0)
            _decide_all(rr, clerk, declared)
            meeting.submit_to_higher(rr, secretary)
            filed = today - datetime.timedelta(days=2)  # filed two days ago, published the same day
            filing.file_round(rr, reviewer, "同意备案，按规定公示。", publicity_start=filed, filed_on=filed)
            target = rr.declarations.filter(status=DeclarationStatus.APPROVED, rule_item__in=BONUS_ITEMS).first()
            objections.lodge_objection(
                target, objector_name="赵大伟", objector_contact="13807310001",
                reason="该同志本季度只参加了一次志愿服务，公示的加分偏高。",
                received_on=today - datetime.timedelta(days=1), received_by=clerk,
            )
            built.append(rr)

    # 4. Final, with its scores in the ledger (the beat sweep closes the window).
    if fresh("demo-qingshi", older_start):
        with transaction.atomic():
            secretary, clerk = users["qingshi_secretary"], users["qingshi_clerk"]
            declared = _declare(orgs["demo-qingshi"], clerk, older_start, 8)
            rr = rounds.open_round(organisation=orgs["demo-qingshi"], by=secretary, period_start=older_start,
                                   period_end=older_end, requires_guide_signatory=True)
            held_on = older_end + datetime.timedelta(days=5)
            _meeting(rr, clerk, held_on, 1, guide_signatory="周明（镇派党建指导员）",
                     observers="村务监督委员会主任、村民代表2名")
            _decide_all(rr, clerk, declared)
            meeting.submit_to_higher(rr, secretary)
            start = held_on + datetime.timedelta(days=3)
            # a past quarter, recorded after the fact: filed the day its publicity began
            filing.file_round(rr, reviewer, "同意备案。", publicity_start=start, filed_on=start)
            target = rr.declarations.filter(status=DeclarationStatus.APPROVED).first()
            received = start + datetime.timedelta(days=2)
            objection = objections.lodge_objection(
                target, objector_name="村民李某", objector_contact="13907310002",
                reason="认为该同志参加“三会一课”的次数与实际不符。", received_on=received, received_by=clerk,
            )
            objections.answer_objection(objection, clerk, ObjectionOutcome.DISMISSED,
                                        "经查阅会议签到簿和会议记录，该同志本季度参加支部活动3次，申报属实。",
                                        answered_on=received + datetime.timedelta(days=3))
            objections.file_explanation(objection, reviewer)
            built.append(rr)
        # Outside the round's transaction, as Celery beat would: the window is long over.
        fire_timers()

    for rr in built:
        rr.refresh_from_db()
    lines = [
        f"  {rr.organisation.name} {rr.period_label}：{rr.get_status_display()}"
        + ("（本步骤提交后由后台任务记入台账）" if rr.status == "posting" else "")
        for rr in built
    ]
    stdout.write("审核批次：" + ("新建 %d 个\n" % len(built) + "\n".join(lines) if built else "无（已存在，未作更改）"))
    return built
