"""备案报告: the branch reports a review round's decisions to the committee that files them."""
from django.apps import apps
from django.utils.translation import gettext_lazy as _

from workdays.clock import local_day

from .. import layout as L
from ..gbt9704 import Builder
from .base import (
    SAMPLE_BRANCH,
    SAMPLE_HIGHER,
    DocumentKind,
    contact,
    contact_text,
    decided_declarations,
)
from .terms import meeting_name, round_terms, subject_count

#: ``Declaration.status`` values counted in the report (those of ``reviews.models.DeclarationStatus``).
APPROVED, ADJUSTED, REJECTED = "approved", "adjusted", "rejected"

SPEC = DocumentKind(
    key="filing_report",
    description=_("备案报告（报上级党组织审查备案）"),
    name=_("备案报告"),
    template="filing_report.docx",
    required=("higher_org_name", "period", "meeting_date", "meeting_kind", "meeting_entitled", "meeting_present",
              "member_count", "declaration_count", "approved_count", "adjusted_count", "rejected_count",
              "signer", "contact"),
    dates=("meeting_date", "filing_date", "publicity_start", "publicity_end"),
    numbered=True, banner=True, upward=True, signed=True, terms=True,
    sample={
        "org_name": SAMPLE_BRANCH, "issue_date": "2025-04-03", "doc_number": "东街党支〔2025〕3号",
        "higher_org_name": SAMPLE_HIGHER, "period": "2025年第一季度", "meeting_date": "2025-04-02",
        "meeting_kind": "支委会", "meeting_entitled": 5, "meeting_present": 5, "member_count": 36,
        "declaration_count": 112, "approved_count": 98, "adjusted_count": 9, "rejected_count": 5,
        "signer": "李建国", "contact": "联系人：王芳，联系电话：0731-85551234",
        "filing_date": "2025-04-03", "publicity_start": "2025-04-04", "publicity_end": "2025-04-10",
        "publicity_started": False, "attachments": [],
        "ledger_seq": 1024, "ledger_hash": "9f2c4e1a" * 8, "ledger_hash_groups": " ".join(["9f2c4e1a"] * 8),
    },
)


def build_template():
    b = Builder()
    b.banner(upward=True)
    b.title(["关于", "{{ period }}", "{{ terms.points }}", "审核情况的报告"])
    b.para(L.STYLE_ADDRESSEE, "{{ higher_org_name }}：")
    b.body("根据{{ terms.rules }}有关规定，{{ terms.we }}于{{ meeting_date|cn_date }}召开{{ meeting_kind }}"
           "（应到{{ meeting_entitled }}人，实到{{ meeting_present }}人），"
           "对{{ period }}{{ terms.subject }}积分申报逐项审核，现将审核情况报告如下。")
    b.heading(1, "一、基本情况")
    b.body("{{ terms.stock }}{{ terms.subject }}{{ member_count }}{{ terms.unit }}，"
           "{{ period }}共审核积分申报{{ declaration_count }}项。")
    b.heading(1, "二、审核情况")
    b.heading(2, "（一）审核结果")
    b.body("经审核，予以认定{{ approved_count }}项，调整分值{{ adjusted_count }}项，"
           "不予认定{{ rejected_count }}项，理由均已告知申报人。")
    b.heading(2, "（二）审查备案与公示")
    # As the record stands when the report is issued: filed on filing_date, the publicity started
    # (or to start) on publicity_start. A context stored before these keys keeps its old sentence.
    b.body("{% if filing_date %}经贵委于{{ filing_date|cn_date }}审查备案，{{ terms.we }}"
           "{% if publicity_start %}{% if publicity_started %}已于{% else %}将于{% endif %}{{ publicity_start|cn_date }}起"
           "在{{ terms.board }}公示，公示期至{{ publicity_end|cn_date }}（含当日）"
           "{% else %}将在{{ terms.board }}公示，公示期不少于7天{% endif %}。"
           "{% else %}经贵委审查备案后，{{ terms.we }}将在{{ terms.board }}公示，公示期不少于7天。{% endif %}")
    # Made when the round is filed, the report tells a filing done and asks for nothing; a report
    # made before the filing (a context without filing_date) still asks for it.
    b.body("{% if filing_date %}特此报告。{% else %}特此报告，请予审查备案。{% endif %}")
    # Only the attachments the record has (the summary table is made when the round is posted).
    b.body("{% if attachments %}附件：{{ attachments|join('、') }}{% endif %}")
    # The chain head in groups of eight, so the line breaks between groups (never stretched letter by
    # letter); with an empty chain there is no head to print and the line is left out.
    b.body("{% if ledger_seq %}积分台账链头（备案时）：第{{ ledger_seq }}条，哈希 {{ ledger_hash_groups }}{% endif %}")
    b.signature()
    b.body("（{{ contact }}）")
    b.imprint()
    return b


def build_context(filing, *, publicity_start=None, publicity_end=None):
    """The report on the round that ``filing`` (a ``reviews.FilingDecision``) files.

    * the meeting reported is the one that decided this pass (``review_round.latest_meeting()``):
      its date, kind (支委会 or 支部党员大会) and attendance;
    * 支部现有党员 N 名: the branch's party members on the roll today, not the members who
      declared; a village scoring households says 本村现有农户 N 户
      (:func:`~documents.kinds.terms.subject_count`; the words are the round's,
      :func:`~documents.kinds.terms.round_terms`: 我村, 村两委会, 村务公开栏, 户积分汇总表);
    * the declarations counted are the round's decided ones, by decision;
    * addressed to the filing committee (``filing.reviewer_organisation``); signed by the
      branch secretary, who is also the contact (with their phone when the roll has it);
    * ``filing.ledger_head``: ``(seq, hash)`` of the branch's points ledger chain at filing time
      (the anchor stored when it was filed): the printed copy filed above anchors the chain
      outside the database; with an empty chain the line is left out;
    * the state of the round as recorded: filed on ``filing.decided_at``, its publicity from
      ``publicity_start`` to ``publicity_end`` (the dates the filing set), started or to start
      as of that day; the report is dated the day of the filing;
    * ``attachments``: the papers of the round the report could attach when it was filed — its
      summary table (``summary_table``) if one was made by then (a round filed again after
      posting), else none: the report restated later says what it said that day.
    """
    rr = filing.review_round
    ledger_head = getattr(filing, "ledger_head", None)
    meeting = rr.latest_meeting()
    decided = decided_declarations(rr)
    counts = {status: sum(1 for d in decided if d.status == status) for status in (APPROVED, ADJUSTED, REJECTED)}
    person, phone = contact(rr.organisation, rr.opened_by)
    terms = round_terms(rr)
    filed_on = local_day(filing.decided_at)
    if publicity_start is None:  # not given by the filing step: the round's publicity as recorded
        publicity = rr.publicities.order_by("start_on", "pk").first()
        if publicity is not None:
            publicity_start, publicity_end = publicity.start_on, publicity.end_on
    summary = apps.get_model("documents", "GeneratedDocument").objects.filter(
        kind="summary_table", subject_key=f"round:{rr.pk}:summary", created_at__lte=filing.decided_at).exists()
    return {
        "issue_date": filed_on.isoformat(),
        "filing_date": filed_on.isoformat(),
        "publicity_start": publicity_start.isoformat() if publicity_start else "",
        "publicity_end": publicity_end.isoformat() if publicity_end else "",
        "publicity_started": publicity_start is not None and publicity_start <= filed_on,
        "attachments": [f"{rr.period_label}{terms['points']}汇总表"] if summary else [],
        "terms": terms,
        "higher_org_name": filing.reviewer_organisation.name,
        "period": rr.period_label,
        "meeting_date": meeting.held_on.isoformat(),
        "meeting_kind": meeting_name(meeting, terms),
        "meeting_entitled": meeting.entitled_count,
        "meeting_present": meeting.attendee_count,
        "member_count": subject_count(rr.organisation, terms),
        "declaration_count": len(decided),
        "approved_count": counts[APPROVED],
        "adjusted_count": counts[ADJUSTED],
        "rejected_count": counts[REJECTED],
        "signer": person,
        "contact": contact_text(person, phone),
        "review_comments": filing.comments,
        "ledger_seq": ledger_head[0] if ledger_head else "",
        "ledger_hash": ledger_head[1] if ledger_head else "",
        "ledger_hash_groups": " ".join(ledger_head[1][i:i + 8] for i in range(0, len(ledger_head[1]), 8))
        if ledger_head else "",
    }
