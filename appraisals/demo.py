"""Demo stage: a year-end evaluation of 镇中心学校党支部 for last year, left in result publicity.

Requires ``members.demo.build_people``. Creates the branch's county-7-3 scheme for the
previous calendar year, a year of daily-behaviour ledger entries and the democratic
appraisal votes (from a fixed seed), then walks the evaluation through computation, the
branch's proposal and the town committee's approval. The 7-day publicity window then
closes on the beat sweep, and the use of results follows. Running it twice changes nothing.
"""
import datetime
import random
from decimal import Decimal

from django.contrib.auth import get_user_model

from ledger.services import post_entry
from organisations.models import Organisation
from schemes.models import Scheme
from workdays.clock import format_cn_date, local_today

from .models import Evaluation
from .services import evaluations

SEED = 20251231
BRANCH = "demo-xuexiao"


def build_year_end(stdout):
    users = {u.username: u for u in get_user_model().objects.filter(username__in=["jiguan_secretary", "town_reviewer"])}
    branch = Organisation.objects.filter(code=BRANCH).first()
    if len(users) < 2 or branch is None:
        stdout.write("年终评定：缺少演示组织或账号，请先运行 members.demo.build_people。")
        return None
    year = local_today().year - 1
    cycle_start, cycle_end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    existing = Evaluation.objects.filter(organisation=branch, cycle_start=cycle_start).first()
    if existing is not None:
        stdout.write(f"年终评定：{existing}（{existing.get_status_display()}，已存在，未作更改）")
        return existing
    secretary, reviewer = users["jiguan_secretary"], users["town_reviewer"]
    scheme, _created = Scheme.objects.get_or_create(
        organisation=branch, cycle_start=cycle_start, name="党员积分制管理（日常7：评议3）",
        defaults={"cycle_end": cycle_end},
    )
    version = scheme.current_version() or scheme.revise(preset_key="county-7-3", user=secretary, note="演示")
    scheme.lock()
    rng = random.Random(SEED)
    evaluation = evaluations.open_evaluation(organisation=branch, by=secretary, scheme_version=version)
    members, _excluded = evaluations.evaluated_members(evaluation)
    for index, member in enumerate(members):
        # four quarters of daily-behaviour points; the last member has a poor year
        quarterly = [rng.randint(17, 25) for _ in range(4)] if index < len(members) - 1 else [8, 6, 10, 5]
        for quarter, points in enumerate(quarterly):
            post_entry(organisation=branch, member=member, component="daily", points=Decimal(points),
                       occurred_on=datetime.date(year, quarter * 3 + 2, 15), cycle_start=cycle_start,
                       source="demo", source_ref=f"demo-year-end:{member.pk}:{quarter + 1}",
                       recorded_by=secretary, note="日常行为积分（季度汇总）")
        cast = 20
        excellent = rng.randint(8, 16) if index < len(members) - 1 else 1
        good = rng.randint(0, cast - excellent)
        qualified = cast - excellent - good
        evaluations.record_appraisal(evaluation, member, secretary,
                                  votes={"优秀": excellent, "良好": good, "合格": qualified, "差": 0})
    evaluations.finish_appraisal(evaluation, secretary)
    evaluations.propose_results(evaluation, secretary)
    evaluations.approve_results(evaluation, reviewer, "同意支部评定意见，按规定公示7天。")
    evaluation.refresh_from_db()
    stdout.write(f"年终评定：{evaluation}，{len(members)} 人，{evaluation.get_status_display()}"
                 f"（公示至 {format_cn_date(evaluation.publicity_last_day)}，含当日）")
    return evaluation
