"""Trial 4: the 备案报告 said "经贵委审查备案后…将公示" although it is made when the round is filed and
its publicity dated, cited a 积分汇总表 never made for the round, and printed "台账尚无记录" for an
empty chain. It now says what the record says, attaches only what exists, and leaves the empty
chain out."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from documents.kinds import filing_report
from documents.models import GeneratedDocument
from reviews.models import local_today
from reviews.services import filing, meeting
from tests import world
from workdays.clock import local_day

from .test_contexts import _text


def _filed(county, publicity_start=None):
    rr = world.round_at_higher_review(county)
    filing.file_round(rr, county.reviewer, "同意备案", publicity_start=publicity_start)
    rr.refresh_from_db()
    return rr


def test_the_report_states_the_filing_and_publicity_as_recorded(county):
    today = local_today()
    rr = _filed(county)
    report = GeneratedDocument.objects.filter(kind="filing_report", organisation=rr.organisation).latest("pk")
    ctx = report.context
    assert ctx["filing_date"] == ctx["issue_date"] == today.isoformat()
    assert ctx["publicity_start"] == today.isoformat() and ctx["publicity_started"] is True
    text = _text("filing_report", {"org_name": rr.organisation.name, **ctx}).replace("\n", "")
    end = datetime.date.fromisoformat(ctx["publicity_end"])
    assert (f"经贵委于{today.year}年{today.month}月{today.day}日审查备案，我支部已于{today.year}年{today.month}月"
            f"{today.day}日起在党务公开栏公示，公示期至{end.year}年{end.month}月{end.day}日（含当日）。") in text
    assert "审查备案后" not in text and "附件" not in text  # no summary table exists for the round yet


def test_a_later_publicity_is_told_as_to_come_and_a_summary_table_is_attached_once_made(county):
    later = local_today() + datetime.timedelta(days=3)
    rr = _filed(county, publicity_start=later)
    ctx = filing_report.build_context(rr.filings.get(), publicity_start=later, publicity_end=later)
    assert ctx["publicity_started"] is False and ctx["attachments"] == []
    filed = rr.filings.get()
    GeneratedDocument.objects.create(kind="summary_table", organisation=rr.organisation, context={},
                                     subject_key=f"round:{rr.pk}:summary")
    assert filing_report.build_context(filed)["attachments"] == []  # made after the filing: not attached
    filed.decided_at = timezone.now()  # a filing after the table was made (a round filed again after posting)
    ctx = filing_report.build_context(filed)  # the round's publicity as recorded
    assert ctx["publicity_start"] == later.isoformat()
    text = _text("filing_report", {"org_name": rr.organisation.name, **ctx}).replace("\n", "")
    assert f"将于{later.year}年{later.month}月{later.day}日起在党务公开栏公示" in text
    assert f"附件：{rr.period_label}党员积分汇总表" in text


def test_publicity_follows_filing_and_a_filing_recorded_after_the_fact_is_dated_its_day(county):
    """备案后公示: a publicity before the filing day is refused; a round filed on paper earlier (补录)
    carries its filing day, so the 备案报告 never says 备案 on a day after its publicity began."""
    world.declare(county, county.members[1], "2")
    rr = world.open_round(county)
    held = local_today() - datetime.timedelta(days=6)
    world.quorate_meeting(county, rr, by=county.secretary, held_on=held)
    meeting.bulk_approve(rr, county.secretary)
    meeting.submit_to_higher(rr, county.secretary)
    past = held + datetime.timedelta(days=2)
    with pytest.raises(ValidationError) as caught:
        filing.file_round(rr, county.reviewer, "同意备案", publicity_start=past)
    assert caught.value.error_dict["publicity_start"][0].code == "publicity_start_before_filing"
    for wrong in (held - datetime.timedelta(days=1), local_today() + datetime.timedelta(days=1)):
        with pytest.raises(ValidationError) as caught:
            filing.file_round(rr, county.reviewer, "同意备案", publicity_start=past, filed_on=wrong)
        assert caught.value.error_dict["filed_on"][0].code == "filed_on_out_of_range"
    filed = filing.file_round(rr, county.reviewer, "同意备案", publicity_start=past, filed_on=past)
    assert local_day(filed.decided_at) == past
    ctx = GeneratedDocument.objects.filter(kind="filing_report", organisation=rr.organisation).latest("pk").context
    assert ctx["filing_date"] == ctx["publicity_start"] == past.isoformat()


def test_a_report_made_at_filing_asks_for_no_filing_and_one_made_before_still_does(county):
    """Trial 5: the report said "经贵委于…审查备案" and still ended "请予审查备案"."""
    rr = _filed(county)
    ctx = GeneratedDocument.objects.filter(kind="filing_report", organisation=rr.organisation).latest("pk").context
    assert ctx["filing_date"] == local_day(rr.filings.get().decided_at).isoformat()  # the record: filed
    text = _text("filing_report", {"org_name": rr.organisation.name, **ctx}).replace("\n", "")
    assert "特此报告。" in text and "请予审查备案" not in text
    before = {**ctx, "filing_date": "", "publicity_start": "", "publicity_end": ""}  # a report made before filing
    text = _text("filing_report", {"org_name": rr.organisation.name, **before}).replace("\n", "")
    assert "经贵委审查备案后" in text and "特此报告，请予审查备案。" in text
