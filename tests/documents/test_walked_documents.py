"""Every kind, issued by the walked demo (tests/documents/walk.py), states the facts of its records.

Each issued document's stored context is re-derived from the records its subject key names
(``build_context`` of those records, with the review chain's and the appraisals' rules) and
compared; then the rendered text is read and checked against the database for the facts
issue 11 found wrong: who is addressed, the meeting held, the members counted, the items
and signs, the correction against the original, dates written 2026年11月29日, one wording
for periods. Every issued file is in its organisation's document chain and
``verify_ledger`` passes. ``test_walked_pdfs_*`` look at the LibreOffice PDFs of the same
documents: the page carrying the signature carries body text, titles break where they were
set, and no table header wraps inside a word.
"""
import datetime
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

from appraisals.models import Disposition, Evaluation, MemberResult
from appraisals.services import standing
from documents import pdf
from documents.finishing import WORD_JOINER
from documents.kinds import (
    KINDS,
    commendation,
    correction_notice,
    disposal_approval,
    disposal_request,
    explanation,
    filing_report,
    household_card,
    meeting_record,
    objection_answer,
    objection_receipt,
    probation_cancellation,
    publicity_notice,
    rectification_notice,
    redemption_receipt,
    registration_card,
    result_notice,
    star_certificate,
    summary_table,
    talk_notice,
    year_end_publicity,
)
from documents.kinds.base import party_member_count, signed_text
from documents.models import DocumentChainEntry, DocumentStatus, GeneratedDocument, SealUse
from documents.rendering import normalise
from market.models import Redemption
from members.models import Member
from organisations.models import Organisation
from portal.views.downloads import component_labels
from reviews.models import BranchMeeting, Objection, Publicity, ReviewRound
from reviews.services.points import effective_points_before, signed_points

from .docx_helpers import load
from .walk import walk_demo

ISO_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")
ARABIC_QUARTER = re.compile(r"第\d季度")
#: A quotation opened inside another with the same mark (“按时参加“三会一课””), or a full stop doubled round one.
NESTED_QUOTES = re.compile(r"“[^”]*“|。”。")


def rebuild(document):
    """``build_context`` of the records ``document`` reports on, found from its subject key."""
    kind, key = document.kind, document.subject_key.split(":")
    if key[0] == "round":
        rr = ReviewRound.objects.get(pk=key[1])
        if kind == "meeting_record":
            meeting = rr.meetings.filter(review_pass=int(key[3])).latest("held_on", "pk")
            return meeting_record.build_context(meeting, signed_points=signed_points)
        if kind == "filing_report":
            return filing_report.build_context(rr.filings.get(outcome="filed"))
        if kind == "publicity_notice":
            return publicity_notice.build_context(Publicity.objects.get(pk=key[3]), signed_points=signed_points)
        if kind == "correction_notice":
            return correction_notice.build_context(Publicity.objects.get(pk=key[3]), signed_points=signed_points,
                                                   previous_points=effective_points_before)
        return summary_table.build_context(rr, signed_points=signed_points)
    if key[0] == "objection":
        objection = Objection.objects.get(pk=key[1])
        if kind == "objection_receipt":
            return objection_receipt.build_context(objection, signed_points=signed_points)
        module = objection_answer if kind == "objection_answer" else explanation
        return module.build_context(objection, previous_points=effective_points_before(objection),
                                    signed_points=signed_points)
    if key[0] == "evaluation":
        ev = Evaluation.objects.get(pk=key[1])
        if kind == "year_end_publicity":
            return year_end_publicity.build_context(ev)
        if kind == "commendation":
            return commendation.build_context(ev)
        result = MemberResult.objects.get(evaluation=ev, member_id=key[3])
        if kind == "result_notice":
            return result_notice.build_context(result)
        return star_certificate.build_context(result, max_stars=document.context["max_stars"])
    if key[0] == "disposition":
        d = Disposition.objects.get(pk=key[1])
        if kind == "talk_notice":
            c = document.context  # the time, place and talker the secretary fixed
            return talk_notice.build_context(d, talk_time=c["talk_time"], place=c["place"], talker=c["talker"])
        if kind == "disposal_approval":
            request = GeneratedDocument.objects.get(kind="disposal_request", subject_key=disposal_request.subject_key(d))
            return disposal_approval.build_context(d, request=request)
        module = {"disposal_request": disposal_request, "rectification_notice": rectification_notice,
                  "probation_cancellation": probation_cancellation}[kind]
        return module.build_context(d)
    if key[0] == "redemption":
        return redemption_receipt.build_context(Redemption.objects.get(pk=key[1]))
    member = Member.objects.get(pk=key[1])
    if kind == "household_card":
        return household_card.build_context(member, member.ledger_entries.first().cycle_start)
    cycle = datetime.date.fromisoformat(key[2])
    return registration_card.build_context(member, cycle,
                                           component_labels=component_labels(member.organisation, cycle))


def text_of(document):
    """The issued file's paragraphs and table cells, as one string."""
    with document.file.open("rb") as handle:
        doc = load(handle.read())
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


@pytest.fixture
def walked(transactional_db):
    return walk_demo()


def test_every_kind_is_issued_from_the_walked_demo_and_states_its_records(walked):
    documents = list(GeneratedDocument.objects.select_related("organisation").order_by("pk"))
    assert {d.kind for d in documents} == set(KINDS)
    assert {d.status for d in documents} == {DocumentStatus.DONE}
    for document in documents:
        expected = normalise(rebuild(document))
        assert {k: document.context.get(k) for k in expected} == expected, f"{document.kind} {document.subject_key}"
        text = text_of(document)
        assert not ISO_DATE.search(text), (document.kind, ISO_DATE.search(text).group())
        assert not ARABIC_QUARTER.search(text), document.kind
        assert "{{" not in text and "\u200b" not in text, document.kind
        assert not NESTED_QUOTES.search(text), (document.kind, NESTED_QUOTES.search(text).group())
        if document.kind in ("publicity_notice", "correction_notice"):  # never dated after its window opened
            assert document.context["issue_date"] <= document.context["window_start"], document.context
    # every rendered file is in its organisation's document chain, and the chains verify
    assert DocumentChainEntry.objects.count() == len(documents)
    call_command("verify_ledger", stdout=open("/dev/null", "w"))
    assert not SealUse.objects.exists()  # no demo organisation uploaded a seal


def _one(kind, **filters):
    return GeneratedDocument.objects.filter(kind=kind, **filters).order_by("pk").first()


def test_the_review_chains_documents_state_the_records(walked):
    rr = walked["dongjie"]
    report = _one("filing_report", organisation=rr.organisation)
    meeting = rr.latest_meeting()
    text = text_of(report).replace("\n", "")
    filing = rr.filings.get(outcome="filed")
    assert f"{filing.reviewer_organisation.name}：" in text_of(report)
    assert f"支部现有党员{party_member_count(rr.organisation)}名" in text
    assert f"召开{meeting.get_kind_display()}（应到{meeting.entitled_count}人，实到{meeting.attendee_count}人）" in text
    minutes = text_of(_one("meeting_record", organisation=rr.organisation))
    assert f"会议地点：{meeting.place}" in minutes and f"缺席人员：{meeting.absentee_names}" in minutes
    assert f"出席人员：{meeting.attendee_names}" in minutes
    # whoever chaired attended: the chair is named among those present, on record and in the minutes
    present = next(line for line in minutes.splitlines() if line.startswith("出席人员："))
    assert meeting.chair and meeting.chair in meeting.attendee_names.split("、") and meeting.chair in present
    for m in BranchMeeting.objects.exclude(attendee_names=""):
        doc = GeneratedDocument.objects.filter(kind="meeting_record", subject_key__startswith=f"round:{m.review_round_id}:"
                                               ).order_by("pk").last()
        assert doc.context["chair"] in doc.context["attendees"], (doc.context["chair"], doc.context["attendees"])
    # the corrections notice: the upheld objection's item, first published value and corrected value
    objection = Objection.objects.get(declaration__review_round=rr, outcome="upheld")
    correction = text_of(_one("correction_notice", organisation=rr.organisation))
    d = objection.declaration
    assert "更正情况的公示" in correction.replace("\n", "")
    row = [d.member.name, d.rule_item_label, f"+{d.decided_points.normalize():f}",
           f"+{objection.corrected_points.normalize():f}"]
    assert all(cell in correction for cell in row), (row, correction)
    # receipt and answer: the disputed item named, 您, no stray space
    # the objection papers are dated as recorded: the receipt the day it was lodged, the answer and
    # the explanation the day it was answered (the demo records both after the fact)
    for o in Objection.objects.filter(answered_on__isnull=False):
        papers = GeneratedDocument.objects.filter(subject_key__startswith=f"objection:{o.pk}:")
        assert {d.kind: d.context["issue_date"] for d in papers} == {
            "objection_receipt": o.received_on.isoformat(), "objection_answer": o.answered_on.isoformat(),
            "explanation": o.answered_on.isoformat()}
    receipt = text_of(_one("objection_receipt", organisation=rr.organisation))
    assert f"{d.member.name}同志“{d.rule_item_label}”一项" in receipt and "您" in receipt and "你" not in receipt
    answer = text_of(GeneratedDocument.objects.get(subject_key=f"objection:{objection.pk}:answer"))
    assert f"{d.member.name}同志“{d.rule_item_label}”一项积分由" in answer and f"{d.member.name} " not in answer
    explanation_text = text_of(GeneratedDocument.objects.get(subject_key=f"objection:{objection.pk}:explanation"))
    assert f"{filing.reviewer_organisation.name}：" in explanation_text
    assert rr.organisation.parent.name != filing.reviewer_organisation.name  # the parent (总支) does not file it
    # the summary: one row per member, deductions unsigned
    summary = GeneratedDocument.objects.get(subject_key=f"round:{rr.pk}:summary")
    names = [row["name"] for row in summary.context["rows"]]
    assert len(names) == len(set(names)) == rr.declarations.filter(status__in=("approved", "adjusted", "rejected")
                                                                  ).values("member").distinct().count()
    assert all(not row["deduction"].startswith("+") for row in summary.context["rows"])


#: Words of a party branch's documents that a village's household documents must not use.
PARTY_WORDS = ("党员", "支部", "同志", "党务", "支委会")


def test_the_household_rounds_documents_use_the_villages_words_and_state_its_records(walked):
    """青石村's 户积分 round (market.demo): grid workers' declarations for households, decided by the
    村两委会, filed by the town. Every document the village issued is checked against the database."""
    rr = ReviewRound.objects.get(organisation__code="demo-qingshi-cun")
    village, meeting, filing = rr.organisation, rr.latest_meeting(), rr.filings.get(outcome="filed")
    texts = {d.kind: text_of(d) for d in GeneratedDocument.objects.filter(organisation=village).order_by("pk")}
    assert {"filing_report", "meeting_record", "publicity_notice", "summary_table", "redemption_receipt",
            "household_card"} <= set(texts)
    for kind, text in texts.items():
        assert not [w for w in PARTY_WORDS if w in text], (kind, [w for w in PARTY_WORDS if w in text])
    households = Member.objects.filter(organisation__path__startswith=village.path, is_active=True,
                                       kind="household").count()
    decided = rr.declarations.filter(status__in=("approved", "adjusted", "rejected"))
    report = texts["filing_report"].replace("\n", "")
    assert texts["filing_report"].startswith(village.name) and f"{filing.reviewer_organisation.name}：" in report
    assert f"本村现有农户{households}户，{rr.period_label}共审核积分申报{decided.count()}项" in report
    assert f"我村于{meeting.held_on.year}年{meeting.held_on.month}月{meeting.held_on.day}日召开村两委会" in report
    assert f"（应到{meeting.entitled_count}人，实到{meeting.attendee_count}人）" in report
    assert f"{rr.period_label}户积分审核情况的报告" in report and "村务公开栏" in report
    minutes = texts["meeting_record"]
    assert f"缺席人员：{meeting.absentee_names}" in minutes and f"列席人员：{meeting.guide_signatory}" in minutes
    assert f"{rr.period_label}户积分审核村两委会会议纪要" in minutes.replace("\n", "")
    # publicity and summary: one row per household with its total, in 户
    notice = GeneratedDocument.objects.get(organisation=village, kind="publicity_notice")
    totals = {}
    for d in decided.select_related("member"):
        totals[d.member.name] = totals.get(d.member.name, 0) + signed_points(d, d.decided_points)
    assert {r["name"]: r["total"] for r in notice.context["rows"]} == {
        name: signed_text(points) for name, points in totals.items()}
    assert "各位村民：" in texts["publicity_notice"] and "经村党组织审核" in texts["publicity_notice"]
    assert f"合计户数：{len(totals)}户。" in texts["summary_table"]
    # the household card and the counter's slips tell one balance, the ledger's
    card = GeneratedDocument.objects.get(organisation=village, kind="household_card")
    home = card.member
    balance = sum(e.points for e in home.ledger_entries.all())
    last = Redemption.objects.filter(household=home).order_by("-redeemed_at", "-pk").first()
    assert last.balance_after == balance >= 0
    assert card.context["balance"] == f"{balance.normalize():f}" and f"当前积分余额：{balance.normalize():f}分" in texts[
        "household_card"]
    assert all(not row["balance"].startswith("-") for row in card.context["entries"])


def test_the_year_end_documents_name_who_decided_and_who_approves(walked):
    ev, stars = walked["year_end"], walked["stars"]
    town = Organisation.objects.get(code="demo-chengguan").name  # where town_reviewer reviews
    assert ev.organisation.parent.name != town  # the school sits under the 机关党总支
    request = text_of(_one("disposal_request"))
    assert f"{town}：" in request and "支部党员大会讨论了" in request
    rectification = text_of(_one("rectification_notice"))
    assert "经支部委员会研究" in rectification  # the secretary started it, no vote was taken
    member = _one("rectification_notice").member
    assert "你存在以下问题：" in rectification and f"{member.name}同志" not in rectification.split("：", 2)[-1]
    cancellation = text_of(_one("probation_cancellation"))
    d = walked["cancelled"]
    assert f"应到有表决权的正式党员{d.entitled}名，实到{d.present}名，{d.votes_for}名同意" in cancellation
    assert f"并报{town}于" in cancellation
    publicity = _one("year_end_publicity", organisation=ev.organisation)
    assert len(publicity.context["rows"]) == ev.results.count()
    certified = {doc.member_id for doc in GeneratedDocument.objects.filter(kind="star_certificate")}
    # the member whose 劝其退党 the town approved (the year before's disposal) earns stars this
    # year but receives no certificate, nor a commendation: disposed of, never honoured
    disposed = Disposition.objects.get(evaluation=ev, action="dispose", approved_at__isnull=False, measure="劝其退党")
    assert standing.barred_from_awards([disposed.member_id]) == {disposed.member_id}
    earned = stars.results.get(member=disposed.member)
    assert earned.stars and star_certificate.has_certificate(earned)  # the scheme alone would award it
    awarded = {r.member_id for r in stars.results.all() if star_certificate.has_certificate(r)}
    assert certified == awarded - {disposed.member_id} and certified
    assert not Disposition.objects.filter(member=disposed.member, action="commend").exists()
    assert disposed.member.name not in text_of(_one("commendation"))
    assert not stars.results.filter(member_id__in=certified, vetoed=True).exists()
    assert any("talk" in r.actions and r.member_id not in certified for r in stars.results.all())


needs_pdf = pytest.mark.skipif(not (pdf.pdf_available() and shutil.which("pdftotext")),
                               reason="LibreOffice or poppler-utils is not installed")
SIGNATURE_FURNITURE = ("印章", "印发", "核验本文件", "联系人", "证书编号", "—")


def _pages(path):
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [[line.strip() for line in page.splitlines() if line.strip()] for page in text.split("\f")]


def _page_ends_with_heading(pages, headings):
    """The first page (but the last) whose last line of text, page number aside, is a heading."""
    for number, page in enumerate(pages[:-1], start=1):
        lines = ["".join(line.split()) for line in page if not PAGE_NUMBER.fullmatch("".join(line.split()))]
        if lines and lines[-1] in headings:
            return number, lines[-1]
    return None


PAGE_NUMBER = re.compile(r"—\d+—")


@needs_pdf
def test_walked_pdfs_keep_body_with_the_signature_titles_and_headers_whole(walked, tmp_path):
    """The latest document of every kind issued by every organisation: the party branches', the
    school's, the town's and the village's (households) — so both wordings are laid out."""
    latest = {}
    for document in GeneratedDocument.objects.select_related("organisation").order_by("pk"):
        latest[f"{document.organisation.code.removeprefix('demo-')}--{document.kind}"] = document
    paths = []
    for name, document in latest.items():
        path = tmp_path / f"{name}.docx"
        with document.file.open("rb") as handle:
            path.write_bytes(handle.read())
        paths.append(path)
    pages_dir = os.environ.get("JIFEN_DOCUMENT_PAGES")  # e.g. test-output/doc-pages: keep PDFs and page images
    for path, pdf_path in zip(paths, pdf.convert_files(paths, tmp_path / "pdf")):
        document = latest[path.stem]
        kind = document.kind
        if pages_dir:
            Path(pages_dir).mkdir(parents=True, exist_ok=True)
            shutil.copy(pdf_path, Path(pages_dir) / pdf_path.name)
            shutil.copy(path, Path(pages_dir) / path.name)
            subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf_path), str(Path(pages_dir) / path.stem)],
                           check=True)
        doc = load(path.read_bytes())
        pages = _pages(pdf_path)
        squeezed = ["".join(line.split()) for page in pages for line in page]
        headings = {"".join(p.text.split()) for p in doc.paragraphs if p.style.name in ("GW Heading 1", "GW Heading 2", "GW Heading 3")}
        assert not _page_ends_with_heading(pages, headings), (path.stem, _page_ends_with_heading(pages, headings))
        # no page ends on a line introducing what follows (限期整改通知书: 你存在以下问题：)
        for number, page in enumerate(pages[:-1], start=1):
            lines = ["".join(line.split()) for line in page if not PAGE_NUMBER.fullmatch("".join(line.split()))]
            assert not (lines and lines[-1].endswith("：")), (path.stem, number, lines[-1])
        # a table's header never goes with fewer than three of its rows (publicity notices and the like)
        rows = [r["name"] for r in document.context.get("rows") or () if isinstance(r, dict) and r.get("name")]
        if rows and doc.tables:
            head = "".join(c.text.split("\n")[0] for c in doc.tables[-1].rows[0].cells).replace(" ", "")
            first = next(page for page in pages if any(head in "".join(line.split()) for line in page))
            on_first = {name for name in rows if any(name in "".join(line.split()) for line in first)}
            assert len(on_first) >= min(3, len(rows)), (path.stem, sorted(on_first), first[-4:])
        # a span of years never breaks at its dash
        joined = [line for page in pages for line in page]
        assert not [(a, b) for a, b in zip(joined, joined[1:]) if re.search(r"\d{4}—?$", "".join(a.split()))
                    and re.match(r"—?\d{4}", "".join(b.split()))], path.stem
        if KINDS[kind].signed:
            date = "".join("".join(p.text.split()) for p in doc.paragraphs if p.style.name == "GW Date")
            page = next(p for p in pages if any("".join(line.split()) == date for line in p))
            body = [line for line in page if "".join(line.split()) not in (date, "".join(document.organisation.name.split()))
                    and not any(mark in line for mark in SIGNATURE_FURNITURE)]
            assert body, f"{kind}: the page with the signature carries no body text: {page}"
        for title in (p for p in doc.paragraphs if p.style.name == "GW Title"):
            lines = title.text.replace(WORD_JOINER, "").split("\n")  # pdftotext drops the joiners
            assert all(len(line) >= 2 for line in lines), (kind, lines)
            assert all("".join(line.split()) in squeezed for line in lines), (kind, lines, squeezed[:12])
        for table in doc.tables:
            for cell in table.rows[0].cells:
                for line in cell.text.split("\n"):
                    word = "".join(line.split())
                    assert any(word in s for s in squeezed), f"{kind}: header {word!r} wrapped"
