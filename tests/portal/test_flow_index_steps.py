"""A flow's list shows the steps people are at: an armed deadline timer waiting for its date is not one.

A new user's trial (trial 4): an objection received today was listed at "答复逾期、支部答复异议"
although its answer was due days later."""
import re

import pytest
from viewflow.workflow.status import STATUS

from reviews.flows import ObjectionFlow
from reviews.models import local_today
from reviews.services import objections
from tests import world

pytestmark = pytest.mark.django_db


def test_an_objection_received_today_is_at_the_answer_not_overdue(w, login):
    rr = world.round_in_publicity(w)
    objection = objections.lodge_objection(
        rr.declarations.first(), objector_name="赵大伟", objector_contact="13800000000", reason="不实",
        received_on=local_today(), received_by=w.clerk)
    process = ObjectionFlow.process_class.objects.get(objection=objection)
    assert process.task_set.filter(status=STATUS.SCHEDULED).exists()  # the deadline timer is armed
    html = login(w.reviewer).get(ObjectionFlow.instance.reverse("index")).content.decode()
    steps = re.findall(r'<td data-label="当前环节">(.*?)</td>', html)
    assert steps == ["支部答复异议"], "a timer waiting for its date is no current step, and not overdue"


def test_a_step_screen_is_linked_only_for_those_who_may_open_it(w, login):
    from reviews.models import ObjectionOutcome

    rr = world.round_in_publicity(w)
    objection = objections.lodge_objection(
        rr.declarations.first(), objector_name="赵大伟", objector_contact="13800000000", reason="不实",
        received_on=local_today(), received_by=w.clerk)
    objections.answer_objection(objection, w.secretary, ObjectionOutcome.DISMISSED, "经核实，加分属实")
    process = ObjectionFlow.process_class.objects.get(objection=objection)
    detail = ObjectionFlow.instance.reverse("process_detail", args=[process.pk])
    review = f"/objections/{objection.pk}/review/"
    clerk = login(w.clerk)
    assert clerk.get(review).status_code == 403
    assert review not in clerk.get(detail).content.decode()  # trial 4: a dead link for the clerk
    assert review in login(w.reviewer).get(detail).content.decode()
