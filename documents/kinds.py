"""The registry of document kinds (DOMAIN.md section 6).

One entry per formal document a workflow step produces. Each entry names its template in
``templates_docx/``, the context keys the template needs (checked at the edge, before
anything is numbered or stored, so a caller learns *which* key is missing instead of
getting a half-empty notice), which keys are dates and lists, and realistic sample data
used by ``render_document --sample``, the layout tests and the benchmark.

The keys ``org_name``, ``issue_date`` and, for numbered kinds, ``doc_number`` are filled
by :func:`documents.services.request_document` from the organisation, the clock and the
number sequence; callers of :func:`documents.rendering.render_document_bytes` pass them.
"""
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

COMMON_KEYS = ("org_name", "issue_date")


@dataclass(frozen=True)
class DocumentKind:
    key: str
    description: str
    template: str
    required: tuple = ()
    #: list-valued keys → keys every row must have
    rows: dict = field(default_factory=dict)
    #: keys holding dates (ISO ``YYYY-MM-DD`` in JSON), validated and shown as ``2025年3月6日``
    dates: tuple = ()
    #: keys restricted to a fixed set of values
    choices: dict = field(default_factory=dict)
    #: carries a 发文字号 allocated per organisation and year
    numbered: bool = False
    #: issued by an organisation as a notice: red banner and red separator
    banner: bool = False
    #: an upward document (请示/报告): 签发人 beside the 发文字号
    upward: bool = False
    sample: dict = field(default_factory=dict)

    @property
    def all_required(self):
        keys = list(COMMON_KEYS)
        if self.numbered:
            keys.append("doc_number")
        keys.extend(k for k in self.required if k not in keys)
        return tuple(keys)


_BRANCH = "中共城关镇东街社区支部委员会"
_HIGHER = "中共城关镇委员会"

KINDS = {}


def _register(kind):
    KINDS[kind.key] = kind
    return kind


_register(DocumentKind(
    key="registration_card",
    description=_("积分登记卡（党员个人积分登记）"),
    template="registration_card.docx",
    required=("member_name", "year", "category", "entries", "total"),
    rows={"entries": ("date", "item", "description", "points", "reviewer")},
    sample={
        "org_name": _BRANCH, "issue_date": "2025-03-06",
        "member_name": "张红梅", "gender": "女", "join_date": "2008年7月1日",
        "category": "在职党员", "year": 2025,
        "entries": [
            {"date": "2025-01-12", "item": "参加组织生活", "description": "参加1月主题党日活动", "points": "2", "reviewer": "李建国"},
            {"date": "2025-02-20", "item": "志愿服务", "description": "春节期间社区防火巡查3次", "points": "3", "reviewer": "李建国"},
            {"date": "2025-03-01", "item": "按时交纳党费", "description": "一季度党费按时交纳", "points": "2", "reviewer": "王芳"},
        ],
        "total": "107",
    },
))

_register(DocumentKind(
    key="summary_table",
    description=_("积分汇总表（季度）"),
    template="summary_table.docx",
    required=("year", "quarter", "rows"),
    rows={"rows": ("name", "base", "bonus", "deduction", "total", "note")},
    sample={
        "org_name": _BRANCH, "issue_date": "2025-04-03", "year": 2025, "quarter": 1,
        "rows": [
            {"name": "张红梅", "base": "10", "bonus": "5", "deduction": "0", "total": "15", "note": ""},
            {"name": "刘志强", "base": "10", "bonus": "2", "deduction": "3", "total": "9", "note": "缺席组织生活1次"},
            {"name": "陈小燕", "base": "8", "bonus": "0", "deduction": "0", "total": "8", "note": "预备党员"},
        ],
    },
))

_register(DocumentKind(
    key="meeting_record",
    description=_("支部会议审核意见/会议纪要"),
    template="meeting_record.docx",
    required=("meeting_date", "location", "chair", "recorder", "attendees", "items", "conclusion"),
    rows={"items": ("name", "matter", "declared", "approved", "decision", "reason")},
    dates=("meeting_date",),
    choices={},
    sample={
        "org_name": _BRANCH, "issue_date": "2025-04-02", "meeting_date": "2025-04-02",
        "location": "社区党群服务中心二楼会议室", "chair": "李建国", "recorder": "王芳",
        "attendees": "李建国、王芳、赵卫东、孙丽", "absentees": "无", "instructor": "周明（党建指导员）",
        "items": [
            {"name": "张红梅", "matter": "春节期间社区防火巡查3次", "declared": "3", "approved": "3", "decision": "通过", "reason": "有巡查记录和照片"},
            {"name": "刘志强", "matter": "参加区级技能竞赛获奖", "declared": "5", "approved": "3", "decision": "调整", "reason": "区级奖项按细则加3分"},
            {"name": "陈小燕", "matter": "自行组织学习", "declared": "2", "approved": "0", "decision": "不予认定", "reason": "无学习记录佐证"},
        ],
        "conclusion": "会议应到委员4人，实到4人，符合规定人数。经逐项审议，同意上述审核意见，报上级党组织审查备案。",
    },
))

_register(DocumentKind(
    key="filing_report",
    description=_("备案报告（报上级党组织审查备案）"),
    template="filing_report.docx",
    required=("higher_org_name", "year", "quarter", "member_count", "declaration_count",
              "approved_count", "adjusted_count", "rejected_count", "signer"),
    numbered=True, banner=True, upward=True,
    sample={
        "org_name": _BRANCH, "issue_date": "2025-04-03", "doc_number": "东街党支〔2025〕3号",
        "higher_org_name": _HIGHER, "year": 2025, "quarter": 1, "member_count": 36,
        "declaration_count": 112, "approved_count": 98, "adjusted_count": 9, "rejected_count": 5,
        "signer": "李建国", "contact_person": "王芳", "contact_phone": "0731-85551234",
    },
))

_register(DocumentKind(
    key="publicity_notice",
    description=_("公示通知（含公示起止日期和公示栏二维码）"),
    template="publicity_notice.docx",
    required=("year", "quarter", "window_start", "window_end", "board_url", "rows",
              "contact_person", "contact_phone"),
    rows={"rows": ("name", "total", "note")},
    dates=("window_start", "window_end"),
    numbered=True, banner=True,
    sample={
        "org_name": _BRANCH, "issue_date": "2025-04-10", "doc_number": "东街党支〔2025〕4号",
        "year": 2025, "quarter": 1, "window_start": "2025-04-10", "window_end": "2025-04-16",
        "board_url": "http://127.0.0.1:8000/public/dongjie/",
        "contact_person": "王芳", "contact_phone": "0731-85551234",
        "rows": [
            {"name": "张红梅", "total": "15", "note": ""},
            {"name": "刘志强", "total": "9", "note": ""},
            {"name": "陈小燕", "total": "8", "note": "预备党员"},
        ],
    },
))

_register(DocumentKind(
    key="objection_receipt",
    description=_("异议受理回执"),
    template="objection_receipt.docx",
    required=("objector_name", "received_date", "subject_name", "reason", "handler", "answer_due_date"),
    dates=("received_date", "answer_due_date"),
    sample={
        "org_name": _BRANCH, "issue_date": "2025-04-12", "objector_name": "赵大伟",
        "received_date": "2025-04-12", "subject_name": "刘志强",
        "reason": "刘志强同志3月份未参加社区志愿服务，但公示积分中含志愿服务加分。",
        "handler": "王芳", "answer_due_date": "2025-04-22", "receipt_no": "YY-2025-007",
    },
))

_register(DocumentKind(
    key="objection_answer",
    description=_("异议处理反馈"),
    template="objection_answer.docx",
    required=("objector_name", "received_date", "subject_name", "reason", "findings", "result"),
    dates=("received_date",),
    numbered=True, banner=True,
    sample={
        "org_name": _BRANCH, "issue_date": "2025-04-18", "doc_number": "东街党支〔2025〕5号",
        "objector_name": "赵大伟", "received_date": "2025-04-12", "subject_name": "刘志强",
        "reason": "刘志强同志3月份未参加社区志愿服务，但公示积分中含志愿服务加分。",
        "findings": "经查阅志愿服务签到记录并询问社区网格员，刘志强同志3月份确未参加志愿服务，相关加分系录入错误。",
        "result": "异议成立。支部委员会决定撤销该项加分2分，刘志强同志一季度积分由9分更正为7分，更正记录已载入积分台账。",
    },
))

_register(DocumentKind(
    key="explanation",
    description=_("情况说明（向上级党组织备案）"),
    template="explanation.docx",
    required=("higher_org_name", "subject", "background", "handling", "outcome", "signer"),
    numbered=True, banner=True, upward=True,
    sample={
        "org_name": _BRANCH, "issue_date": "2025-04-19", "doc_number": "东街党支〔2025〕6号",
        "higher_org_name": _HIGHER, "subject": "2025年第一季度积分公示期间异议处理",
        "background": "2025年4月10日至16日公示期间，我支部收到群众异议1件，反映刘志强同志志愿服务加分不实。",
        "handling": "支部于4月12日受理后，查阅签到记录、询问网格员，4月18日将处理结果书面反馈异议人。",
        "outcome": "异议成立，撤销加分2分，积分更正已记入台账，异议人对处理结果无异议。",
        "signer": "李建国",
    },
))

_register(DocumentKind(
    key="result_notice",
    description=_("年度评定结果通知"),
    template="result_notice.docx",
    required=("member_name", "year", "score", "grade"),
    numbered=True, banner=True,
    choices={"grade": ("优秀", "良好", "合格", "基本合格", "不合格")},
    sample={
        "org_name": _BRANCH, "issue_date": "2026-01-15", "doc_number": "东街党支〔2026〕2号",
        "member_name": "张红梅", "year": 2025, "score": "92.5", "grade": "优秀",
        "remark": "请继续发挥先锋模范作用。",
    },
))

_register(DocumentKind(
    key="commendation",
    description=_("表彰决定（优秀党员）"),
    template="commendation.docx",
    required=("year", "honourees", "honour"),
    rows={"honourees": ("name", "deeds")},
    numbered=True, banner=True,
    sample={
        "org_name": _BRANCH, "issue_date": "2026-01-20", "doc_number": "东街党支〔2026〕3号",
        "year": 2025, "honour": "优秀共产党员",
        "honourees": [
            {"name": "张红梅", "deeds": "年度积分92.5分，带头开展社区防火巡查"},
            {"name": "赵卫东", "deeds": "年度积分91分，组织党员志愿服务队"},
        ],
    },
))

_register(DocumentKind(
    key="talk_notice",
    description=_("谈话提醒/诫勉谈话通知"),
    template="talk_notice.docx",
    required=("member_name", "talk_type", "reason", "talk_time", "place", "talker"),
    dates=(),
    numbered=True, banner=True,
    choices={"talk_type": ("谈话提醒", "诫勉谈话")},
    sample={
        "org_name": _BRANCH, "issue_date": "2026-01-16", "doc_number": "东街党支〔2026〕4号",
        "member_name": "刘志强", "talk_type": "谈话提醒",
        "reason": "你在2025年度党员积分评定中评定等次为基本合格（年度积分68分），主要问题是组织生活缺席2次。",
        "talk_time": "2026年1月20日上午9时", "place": "社区党群服务中心二楼会议室", "talker": "李建国",
    },
))

_register(DocumentKind(
    key="rectification_notice",
    description=_("限期整改通知书"),
    template="rectification_notice.docx",
    required=("member_name", "problems", "deadline", "requirements"),
    rows={"problems": ("text",)},
    dates=("deadline",),
    numbered=True, banner=True,
    sample={
        "org_name": _BRANCH, "issue_date": "2026-01-22", "doc_number": "东街党支〔2026〕5号",
        "member_name": "孙建华", "deadline": "2026-07-22",
        "problems": [
            {"text": "连续4个月无正当理由不参加组织生活"},
            {"text": "2025年度积分55分，低于60分"},
        ],
        "requirements": "请你在整改期限内按时参加组织生活，每月向支部书面报告思想和工作情况。整改期满，支部将根据整改情况作出相应处理。",
    },
))

_register(DocumentKind(
    key="disposal_request",
    description=_("不合格党员处置请示"),
    template="disposal_request.docx",
    required=("higher_org_name", "member_name", "facts", "disposal", "entitled", "present", "votes_for", "signer"),
    numbered=True, banner=True, upward=True,
    choices={"disposal": ("限期改正", "劝其退党", "除名")},
    sample={
        "org_name": _BRANCH, "issue_date": "2026-08-05", "doc_number": "东街党支〔2026〕11号",
        "higher_org_name": _HIGHER, "member_name": "孙建华", "disposal": "劝其退党",
        "facts": "孙建华同志2024、2025年度积分均低于60分，2026年1月22日起限期整改6个月，整改期满仍无明显转变。",
        "entitled": 36, "present": 31, "votes_for": 27, "signer": "李建国",
    },
))

_register(DocumentKind(
    key="disposal_approval",
    description=_("不合格党员处置批复"),
    template="disposal_approval.docx",
    required=("branch_name", "request_number", "member_name", "disposal", "decision_text"),
    numbered=True, banner=True,
    choices={"disposal": ("限期改正", "劝其退党", "除名")},
    sample={
        "org_name": _HIGHER, "issue_date": "2026-08-15", "doc_number": "城关党委〔2026〕21号",
        "branch_name": _BRANCH, "request_number": "东街党支〔2026〕11号", "member_name": "孙建华",
        "disposal": "劝其退党",
        "decision_text": "经研究，同意你支部对孙建华同志作出劝其退党的处置意见。请按规定程序办理，并做好本人思想工作。",
    },
))

_register(DocumentKind(
    key="star_certificate",
    description=_("星级党员证书"),
    template="star_certificate.docx",
    required=("member_name", "year", "stars"),
    choices={"stars": (1, 2, 3, 4, 5)},
    sample={
        "org_name": _BRANCH, "issue_date": "2026-01-20", "member_name": "张红梅", "year": 2025, "stars": 5,
        "certificate_no": "XJ-2025-001",
    },
))

_register(DocumentKind(
    key="household_card",
    description=_("户积分卡"),
    template="household_card.docx",
    required=("household_name", "village", "grid", "entries", "balance"),
    rows={"entries": ("date", "reason", "points", "operator", "balance")},
    sample={
        "org_name": "城关镇东街村村民委员会", "issue_date": "2025-06-30",
        "household_name": "王德顺", "village": "东街村", "grid": "第三网格",
        "entries": [
            {"date": "2025-04-02", "reason": "门前三包保持整洁（月度评比）", "points": "+5", "operator": "网格员 李秀兰", "balance": "105"},
            {"date": "2025-05-11", "reason": "参加村道义务清扫", "points": "+3", "operator": "网格员 李秀兰", "balance": "108"},
            {"date": "2025-06-08", "reason": "积分超市兑换洗衣液2瓶", "points": "-20", "operator": "超市管理员 周强", "balance": "88"},
        ],
        "balance": "88",
    },
))


def get_kind(key):
    """The registered kind, or a ValueError naming the unknown key and the known ones."""
    try:
        return KINDS[key]
    except KeyError:
        raise ValueError(
            str(_("未知的公文类型“%(key)s”。可用类型：%(known)s"))
            % {"key": key, "known": "、".join(sorted(KINDS))}
        ) from None
