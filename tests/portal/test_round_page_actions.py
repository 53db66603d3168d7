"""撤回 and 催办 on the round page (trial 4): the secretary lands on ``/rounds/<pk>/`` after reporting,
the reviewer reads the round there; each sees what they may do, and the process page is linked."""
import pytest
from django.urls import reverse
from viewflow.workflow.models import Task

from reviews.flows import ReviewRoundFlow
from tests import world

pytestmark = pytest.mark.django_db


def test_the_secretary_withdraws_from_the_round_page(w, login):
    rr = world.round_at_higher_review(w)
    html = login(w.secretary).get(reverse("reviews:round_detail", args=[rr.pk])).content.decode()
    assert f'href="{reverse("reviews:withdraw_round", args=[rr.pk])}' in html
    assert ReviewRoundFlow.instance.reverse("process_detail", args=[rr.process.pk]) in html
    # the reviewer, who may not withdraw, is not offered it
    html = login(w.reviewer).get(reverse("reviews:round_detail", args=[rr.pk])).content.decode()
    assert reverse("reviews:withdraw_round", args=[rr.pk]) not in html


def test_the_reviewer_urges_from_the_round_page_and_the_secretary_is_not_offered_it(w, login):
    rr = world.open_round(w)
    task = Task.objects.get(process_id=rr.process.pk, flow_task=ReviewRoundFlow.branch_meeting)
    urge = f"/tasks/{task.pk}/urge/"
    assert urge in login(w.reviewer).get(reverse("reviews:round_detail", args=[rr.pk])).content.decode()
    assert urge not in login(w.secretary).get(reverse("reviews:round_detail", args=[rr.pk])).content.decode()
