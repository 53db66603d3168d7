"""The year-end tests' county: the shared world (tests/world.py) without members in 东街.

Each test adds the members it scores (``add_members``), so the evaluations count only those.
Schemes per year, ledger postings and a walk to publication are built here.
"""
import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from appraisals.models import Evaluation, EvaluationStatus, MemberResult
from appraisals.services import evaluations
from ledger.services import post_entry
from members.models import Member
from schemes.models import Scheme
from tests import world

CYCLE = datetime.date(2025, 1, 1)


def make_scheme(org, preset, year=2025, overrides=None):
    scheme = Scheme.objects.create(
        organisation=org, name=f"{preset}-{year}", cycle_start=datetime.date(year, 1, 1),
        cycle_end=datetime.date(year, 12, 31),
    )
    return scheme.revise(preset_key=preset, overrides=overrides or {})


def open_for(county, preset):
    """An evaluation of 东街 under a new scheme of ``preset`` (the town's), opened by the secretary."""
    version = make_scheme(county.town, preset)
    return evaluations.open_evaluation(organisation=county.east, by=county.secretary, scheme_version=version)


@pytest.fixture
def county(db):
    """Overrides the root ``county``: the same world, with no members in 东街."""
    return world.build(east_members=())


def add_members(org, *names, **extra):
    return [Member.objects.create(organisation=org, name=name, **extra) for name in names]


def post(org, member, component, points, day):
    return post_entry(organisation=org, member=member, component=component, points=Decimal(str(points)),
                      occurred_on=day, cycle_start=datetime.date(day.year, 1, 1), source="test")


def published_history(org, version, results):
    """An earlier, published evaluation with the given ``{member: (total, grade)}``."""
    scheme = version.scheme
    user = get_user_model().objects.filter(is_superuser=False).first()
    ev = Evaluation.objects.create(organisation=org, scheme_version=version, cycle_start=scheme.cycle_start,
                                   cycle_end=scheme.cycle_end, status=EvaluationStatus.COMPUTED, opened_by=user)
    for member, (total, grade) in results.items():
        MemberResult.objects.create(evaluation=ev, member=member, cycle_start=scheme.cycle_start,
                                    total=Decimal(str(total)), grade=grade, scheme_version_number=version.number)
    Evaluation.objects.filter(pk=ev.pk).update(status=EvaluationStatus.PUBLISHED)
    return ev


def votes(excellent=0, good=0, qualified=0, poor=0):
    return {"优秀": excellent, "良好": good, "合格": qualified, "差": poor}


def walk_to_publication(county, evaluation):
    """finish appraisal → propose → approve → publicity timer fired; returns the evaluation refreshed."""
    evaluations.finish_appraisal(evaluation, county.clerk)
    evaluations.propose_results(evaluation, county.secretary)
    evaluations.approve_results(evaluation, county.reviewer)
    timer = Task.objects.get(process__yearendprocess__evaluation=evaluation, flow_task_type="TIMER",
                             status=STATUS.SCHEDULED)
    assert world.sweep_after(timer)["timers"] == 1
    evaluation.refresh_from_db()
    return evaluation


def refusal(error):
    """``{field: [code, …]}`` of a raised ValidationError; ``"__all__"`` for what concerns no input."""
    if hasattr(error, "error_dict"):
        return {field: [e.code for e in errors] for field, errors in error.error_dict.items()}
    return {"__all__": [e.code for e in error.error_list]}
