"""Demo stage: the town's scheme in force this year (``manage.py load_demo``, after the rounds).

城关镇党委 scores its branches' members under the county's scheme (preset ``county-7-3``, 篇二).
Its daily points follow a list of items (《党员日常行为积分项目》, 附件2) that the source does not
print, so the demo supplies the town's own list: the items its demo declarations already name
(``reviews.demo.EVENTS``) — so a member declaring picks one of them (with its points) from the
scheme instead of typing it, as a grid worker does under the village's scheme.

Built before the rounds (``reviews.demo.build_rounds``): their declarations of this year pick these
items, so the year's ledger is under the scheme's components (``daily``) and a year end of this
year grades the members on it. Idempotent.
"""
import copy
import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model

import scoring_engine
from organisations.models import Organisation
from schemes.models import Scheme

from .demo import EVENTS
from .models import local_today

TOWN = "demo-chengguan"
SCHEME_NAME = "城关镇党员积分制管理"
#: The daily points the town sets at the start of the cycle (篇二 “周期初设定该周期分值”, a number
#: the source leaves to the organisation): the listed items add to it or take from it. Without it
#: (the preset's 0) a year of a few items each would leave everyone far below 60, 不合格.
DAILY_START = 80
#: English labels of the demo's items (the preset's ``[english]`` covers its own words).
ENGLISH = {
    "按时参加“三会一课”": "Attended the “three meetings and one lesson” on time",
    "志愿服务": "Volunteer service",
    "为群众办实事": "Practical help for residents",
    "按时足额交纳党费": "Paid party dues in full and on time",
    "无故缺席组织生活": "Absent from party life without reason",
}


def town_definition():
    """``county-7-3`` with the town's list of daily items (a deduction item takes points off) and the
    daily points it sets at the start of the cycle (:data:`DAILY_START`)."""
    document = copy.deepcopy(scoring_engine.preset_document("county-7-3"))
    document["name"] = SCHEME_NAME
    document["notes"] = [*document.get("notes", []),
                         "演示：附件2（党员日常行为积分项目）原文未附，日常积分条目为城关镇演示自定。",
                         f"演示：城关镇周期初设定日常分值 {DAILY_START} 分，按条目加减。"]
    document["params"]["daily_start"] = {**document["params"]["daily_start"], "default": DAILY_START}
    daily = next(c for c in document["components"] if c["name"] == "daily")
    items, seen = [], set()
    for component, code, label, points, _description, _place in EVENTS:
        if code in seen:
            continue
        seen.add(code)
        value = Decimal(points) * (-1 if component == "deduction" else 1)
        items.append({"key": code, "label": label, "points": str(value)})
    daily["items"] = items
    document["english"] = {**document.get("english", {}), **ENGLISH}
    return document


def build_scheme_in_force(stdout):
    """城关镇党委's scheme for this calendar year, if it has none yet."""
    town = Organisation.objects.filter(code=TOWN).first()
    secretary = get_user_model().objects.filter(username="town_committee").first()
    if town is None:
        stdout.write("积分方案：缺少演示镇，请先运行 members.demo.build_people。")
        return None
    today = local_today()
    scheme, _created = Scheme.objects.get_or_create(
        organisation=town, cycle_start=datetime.date(today.year, 1, 1), name=SCHEME_NAME,
        defaults={"cycle_end": datetime.date(today.year, 12, 31)},
    )
    if scheme.current_version() is None:
        scheme.revise(definition=town_definition(), user=secretary, note="演示：县级方案（日常7：评议3）加镇定日常条目")
    return scheme
