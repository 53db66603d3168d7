"""A small county for the year-end tests: 镇党委 → 党总支 → two branches, schemes per year."""
import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from appraisals.models import Evaluation, EvaluationStatus, MemberResult
from appraisals.services import evaluations
from ledger.services import post_entry
from members.models import Member
from organisations.models import Organisation, OrganisationKind, Role, RoleKind
from schemes.models import Scheme
from workflow.tasks import fire_timers

CYCLE = datetime.date(2025, 1, 1)


def make_user(username, *roles):
    user = get_user_model().objects.create_user(username=username, password="pw-" + username)
    for kind, org in roles:
        Role.objects.create(user=user, organisation=org, kind=kind)
    return user


def make_scheme(org, preset, year=2025, overrides=None):
    scheme = Scheme.objects.create(
        organisation=org, name=f"{preset}-{year}", cycle_start=datetime.date(year, 1, 1),
        cycle_end=datetime.date(year, 12, 31),
    )
    return scheme.revise(preset_key=preset, overrides=overrides or {})


@pytest.fixture
def county(db):
    town = Organisation.objects.create(name="城关镇党委", short_name="城关党委", kind=OrganisationKind.COMMITTEE, code="a-town")
    general = Organisation.objects.create(name="社区党总支", short_name="社区总支", kind=OrganisationKind.GENERAL_BRANCH,
                                          parent=town, code="a-gb")
    east = Organisation.objects.create(name="东街社区党支部", short_name="东街党支", kind=OrganisationKind.BRANCH,
                                       parent=general, code="a-east")
    west = Organisation.objects.create(name="西街社区党支部", kind=OrganisationKind.BRANCH, parent=general, code="a-west")
    ns = SimpleNamespace(town=town, general=general, east=east, west=west)
    ns.secretary = make_user("li-secretary", (RoleKind.SECRETARY, east))
    ns.clerk = make_user("zhao-clerk", (RoleKind.CLERK, east))
    ns.west_secretary = make_user("sun-west", (RoleKind.SECRETARY, west))
    ns.reviewer = make_user("zhou-reviewer", (RoleKind.REVIEWER, general))
    # A secretary who also holds a reviewer role on their own branch: may not approve it.
    ns.self_reviewer = make_user("qian-self", (RoleKind.SECRETARY, east), (RoleKind.REVIEWER, east))
    ns.west_member = Member.objects.create(organisation=west, name="周明")
    return ns


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
    Task.objects.filter(process__yearendprocess__evaluation=evaluation, flow_task_type="TIMER",
                        status=STATUS.SCHEDULED).update(scheduled=timezone.now() - datetime.timedelta(minutes=1))
    assert fire_timers()["timers"] == 1
    evaluation.refresh_from_db()
    return evaluation


def refusal(error):
    """``{field: [code, …]}`` of a raised ValidationError; ``"__all__"`` for what concerns no input."""
    if hasattr(error, "error_dict"):
        return {field: [e.code for e in errors] for field, errors in error.error_dict.items()}
    return {"__all__": [e.code for e in error.error_list]}
