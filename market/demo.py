"""Demo stages for 青石村's households and its points supermarket (``manage.py load_demo``).

``build_household_round``: the village adopts the 钟祥 scheme (zhongxiang-governance: monthly
audit, redemption, a violation bars redemption, year-end reset) for this year; the three grid
workers record household events with the scheme's family items; the village audits last
month's records in the round of their quarter (一月一审核、一季一公示: the round covers the
quarter, one meeting per month), the town files them, the publicity window runs out and the
beat sweep posts the points to the village's ledger — all through ``reviews.services``, as
users would.

``build_market`` (a separate stage, so it runs after the posting has committed): the
catalogue, a few redemptions at the counter by the cashier ``qingshi_cashier`` and one
household barred after a violation.

Both are idempotent. In the first nine days of a year there is no audited month of the year
yet: the round and the redemptions are then left out, with a note.
"""
import datetime
import uuid

from django.contrib.auth import get_user_model
from django.db import transaction

from members.models import Member, MemberKind
from organisations.models import Organisation
from reviews.models import MeetingKind, ReporterKind, ReviewRound, RoundStatus
from reviews.services import declarations, filing, meeting, quorum, rounds
from schemes.models import Scheme
from workdays.clock import local_today
from workflow.tasks import fire_timers

from .models import Goods, GoodsKind, Redemption, RedemptionBar
from .services import bars, catalogue, redemption

VILLAGE = "demo-qingshi-cun"
SCHEME_NAME = "青石村“积分制+”乡村治理（户积分）"
#: Household events of the scheme's 家庭积分 items, per household index in its grid.
EVENTS = [
    [("waste_sorting", "垃圾分类、厨余堆肥"), ("tidy_home", "家庭内外环境整洁"), ("neighbourly", "邻里团结无纠纷")],
    [("greening", "房前屋后种植花草树木"), ("tidy_home", "家庭内外环境整洁")],
    [("no_domestic_violence", "无家暴、虐待"), ("waste_sorting", "垃圾分类")],
    [("family_motto", "悬挂家训家风"), ("tidy_home", "家庭内外环境整洁")],
]
#: name, kind, unit, points price, opening stock
GOODS = [
    ("洗衣液（2升）", GoodsKind.GOODS, "瓶", "10", 30),
    ("牙膏", GoodsKind.GOODS, "支", "5", 40),
    ("毛巾", GoodsKind.GOODS, "条", "6", 50),
    ("大米（5斤）", GoodsKind.GOODS, "袋", "20", 20),
    ("食用油（5升）", GoodsKind.GOODS, "桶", "30", 12),
    ("理发服务", GoodsKind.SERVICE, "次", "8", 99),
    ("电饭煲", GoodsKind.GOODS, "台", "120", 2),
]
#: (grid, household index, goods name, quantity) exchanged at the counter
EXCHANGES = [(1, 0, "大米（5斤）", 1), (1, 0, "牙膏", 2), (2, 0, "洗衣液（2升）", 2), (3, 1, "理发服务", 1)]
#: The household barred after a violation: (grid, index)
BARRED = (2, 1)


def _users(*names):
    return {u.username: u for u in get_user_model().objects.filter(username__in=names)}


def _households(village):
    grids = Organisation.objects.filter(parent=village).order_by("code")
    return {n: list(Member.objects.filter(organisation=g, kind=MemberKind.HOUSEHOLD, is_active=True).order_by("pk"))
            for n, g in enumerate(grids, start=1)}


def _scheme(village, secretary, today):
    scheme, _created = Scheme.objects.get_or_create(
        organisation=village, cycle_start=datetime.date(today.year, 1, 1), name=SCHEME_NAME,
        defaults={"cycle_end": datetime.date(today.year, 12, 31)},
    )
    if scheme.current_version() is None:
        scheme.revise(preset_key="zhongxiang-governance", user=secretary, note="演示：钟祥户积分")
    return scheme


def build_household_round(stdout):
    """Grid workers record, the village audits last month, the town files, the sweep posts (see module)."""
    users = _users("qingshi_secretary", "town_reviewer", "grid1_worker", "grid2_worker", "grid3_worker")
    village = Organisation.objects.filter(code=VILLAGE).first()
    if village is None or len(users) < 5:
        stdout.write("户积分：缺少演示村或账号，请先运行 members.demo.build_people。")
        return None
    today = local_today()
    secretary = users["qingshi_secretary"]
    _scheme(village, secretary, today)
    if ReviewRound.objects.filter(organisation=village).exists():
        stdout.write("户积分：青石村已有审核批次，未作更改。")
        return None
    audited = today - datetime.timedelta(days=9)  # the meeting and the start of a 7-day publicity
    if audited.year != today.year:
        stdout.write("户积分：年初9天内本年度还没有可审核的月份，未生成演示审核批次。")
        return None
    period_start = audited.replace(day=1)
    span = (audited - period_start).days
    with transaction.atomic():
        for grid, members in _households(village).items():
            worker = users[f"grid{grid}_worker"]
            for index, member in enumerate(members[:len(EVENTS)]):
                for n, (item, place) in enumerate(EVENTS[index]):
                    declarations.create_declaration(
                        member=member, by=worker, reporter_kind=ReporterKind.GRID_WORKER, component="family",
                        rule_item=item, description=f"入户走访核实：{place}", place=member.organisation.name,
                        occurred_on=period_start + datetime.timedelta(days=(index * 3 + n * 5) % (span + 1)),
                    )
        review_round = rounds.open_round(organisation=village, by=secretary, period_start=period_start)
        # The 村两委 on record meets, all present, chaired by the secretary; the supervisory committee observes.
        committee = quorum.entitled_people(village, MeetingKind.COMMITTEE)
        chair = next((p.name for p in committee if p.key == f"u{secretary.pk}"), "")
        meeting.record_meeting(review_round, secretary, kind=MeetingKind.COMMITTEE, held_on=audited,
                               present_keys=[p.key for p in committee], chair=chair,
                               minute_taker="村文书", guide_signatory="周明（镇派党建指导员）",
                               observers="村务监督委员会主任", place=f"{village.name}村民委员会会议室")
        meeting.bulk_approve(review_round, secretary)
        meeting.submit_to_higher(review_round, secretary)
        filing.file_round(review_round, users["town_reviewer"], "同意备案，在村务公开栏公示。", publicity_start=audited,
                          filed_on=audited)
    fire_timers()  # the window closed three days ago: the beat sweep queues the posting
    review_round.refresh_from_db()
    stdout.write(f"户积分：{review_round}，{review_round.declarations.count()} 项，{review_round.get_status_display()}"
                 "（记入台账在本步骤提交后完成）")
    return review_round


def build_market(stdout):
    """The catalogue, the cashier's redemptions and one barred household (see module)."""
    users = _users("qingshi_secretary", "qingshi_cashier")
    village = Organisation.objects.filter(code=VILLAGE).first()
    if village is None or len(users) < 2:
        stdout.write("积分超市：缺少演示村或账号，请先运行 members.demo.build_people。")
        return None
    secretary, cashier = users["qingshi_secretary"], users["qingshi_cashier"]
    created = 0
    for name, kind, unit, price, stock in GOODS:
        if not Goods.objects.filter(organisation=village, name=name).exists():
            catalogue.add_goods(village=village, by=secretary, name=name, price=price, stock=stock, unit=unit,
                                kind=kind)
            created += 1
    households = _households(village)
    posted = ReviewRound.objects.filter(organisation=village, status=RoundStatus.FINAL).exists()
    done = 0
    if posted:
        for grid, index, goods_name, quantity in EXCHANGES:
            member = households[grid][index]
            key = uuid.uuid5(uuid.NAMESPACE_URL, f"jifen-demo:{member.pk}:{goods_name}")
            if not Redemption.objects.filter(key=key).exists():
                goods = Goods.objects.get(organisation=village, name=goods_name)
                redemption.redeem(household=member, goods=goods, quantity=quantity, cashier=cashier, key=key)
                done += 1
    barred = households[BARRED[0]][BARRED[1]]
    if not RedemptionBar.objects.filter(member=barred).exists():
        bars.record_bar(member=barred, by=secretary, reason="参与赌博被公安机关处罚，经村民代表会议决定本年度不参与积分兑换",
                        start_on=local_today() - datetime.timedelta(days=5))
    note = "" if posted else "（户积分尚未记入台账，未生成兑换）"
    stdout.write(f"积分超市：新上架物品 {created} 种，新兑换 {done} 笔，不得兑换 1 户（{barred.name}）{note}。"
                 "兑换员账号 qingshi_cashier。")
    return done
