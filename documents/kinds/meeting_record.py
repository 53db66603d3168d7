"""会议纪要: the branch meeting that decided a review round's declarations."""
import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..gbt9704 import Builder
from .base import (
    SAMPLE_BRANCH,
    DocumentKind,
    decided_declarations,
    in_chinese,
    item_label,
    person_name,
    secretary,
    signed_text,
)
from .terms import meeting_name, round_terms

#: ``Declaration.status`` of a refused item (``reviews.models.DeclarationStatus.REJECTED``).
REJECTED = "rejected"

SPEC = DocumentKind(
    key="meeting_record",
    description=gettext_lazy("支部会议审核意见/会议纪要"),
    template="meeting_record.docx",
    required=("period", "meeting_kind", "meeting_date", "location", "chair", "recorder", "attendees", "absentees",
              "items", "conclusion", "signers"),
    rows={"items": ("name", "matter", "declared", "approved", "decision", "reason")},
    dates=("meeting_date",),
    terms=True,
    sample={
        "org_name": SAMPLE_BRANCH, "issue_date": "2025-04-02", "meeting_date": "2025-04-02",
        "period": "2025年第一季度", "meeting_kind": "支委会",
        "location": "社区党群服务中心二楼会议室", "chair": "李建国", "recorder": "王芳",
        "attendees": "李建国、王芳、赵卫东、孙丽", "absentees": "陈明（外出培训，请假）",
        "observers": "周明（党建指导员）、村务监督委员会主任",
        "items": [
            {"name": "张红梅", "matter": "志愿服务：春节期间社区防火巡查3次", "declared": "+3", "approved": "+3",
             "decision": "认定", "reason": "有巡查记录和照片"},
            {"name": "刘志强", "matter": "技能竞赛：参加区级技能竞赛获奖", "declared": "+5", "approved": "+3",
             "decision": "调整认定", "reason": "区级奖项按细则加3分"},
            {"name": "陈小燕", "matter": "无故缺席组织生活：缺席1次主题党日", "declared": "-2", "approved": "-2",
             "decision": "认定", "reason": "签到簿无记录"},
            {"name": "赵卫东", "matter": "学习：自行组织学习", "declared": "+2", "approved": "—",
             "decision": "不予认定", "reason": "无学习记录佐证"},
        ],
        "conclusion": "本次支委会应到5人，实到4人，超过应到人数的一半。经逐项审议，同意上述审核意见，报上级党组织审查备案。",
        "signers": "主持人签字：　　　　记录人签字：　　　　指导员签字：",
    },
)


def build_template():
    b = Builder(form_header=True)
    b.title(["{{ period }}", "{{ terms.points }}", "审核", "{{ meeting_kind }}", "会议纪要"], after_banner=False)
    b.body("会议时间：{{ meeting_date|cn_date }}")
    b.body("会议地点：{{ location }}")
    b.body("主持人：{{ chair }}　　记录人：{{ recorder }}")
    b.body("出席人员：{{ attendees }}")
    b.body("缺席人员：{{ absentees }}")
    b.body("列席人员：{{ observers|default('无', true) }}")
    b.heading(1, "一、审核事项")
    b.table(["{{ terms.name_header }}", "积分事项", "申报分值", "认定分值", "审核意见", "理由"],
            ["{{ i.name }}", "{{ i.matter }}", "{{ i.declared }}", "{{ i.approved }}",
             "{{ i.decision }}", "{{ i.reason }}"],
            [18, 48, 21, 21, 21, 27], loop="i in items")
    b.heading(1, "二、会议结论")
    b.body("{{ conclusion }}")
    b.body("{{ signers }}")
    b.verification()
    return b


def _absentees(meeting):
    if meeting.absentee_names:
        return meeting.absentee_names
    missing = meeting.entitled_count - meeting.attendee_count
    return _("无") if missing <= 0 else _("%(n)s人（姓名未记录）") % {"n": missing}


def attendees_with_chair(meeting, chair):
    """出席人员 as recorded, the chair recorded (``chair``) first when the record's names leave
    them out: whoever chaired the meeting attended it. A chair not on record (the minutes then
    name the secretary as 主持人) is not added to who attended. Without names, how many attended."""
    names = meeting.attendee_names.strip()
    if not names:
        return _("%(n)s人（姓名未记录）") % {"n": meeting.attendee_count}
    listed = [n.strip() for n in re.split(r"[、，,；;]", names)]
    if chair and not any(n == chair or n.startswith(chair + "（") for n in listed):
        return f"{chair}、{names}"
    return names


@in_chinese
def build_context(meeting, *, signed_points):
    """The minutes of ``meeting`` (a ``reviews.BranchMeeting``) and the decisions on its round.

    * the meeting as recorded: kind (支委会 or 支部党员大会; in a village 村两委会 or 村党员大会,
      :func:`~documents.kinds.terms.meeting_name`), date, place, chair (else the
      branch secretary), minute taker, who attended (the chair among them: :func:`attendees_with_chair`)
      and who was absent, by name;
    * 列席人员: the 党建指导员 who signs, if any, and the observers recorded;
    * items: the round's decided declarations in the order they occurred, each with its rule
      item; ``signed_points(declaration, points)`` (the review chain's rule) gives the sign a
      value moves the member's total by, so a deduction prints ``-2``; a refused item's
      认定分值 is ``—``.
    """
    rr = meeting.review_round
    organisation = rr.organisation
    terms = round_terms(rr)
    kind = meeting_name(meeting, terms)
    guide = meeting.guide_signatory
    chair = meeting.chair or person_name(secretary(organisation) or rr.opened_by)
    items = []
    for d in decided_declarations(rr):
        items.append({
            "name": d.member.name,
            "matter": f"{item_label(d)}：{d.description[:80]}",
            "declared": signed_text(signed_points(d, d.points)),
            "approved": "—" if d.status == REJECTED else signed_text(signed_points(d, d.decided_points)),
            "decision": d.get_status_display(),
            "reason": d.decision_reason,
        })
    signers = [_("主持人签字："), _("记录人签字：")] + ([_("指导员签字：")] if guide else [])
    return {
        "terms": terms,
        "period": rr.period_label,
        "meeting_kind": kind,
        "meeting_date": meeting.held_on.isoformat(),
        "location": meeting.place or _("（未记录）"),
        "chair": chair,
        "recorder": meeting.minute_taker,
        "attendees": attendees_with_chair(meeting, meeting.chair),
        "absentees": _absentees(meeting),
        "observers": "、".join(p for p in (guide, meeting.observers) if p),
        "items": items,
        "conclusion": _("本次%(kind)s应到%(e)s人，实到%(a)s人，超过应到人数的一半。经逐项审议，同意上述审核意见，报%(higher)s审查备案。")
        % {"kind": kind, "e": meeting.entitled_count, "a": meeting.attendee_count, "higher": terms["higher"]},
        "signers": "　　　　".join(signers),
    }
