"""谈话提醒/诫勉谈话通知: the talk a year-end result calls for."""
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import layout as L
from ..gbt9704 import Builder
from .base import SAMPLE_BRANCH, DocumentKind, in_chinese, year_label
from .result_notice import result_summary

#: ``Disposition.action`` → the talk this notice announces (``appraisals.models.DispositionAction``).
TALK_TYPES = {"talk": "谈话提醒", "admonish": "诫勉谈话"}

SPEC = DocumentKind(
    key="talk_notice",
    description=gettext_lazy("谈话提醒/诫勉谈话通知"),
    template="talk_notice.docx",
    required=("member_name", "talk_type", "reason", "talk_time", "place", "talker"),
    numbered=True, banner=True, signed=True,
    choices={"talk_type": tuple(TALK_TYPES.values())},
    sample={
        "org_name": SAMPLE_BRANCH, "issue_date": "2026-01-16", "doc_number": "东街党支〔2026〕4号",
        "member_name": "刘志强", "talk_type": "谈话提醒",
        "reason": "你在2025年度党员积分评定中，年度积分68分，评定等次基本合格。",
        "talk_time": "2026年1月20日上午9时", "place": "社区党群服务中心二楼会议室", "talker": "李建国",
    },
)


def build_template():
    b = Builder()
    b.banner()
    b.title(["{{ talk_type }}", "通知"])
    b.para(L.STYLE_ADDRESSEE, "{{ member_name }}同志：")
    b.body("{{ reason }}")
    b.body("根据党员积分制管理有关规定和你的年度评定结果，支部决定对你进行{{ talk_type }}。")
    b.body("谈话时间：{{ talk_time }}")
    b.body("谈话地点：{{ place }}")
    b.body("谈话人：{{ talker }}")
    b.body("请准时参加。如有特殊情况，请提前向支部书记说明。")
    b.signature()
    b.imprint()
    return b


@in_chinese
def build_context(disposition, *, talk_time, place, talker):
    """The notice of a talk ``disposition`` (an ``appraisals.Disposition`` whose action is in ``TALK_TYPES``).

    The reason is the member's year-end result; ``talk_time``, ``place`` and ``talker`` are
    what the secretary fixed for the talk (text, as printed).
    """
    return {
        "member_name": disposition.member.name,
        "talk_type": TALK_TYPES[disposition.action],
        "reason": _("你在%(year)s年度党员积分评定中，%(result)s。") % {
            "year": year_label(disposition.evaluation), "result": result_summary(disposition.result)},
        "talk_time": talk_time,
        "place": place,
        "talker": talker,
    }
