"""viewflow's bulk claim/release confirmation pages (``queue/assign/``, ``inbox/unassign/``) of every
flow on the Site list only the tasks the portal's own lists show the user (issue #13, item 1).

Before: ``select_all=1`` listed every task of every flow and branch, objector names included.
"""
import pytest
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from organisations.models import RoleKind
from portal.site import FLOW_CLASSES
from reviews.services import objections
from tests import world

pytestmark = pytest.mark.django_db

OBJECTOR = "钱多多异议人"


@pytest.fixture
def busy_east(w):
    """东街 in publicity with one objection (an ObjectionFlow task naming the objector), and a round
    of 西街 at its branch meeting; a grid worker of 西街."""
    rr = world.round_in_publicity(w)
    declaration = rr.declarations.first()
    objections.lodge_objection(declaration, objector_name=OBJECTOR, objector_contact="13900001111",
                               reason="该同志当天不在现场，申报不实。")
    west_round = world.open_round(w, organisation=w.west, by=w.west_secretary)
    w.grid_worker = world.make_user("grid-west", (RoleKind.GRID_WORKER, w.west))
    w.west_round = west_round
    return w


def _post(client, flow_class, name, **data):
    url = flow_class.instance.reverse(name)
    return client.post(url, {"select_all": "1", **data})


def _east_tasks(w):
    return Task.objects.filter(status__in=(STATUS.NEW, STATUS.ASSIGNED)).exclude(
        process__reviewroundprocess__review_round=w.west_round)


@pytest.mark.parametrize("who", ["grid_worker", "west_secretary", "member_user"])
def test_select_all_shows_no_task_of_another_branch(busy_east, client, who):
    w = busy_east
    east_pks = set(_east_tasks(w).values_list("pk", flat=True))
    assert east_pks  # the east branch does have open tasks, objection ones included
    client.force_login(getattr(w, who))
    for flow_class in FLOW_CLASSES:
        for name in ("tasks_assign", "tasks_unassign"):
            response = _post(client, flow_class, name)
            if who == "member_user":  # no role anywhere: the Site is closed to them
                assert response.status_code == 403, (flow_class.__name__, name)
                continue
            assert response.status_code == 200, (flow_class.__name__, name)
            listed = {t.pk for t in response.context["view"].get_queryset()}
            assert not listed & east_pks, (flow_class.__name__, name)
            html = response.content.decode()
            assert OBJECTOR not in html and "东街" not in html, (flow_class.__name__, name)


def test_confirming_select_all_claims_nothing_of_another_branch(busy_east, client):
    w = busy_east
    client.force_login(w.west_secretary)
    for flow_class in FLOW_CLASSES:
        _post(client, flow_class, "tasks_assign", _confirm="1")
    assert not _east_tasks(w).filter(owner=w.west_secretary).exists()
    # the west secretary's own branch meeting was theirs to take (one secretary: assigned on creation)
    assert Task.objects.filter(process__reviewroundprocess__review_round=w.west_round,
                               owner=w.west_secretary).exists()


def test_the_east_secretary_sees_their_own_queue_only(busy_east, client):
    w = busy_east
    client.force_login(w.deputy)
    from reviews.flows import ObjectionFlow
    response = _post(client, ObjectionFlow, "tasks_assign")
    listed = list(response.context["view"].get_queryset())
    assert listed and all(t.process.coerced.objection.declaration.organisation == w.east for t in listed)
    assert {t.flow_class for t in (t.process for t in listed)} == {ObjectionFlow}


def test_anonymous_is_refused(busy_east, client):
    for flow_class in FLOW_CLASSES:
        for name in ("tasks_assign", "tasks_unassign"):
            response = _post(client, flow_class, name)
            assert response.status_code in (302, 403) and OBJECTOR not in response.content.decode()
