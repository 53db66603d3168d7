"""积分登记卡: one member's scores of one cycle, as recorded in the ledger."""
from django.utils.translation import gettext_lazy as _

from ..gbt9704 import Builder
from members.models import MemberKind

from .base import SAMPLE_BRANCH, DocumentKind, cn_day, person_name, plain_points
from .terms import terms_for

SPEC = DocumentKind(
    key="registration_card",
    description=_("积分登记卡（党员个人积分登记）"),
    name=_("积分登记卡"),
    template="registration_card.docx",
    required=("member_name", "year", "category", "entries", "total"),
    rows={"entries": ("date", "item", "description", "points", "reviewer")},
    terms=True,
    sample={
        "org_name": SAMPLE_BRANCH, "issue_date": "2025-03-06",
        "member_name": "张红梅", "gender": "女", "join_date": "2008年7月1日",
        "category": "在职党员", "year": 2025,
        "entries": [
            {"date": "2025-01-12", "item": "参加组织生活", "description": "参加1月主题党日活动", "points": "2", "reviewer": "李建国"},
            {"date": "2025-02-20", "item": "志愿服务", "description": "春节期间社区防火巡查3次", "points": "3", "reviewer": "李建国"},
            {"date": "2025-03-01", "item": "按时交纳党费", "description": "一季度党费按时交纳", "points": "2", "reviewer": "王芳"},
        ],
        "total": "107",
    },
)


def build_template():
    b = Builder(form_header=True)
    b.title("{{ year }}年度{{ terms.points }}登记卡", after_banner=False)
    b.table(
        ["{{ terms.name_header }}", "性别", "{{ detail_label|default('入党时间', true) }}", "类别"],
        ["{{ member_name }}", "{{ gender|default('', true) }}",
         "{{ detail|default(join_date|default('', true), true) }}", "{{ category }}"],
        [36, 30, 45, 45],
    )
    b.figure("")
    b.table(["日期", "积分项目", "事由", "分值", "审核人"],
            ["{{ e.date|cn_date }}", "{{ e.item }}", "{{ e.description }}", "{{ e.points|points }}", "{{ e.reviewer }}"],
            [42, 28, 46, 16, 24], loop="e in entries")
    b.body("年度累计积分：{{ total|points }}分。")
    b.body("所在组织：{{ org_name }}")
    b.body("登记日期：{{ issue_date|cn_date }}")
    b.verification()
    return b


def build_context(member, cycle_start, *, component_labels=None):
    """The card of ``member`` (a ``members.Member``) for the cycle starting ``cycle_start`` (a date).

    Reads the member's ledger entries of that cycle (``member.ledger_entries``, corrections
    included, in the order they occurred); the total is their sum, as the ledger's balance is.
    ``component_labels`` (``{component name: label}``, from the scheme in force) prints each
    entry's 积分项目 as the scheme names it (``基础积分``, not ``base``). A household's card
    is a 户积分登记卡 naming its 户主 and 家庭人口 (:mod:`.terms`), a party member's a
    党员积分登记卡 with the day they joined.
    """
    labels = component_labels or {}
    household = member.kind == MemberKind.HOUSEHOLD
    entries = list(
        member.ledger_entries.filter(cycle_start=cycle_start).select_related("recorded_by").order_by("occurred_on", "seq")
    )
    return {
        "terms": terms_for(member.organisation, [member]),
        # a party member's card gives the day they joined; a household's, how many live in it
        "detail_label": "家庭人口" if household else "入党时间",
        "detail": (f"{member.household_size}人" if member.household_size else "") if household
        else cn_day(member.joined_on),
        "member_name": member.name,
        "gender": member.get_gender_display() if member.gender else "",
        "join_date": cn_day(member.joined_on),
        "category": member.category.name if member.category_id else member.get_kind_display(),
        "year": cycle_start.year,
        "entries": [
            {
                "date": e.occurred_on.isoformat(),
                "item": labels.get(e.component, e.component),
                "description": e.note or e.get_kind_display(),
                "points": plain_points(e.points),
                "reviewer": person_name(e.recorded_by),
            }
            for e in entries
        ],
        "total": plain_points(sum((e.points for e in entries), 0)),
    }
