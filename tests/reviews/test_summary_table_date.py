"""Trial 4: the Q2 积分汇总表 was dated 填报日期 2026年11月30日 (the day the sweep posted it) though
its round was filed and publicised in July. The date is the round's filing day, from the record."""
import datetime

from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from documents.models import GeneratedDocument
from reviews.models import RoundStatus, local_today
from tests import world


def test_the_summary_table_is_dated_the_day_the_round_was_filed_not_the_day_it_was_posted(county):
    rr = world.round_in_publicity(county)
    filed_on = local_today()
    timer = Task.objects.get(process__reviewroundprocess__review_round=rr, flow_task_type="TIMER",
                             status=STATUS.SCHEDULED)
    world.sweep_after(timer, after=datetime.timedelta(days=120))  # the beat sweep runs months later
    rr.refresh_from_db()
    assert rr.status == RoundStatus.FINAL
    table = GeneratedDocument.objects.get(kind="summary_table", subject_key=f"round:{rr.pk}:summary")
    assert table.context["issue_date"] == filed_on.isoformat()
    assert table.created_at.date() > filed_on + datetime.timedelta(days=100)
