"""Demo people: a realistic county for ``manage.py load_demo``.

某县委组织部 → 城关镇党委 → 3 个党总支 → 12 个党支部 with about 150 members across the
categories (在职, 农村, 流动, 离退休, 村干部, 无职), a few exclusions (不纳入) and transfers,
the village 青石村 with 3 grids and 60 households, and one login for each role.

Everything is generated from a fixed seed and keyed on stable values (organisation
codes, ID numbers, usernames), so running the stage twice changes nothing. Dates that
must stay "recent" (a transfer less than six months ago, probationary members) are
computed from today only when the row is first created.
"""
import datetime
import random

from django.contrib.auth import get_user_model
from django.db import transaction

from organisations.models import Organisation, OrganisationKind, Role, RoleKind
from workdays.clock import local_today

from .categories import ensure_standard_categories
from .idcard import check_digit
from .models import (
    Exclusion,
    ExclusionReason,
    Gender,
    Member,
    MemberCategory,
    MemberKind,
    Transfer,
    TransferDirection,
)

#: Every demo login uses this password (documented in the README; demo data only).
DEMO_PASSWORD = "jifen2025"
SEED = 20250701
#: A county-level region code for the synthetic ID numbers (not real people).
REGION = "430521"

K = OrganisationKind
ORGANISATIONS = [
    # code, name, kind, parent code, short name (发文机关代字)
    ("demo-county", "某县委组织部", K.COMMITTEE, None, "县组"),
    ("demo-chengguan", "城关镇党委", K.COMMITTEE, "demo-county", "城关党委"),
    ("demo-jiguan", "城关镇机关党总支", K.GENERAL_BRANCH, "demo-chengguan", "机关总支"),
    ("demo-shequ", "城关镇社区党总支", K.GENERAL_BRANCH, "demo-chengguan", "社区总支"),
    ("demo-nongcun", "城关镇农村党总支", K.GENERAL_BRANCH, "demo-chengguan", "农村总支"),
    ("demo-zhengfu", "镇政府机关党支部", K.BRANCH, "demo-jiguan", "机关支部"),
    ("demo-xuexiao", "镇中心学校党支部", K.BRANCH, "demo-jiguan", "中校支部"),
    ("demo-weisheng", "镇卫生院党支部", K.BRANCH, "demo-jiguan", "卫院支部"),
    ("demo-lituixiu", "离退休干部党支部", K.BRANCH, "demo-jiguan", "离退支部"),
    ("demo-dongjie", "东街社区党支部", K.BRANCH, "demo-shequ", "东街支部"),
    ("demo-xijie", "西街社区党支部", K.BRANCH, "demo-shequ", "西街支部"),
    ("demo-nanguan", "南关社区党支部", K.BRANCH, "demo-shequ", "南关支部"),
    ("demo-liudong", "流动党员党支部", K.BRANCH, "demo-shequ", "流动支部"),
    ("demo-qingshi", "青石村党支部", K.BRANCH, "demo-nongcun", "青石支部"),
    ("demo-liulin", "柳林村党支部", K.BRANCH, "demo-nongcun", "柳林支部"),
    ("demo-taoyuan", "桃园村党支部", K.BRANCH, "demo-nongcun", "桃园支部"),
    ("demo-hewan", "河湾村党支部", K.BRANCH, "demo-nongcun", "河湾支部"),
    ("demo-qingshi-cun", "青石村", K.VILLAGE, "demo-chengguan", "青石村"),
    ("demo-qingshi-g1", "青石村第一网格", K.GRID, "demo-qingshi-cun", ""),
    ("demo-qingshi-g2", "青石村第二网格", K.GRID, "demo-qingshi-cun", ""),
    ("demo-qingshi-g3", "青石村第三网格", K.GRID, "demo-qingshi-cun", ""),
]

#: branch code → (number of members, [(category code, share)], birth-year range)
BRANCH_PEOPLE = {
    "demo-zhengfu": (13, [("in_service", 1)], (1966, 1998)),
    "demo-xuexiao": (13, [("in_service", 1)], (1968, 1999)),
    "demo-weisheng": (12, [("in_service", 1)], (1967, 1998)),
    "demo-lituixiu": (12, [("retired", 1)], (1938, 1964)),
    "demo-dongjie": (13, [("in_service", 6), ("retired", 5), ("mobile", 2)], (1945, 1998)),
    "demo-xijie": (13, [("in_service", 6), ("retired", 5), ("mobile", 2)], (1945, 1998)),
    "demo-nanguan": (12, [("in_service", 5), ("retired", 5), ("mobile", 2)], (1945, 1998)),
    "demo-liudong": (12, [("mobile", 1)], (1972, 2000)),
    "demo-qingshi": (13, [("village_cadre", 3), ("no_post", 8), ("mobile", 2)], (1950, 1995)),
    "demo-liulin": (13, [("village_cadre", 3), ("rural", 10)], (1950, 1995)),
    "demo-taoyuan": (12, [("village_cadre", 3), ("rural", 9)], (1950, 1995)),
    "demo-hewan": (12, [("village_cadre", 3), ("no_post", 7), ("mobile", 2)], (1950, 1995)),
}
HOUSEHOLDS_PER_GRID = 20

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万覃武戴莫孔向汤"
)
MALE_OLD = ["建国", "建华", "国强", "国庆", "志刚", "德明", "永福", "长青", "卫东", "福生", "玉华", "振华", "文革",
            "桂林", "宝山", "守信", "金生", "树林", "水生", "解放", "继红", "跃进", "庆丰", "洪亮"]
MALE_NEW = ["伟", "磊", "军", "勇", "涛", "斌", "鹏", "超", "浩", "杰", "俊杰", "志强", "海涛", "文斌", "晓东",
            "子轩", "浩然", "宇航", "家豪", "明辉", "立新", "国栋", "少华", "嘉诚", "思远", "振宇"]
FEMALE_OLD = ["秀英", "桂英", "玉兰", "秀兰", "凤英", "淑珍", "春花", "桂兰", "翠英", "金凤", "素梅", "玉珍",
              "冬梅", "爱华", "红英", "美玲"]
FEMALE_NEW = ["丽", "静", "敏", "艳", "娟", "霞", "燕", "芳", "慧", "婷", "雪梅", "春梅", "晓燕", "丹", "欣怡",
              "雨涵", "梓萱", "佳怡", "思琪", "海燕", "晓琳", "文静", "丽娜", "玉婷"]

#: username, Chinese name, role kind (None = member login), organisation code, note
STAFF_USERS = [
    ("county_reviewer", "孙立平", RoleKind.REVIEWER, "demo-county", "县委组织部审查人"),
    ("town_reviewer", "高明远", RoleKind.REVIEWER, "demo-chengguan", "镇党委审查备案"),
    ("town_committee", "何秀芳", RoleKind.COMMITTEE_MEMBER, "demo-chengguan", "镇党委组织委员，看全镇"),
    ("town_clerk", "罗晓燕", RoleKind.CLERK, "demo-chengguan", "镇党务专干"),
    ("jiguan_secretary", "邓志刚", RoleKind.SECRETARY, "demo-jiguan", "机关党总支书记"),
    ("dongjie_secretary", "梁红梅", RoleKind.SECRETARY, "demo-dongjie", "东街社区党支部书记"),
    ("dongjie_committee", "宋国栋", RoleKind.COMMITTEE_MEMBER, "demo-dongjie", "东街社区组织委员"),
    ("dongjie_clerk", "唐丽娜", RoleKind.CLERK, "demo-dongjie", "东街社区专人记分"),
    ("xijie_secretary", "韩立新", RoleKind.SECRETARY, "demo-xijie", "西街社区党支部书记"),
    ("qingshi_secretary", "冯长青", RoleKind.SECRETARY, "demo-qingshi", "青石村党支部书记"),
    ("qingshi_secretary", "冯长青", RoleKind.SECRETARY, "demo-qingshi-cun", "兼管青石村农户积分"),
    ("qingshi_clerk", "曹文静", RoleKind.CLERK, "demo-qingshi", "青石村专人记分"),
    ("grid1_worker", "彭永福", RoleKind.GRID_WORKER, "demo-qingshi-g1", "第一网格网格员"),
    ("grid2_worker", "曾春花", RoleKind.GRID_WORKER, "demo-qingshi-g2", "第二网格网格员"),
    ("grid3_worker", "肖宝山", RoleKind.GRID_WORKER, "demo-qingshi-g3", "第三网格网格员"),
    ("qingshi_cashier", "周强", RoleKind.CASHIER, "demo-qingshi-cun", "青石村积分超市兑换员"),
]
#: The branch secretaries' own member records (username → branch, gender, birth, 入党日期): a secretary
#: is a full member of the branch, ticked present at its 党员大会 and named as chair in its minutes.
SECRETARY_MEMBERS = {
    "dongjie_secretary": ("demo-dongjie", Gender.FEMALE, datetime.date(1971, 3, 12), datetime.date(1996, 7, 1)),
    "xijie_secretary": ("demo-xijie", Gender.MALE, datetime.date(1975, 9, 3), datetime.date(2001, 6, 20)),
    "qingshi_secretary": ("demo-qingshi", Gender.MALE, datetime.date(1964, 11, 26), datetime.date(1988, 5, 4)),
}
#: The branch committee members' own member records (username → as :data:`SECRETARY_MEMBERS`): a
#: committee member is a full member of the branch, on its roll for a 党员大会 as for a 支委会.
COMMITTEE_MEMBERS = {
    "dongjie_committee": ("demo-dongjie", Gender.MALE, datetime.date(1979, 4, 18), datetime.date(2006, 7, 1)),
}
#: username → (branch code, index of the member in that branch) for member logins.
MEMBER_USERS = {
    "member_dongjie": ("demo-dongjie", 0),
    "member_xuexiao": ("demo-xuexiao", 1),
    "member_qingshi": ("demo-qingshi", 4),
    "member_liudong": ("demo-liudong", 2),
}


class _Names:
    def __init__(self, rng):
        self.rng = rng
        self.used = {name for _u, name, *_ in STAFF_USERS}

    def make(self, gender, birth_year):
        old = birth_year < 1970
        pool = (MALE_OLD if old else MALE_NEW) if gender == Gender.MALE else (FEMALE_OLD if old else FEMALE_NEW)
        for _ in range(200):
            name = self.rng.choice(SURNAMES) + self.rng.choice(pool)
            if name not in self.used:
                self.used.add(name)
                return name
        raise RuntimeError("demo name pool exhausted")


def _id_number(birth, serial, gender):
    serial = serial * 2 + (1 if gender == Gender.MALE else 0)  # odd = male
    first17 = f"{REGION}{birth:%Y%m%d}{serial % 1000:03d}"
    return first17 + check_digit(first17)


def _birth(rng, years):
    start = datetime.date(years[0], 1, 1)
    end = datetime.date(years[1], 12, 31)
    return start + datetime.timedelta(days=rng.randrange((end - start).days))


def _plan_members(rng, names, today):
    """The members to create, per branch, in a fixed order (independent of the database)."""
    plan = {}
    serial = 0
    for code, (count, shares, years) in BRANCH_PEOPLE.items():
        pool = [cat for cat, n in shares for _ in range(n)] if len(shares) > 1 else [shares[0][0]] * count
        people = []
        for i in range(count):
            category = pool[i % len(pool)]
            if category == "retired":
                birth_years = (min(years[0], 1940), 1962)
            elif category == "mobile":
                birth_years = (1975, 1999)
            else:
                birth_years = (max(years[0], 1967) if category == "in_service" else years[0], years[1])
            gender = Gender.MALE if rng.random() < (0.62 if category in ("village_cadre", "retired") else 0.52) else Gender.FEMALE
            born = _birth(rng, birth_years)
            serial += 1
            # One probationary member and, in some branches, one activist.
            kind = MemberKind.PARTY_MEMBER
            if i == count - 1 and category not in ("retired",):
                kind = MemberKind.PROBATIONARY
            elif i == count - 2 and code in ("demo-xuexiao", "demo-dongjie", "demo-qingshi", "demo-liulin", "demo-zhengfu", "demo-nanguan"):
                kind = MemberKind.ACTIVIST
            earliest_join = born.replace(year=born.year + 20) if not (born.month == 2 and born.day == 29) else datetime.date(born.year + 20, 3, 1)
            join_offset = rng.randrange(30, 360)
            if kind == MemberKind.PROBATIONARY:
                joined = today - datetime.timedelta(days=join_offset)  # within the last year
            elif kind == MemberKind.ACTIVIST:
                joined = None
            else:
                latest = today - datetime.timedelta(days=800)
                span = max((latest - earliest_join).days, 1)
                # One rng.random() draw whatever the span: later draws must not depend on today.
                joined = earliest_join + datetime.timedelta(days=int(rng.random() * span))
            people.append({
                "name": names.make(gender, born.year),
                "gender": gender,
                "birth_date": born,
                "id_number": _id_number(born, serial, gender),
                "joined_on": joined,
                "kind": kind,
                "category": category,
                "phone": f"1{rng.choice('3589')}{rng.randrange(0, 10)}{rng.randrange(10**7, 10**8)}",
            })
        plan[code] = people
    return plan


def _plan_households(rng, names):
    plan = {}
    for g in (1, 2, 3):
        rows = []
        for _ in range(HOUSEHOLDS_PER_GRID):
            gender = Gender.MALE if rng.random() < 0.8 else Gender.FEMALE
            year = rng.randrange(1945, 1990)
            rows.append({"name": names.make(gender, year), "gender": gender,
                         "household_size": rng.choice([1, 2, 2, 3, 3, 4, 4, 4, 5, 5, 6]),
                         "phone": f"13{rng.randrange(0, 10)}{rng.randrange(10**7, 10**8)}"})
        plan[f"demo-qingshi-g{g}"] = rows
    return plan


class Stats:
    def __init__(self):
        self.created = {}

    def add(self, label, created):
        if created:
            self.created[label] = self.created.get(label, 0) + 1


def build_people(stdout):
    """The demo stage for organisations, members, exclusions, transfers and users."""
    today = local_today()
    rng = random.Random(SEED)
    names = _Names(rng)
    member_plan = _plan_members(rng, names, today)
    household_plan = _plan_households(rng, names)
    stats = Stats()

    with transaction.atomic():
        ensure_standard_categories(MemberCategory)
        categories = {c.code: c for c in MemberCategory.objects.all()}
        orgs = {}
        for code, name, kind, parent, short in ORGANISATIONS:
            org, created = Organisation.objects.get_or_create(
                code=code, defaults={"name": name, "kind": kind, "parent": orgs.get(parent), "short_name": short})
            orgs[code] = org
            stats.add("组织", created)

        members = {}
        for code, people in member_plan.items():
            members[code] = []
            for p in people:
                m, created = Member.objects.get_or_create(
                    id_number=p["id_number"],
                    defaults={**p, "category": categories[p["category"]], "organisation": orgs[code]},
                )
                members[code].append(m)
                stats.add("成员", created)
        for code, rows in household_plan.items():
            for h in rows:
                m, created = Member.objects.get_or_create(
                    organisation=orgs[code], name=h["name"], kind=MemberKind.HOUSEHOLD,
                    defaults={"gender": h["gender"], "household_size": h["household_size"], "phone": h["phone"]},
                )
                stats.add("农户", created)

        users = _build_users(orgs, members, stats)
        _build_exclusions(members, users["town_reviewer"], today, stats)
        _build_transfers(orgs, members, users["dongjie_secretary"], today, stats)

    summary = "，".join(f"{k}{v}" for k, v in stats.created.items()) or "无（演示数据已存在，未作任何更改）"
    stdout.write(f"人员与组织：新建 {summary}。")
    stdout.write(users_table())
    return stats


def _build_users(orgs, members, stats):
    User = get_user_model()
    users = {}

    def account(username, full_name, **extra):
        user, created = User.objects.get_or_create(username=username, defaults={"first_name": full_name, **extra})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        stats.add("账号", created)
        return user

    users["admin"] = account("admin", "系统管理员", is_staff=True, is_superuser=True)
    for username, full_name, kind, code, _note in STAFF_USERS:
        user = users.get(username) or account(username, full_name)
        users[username] = user
        _role, created = Role.objects.get_or_create(user=user, organisation=orgs[code], kind=kind)
        stats.add("角色", created)
    _build_secretary_members(orgs, users, stats)
    _build_committees(orgs, members, users, account, stats)
    for username, (code, index) in MEMBER_USERS.items():
        member = members[code][index]
        user = account(username, member.name)
        users[username] = user
        if member.user_id is None and not Member.objects.filter(user=user).exists():
            member.user = user
            member.save(update_fields=["user"])
    return users


def _build_secretary_members(orgs, users, stats):
    """Each branch secretary of :data:`SECRETARY_MEMBERS` and committee member of
    :data:`COMMITTEE_MEMBERS` gets a member record in the branch, linked to their login (a village
    cadre, a full member), unless their login already has one."""
    category = MemberCategory.objects.get(code="village_cadre")
    cadres = {**SECRETARY_MEMBERS, **COMMITTEE_MEMBERS}
    for serial, (username, (code, gender, born, joined)) in enumerate(cadres.items(), start=450):
        user = users[username]
        _member, created = Member.objects.get_or_create(user=user, defaults={
            "organisation": orgs[code], "name": user.first_name, "kind": MemberKind.PARTY_MEMBER,
            "category": category, "gender": gender, "birth_date": born, "joined_on": joined,
            "id_number": _id_number(born, serial, gender),
        })
        stats.add("成员", created)


#: The branches (and the village) whose demo rounds are reviewed at a 支委会: each has a committee of
#: three on record (reviews.services.quorum), topped up from the first members on its roll.
COMMITTEE_BRANCHES = ("demo-zhengfu", "demo-dongjie", "demo-qingshi", "demo-qingshi-cun")


def _build_committees(orgs, members, users, account, stats):
    for code in COMMITTEE_BRANCHES:
        held = set(Role.objects.filter(organisation=orgs[code], kind__in=(RoleKind.SECRETARY, RoleKind.COMMITTEE_MEMBER))
                   .values_list("user_id", flat=True))
        roll = members.get(code) or members.get("demo-qingshi") or []
        logins = {i for c, i in MEMBER_USERS.values() if members.get(c) is roll}
        # not a member who has a member login of their own (member_dongjie): one login per record
        for index, member in enumerate([m for i, m in enumerate(roll[:3 + len(logins)]) if i not in logins]):
            if len(held) >= 3:
                break
            username = f"{code[len('demo-'):].replace('-', '_')}_committee{index + 1}"
            user = users.get(username) or account(username, member.name)
            users[username] = user
            _role, created = Role.objects.get_or_create(user=user, organisation=orgs[code],
                                                        kind=RoleKind.COMMITTEE_MEMBER)
            stats.add("角色", created)
            held.add(user.pk)
            # the same person on both rolls: the 支委会's (this login) and the 党员大会's (this record)
            if (member.user_id is None and member.organisation_id == orgs[code].pk
                    and not Member.objects.filter(user=user).exists()):
                member.user = user
                member.save(update_fields=["user"])


def _build_exclusions(members, approver, today, stats):
    """不纳入: three members over 70 (approved), one long-term sick (approved), one abroad (pending)."""
    retired = sorted(members["demo-lituixiu"], key=lambda m: m.birth_date)
    over_70 = [m for m in retired if m.birth_date.replace(year=m.birth_date.year + 70) <= today
               or (m.birth_date.month == 2 and m.birth_date.day == 29)][:3]
    year_start = datetime.date(today.year, 1, 1)
    specs = [(m, ExclusionReason.AGE_70, "", True) for m in over_70]
    specs.append((members["demo-nanguan"][3], ExclusionReason.LONG_TERM_SICK, "脑梗后长期住院治疗", True))
    specs.append((members["demo-liudong"][5], ExclusionReason.ABROAD, "自费赴新加坡务工，预计两年", False))
    for member, reason, detail, approved in specs:
        _e, created = Exclusion.objects.get_or_create(
            member=member, reason=reason,
            defaults={
                "reason_detail": detail,
                "decided_on": year_start + datetime.timedelta(days=9),
                "start_date": year_start,
                "approved_on": year_start + datetime.timedelta(days=19) if approved else None,
                "approved_by": approver if approved else None,
            },
        )
        stats.add("不纳入", created)


def _build_transfers(orgs, members, recorder, today, stats):
    """组织关系转接: one in from outside two months ago (not yet eligible for commendation),
    one within the town a year ago, one out (no longer on the roll)."""
    newcomer = members["demo-dongjie"][5]
    moved = members["demo-xijie"][2]
    leaver = members["demo-nanguan"][6]
    specs = [
        (newcomer, TransferDirection.IN, None, orgs["demo-dongjie"], "某市开发区工委机关党支部",
         today - datetime.timedelta(days=60), "工作调动转入"),
        (moved, TransferDirection.WITHIN, orgs["demo-dongjie"], orgs["demo-xijie"], "",
         today - datetime.timedelta(days=365), "居住地变更"),
        (leaver, TransferDirection.OUT, orgs["demo-nanguan"], None, "某省某市某区某街道党工委",
         today - datetime.timedelta(days=45), "随子女迁居外省"),
    ]
    for member, direction, src, dst, external, date, note in specs:
        _t, created = Transfer.objects.get_or_create(
            member=member, direction=direction,
            defaults={"from_organisation": src, "to_organisation": dst, "external_party": external,
                      "date": date, "note": note, "recorded_by": recorder},
        )
        stats.add("转接", created)
        if created and direction == TransferDirection.OUT and member.is_active:
            member.is_active = False
            member.save(update_fields=["is_active"])


def demo_users():
    """(username, password, role, organisation, note) for the printed table and the README."""
    names = {code: name for code, name, *_ in ORGANISATIONS}
    rows = [("admin", DEMO_PASSWORD, "超级管理员（/admin/）", "全部", "可看完整身份证号")]
    for username, _full, kind, code, note in STAFF_USERS:
        rows.append((username, DEMO_PASSWORD, str(RoleKind(kind).label), names[code], note))
    for username, (code, _index) in MEMBER_USERS.items():
        rows.append((username, DEMO_PASSWORD, "党员本人", names[code], "看自己的档案和积分"))
    return rows


def users_table():
    lines = ["", "演示账号（所有密码相同，仅用于演示）：", "",
             "| 用户名 | 密码 | 角色 | 组织 | 说明 |", "|---|---|---|---|---|"]
    lines += [f"| {u} | {p} | {r} | {o} | {n} |" for u, p, r, o, n in demo_users()]
    return "\n".join(lines) + "\n"
