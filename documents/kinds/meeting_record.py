"""会议纪要: the branch meeting that decided a review round's declarations."""
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..gbt9704 import Builder
from .base import SAMPLE_BRANCH, DocumentKind, decided_declarations, person_name, secretary, signed_text

SPEC = DocumentKind(
    key="meeting_record",
    description=gettext_lazy("支部会议审核意见/会议纪要"),
    template="meeting_record.docx",
    required=("meeting_date", "location", "chair", "recorder", "attendees", "items", "conclusion"),
    rows={"items": ("name", "matter", "declared", "approved", "decision", "reason")},
    dates=("meeting_date",),
    choices={},
    sample={
        "org_name": SAMPLE_BRANCH, "issue_date": "2025-04-02", "meeting_date": "2025-04-02",
        "location": "社区党群服务中心二楼会议室", "chair": "李建国", "recorder": "王芳",
        "attendees": "李建国、王芳、赵卫东、孙丽", "absentees": "无", "instructor": "周明（党建指导员）",
        "observers": "周明（党建指导员）、村务监督委员会主任",
        "items": [
            {"name": "张红梅", "matter": "春节期间社区防火巡查3次", "declared": "3", "approved": "3", "decision": "通过", "reason": "有巡查记录和照片"},
            {"name": "刘志强", "matter": "参加区级技能竞赛获奖", "declared": "5", "approved": "3", "decision": "调整", "reason": "区级奖项按细则加3分"},
            {"name": "陈小燕", "matter": "自行组织学习", "declared": "2", "approved": "0", "decision": "不予认定", "reason": "无学习记录佐证"},
        ],
        "conclusion": "会议应到委员4人，实到4人，符合规定人数。经逐项审议，同意上述审核意见，报上级党组织审查备案。",
    },
)


def build_template():
    b = Builder(form_header=True)
    b.title("党员积分审核会议纪要", after_banner=False)
    b.body("会议时间：{{ meeting_date|cn_date }}")
    b.body("会议地点：{{ location }}")
    b.body("主持人：{{ chair }}　　记录人：{{ recorder }}")
    b.body("出席人员：{{ attendees }}")
    b.body("缺席人员：{{ absentees|default('无', true) }}")
    b.body("列席人员：{{ observers|default('无', true) }}")
    b.heading(1, "一、审核事项")
    b.table(["姓名", "申报事项", "申报分值", "认定分值", "审核意见", "理由"],
            ["{{ i.name }}", "{{ i.matter }}", "{{ i.declared|points }}", "{{ i.approved|points }}",
             "{{ i.decision }}", "{{ i.reason }}"],
            [20, 42, 18, 18, 20, 38], loop="i in items")
    b.heading(1, "二、会议结论")
    b.body("{{ conclusion }}")
    b.body("主持人签字：　　　　记录人签字：　　　　指导员签字：")
    return b


def build_context(meeting):
    """The minutes of ``meeting`` (a ``reviews.BranchMeeting``) and the decisions on its round.

    Items are the round's decided declarations (approved, adjusted or rejected), in the
    order they occurred. The chair is the branch secretary (else whoever opened the round).
    列席人员 (``observers``) are the 党建指导员 who signs, if any, and the observers recorded
    (村民代表, 村务监督委员会…).
    """
    rr = meeting.review_round
    organisation = rr.organisation
    return {
        "meeting_date": meeting.held_on.isoformat(),
        "location": organisation.name,
        "chair": person_name(secretary(organisation) or rr.opened_by),
        "recorder": meeting.minute_taker,
        "attendees": meeting.attendee_names or f"{meeting.attendee_count}人",
        "absentees": f"{meeting.entitled_count - meeting.attendee_count}人",
        "instructor": meeting.guide_signatory,
        "observers": "、".join(p for p in (meeting.guide_signatory, meeting.observers) if p),
        "items": [
            {
                "name": d.member.name,
                "matter": d.description[:100],
                "declared": signed_text(d.points),
                "approved": signed_text(d.decided_points),
                "decision": d.get_status_display(),
                "reason": d.decision_reason,
            }
            for d in decided_declarations(rr)
        ],
        "conclusion": _("本次%(kind)s应到%(e)s人，实到%(a)s人，超过应到人数的一半。经逐项审议，同意上述审核意见，报上级党组织审查备案。")
        % {"kind": meeting.get_kind_display(), "e": meeting.entitled_count, "a": meeting.attendee_count},
    }
