"""What a user may do with a task or a process now, for the task lists and the process page.

``task_actions(task, user)``: 办理 (open the screen), 领取 (one click), 转交, 退回待领取, 催办.
``process_actions(process, user)``: the same for each open task, plus 撤回 where the domain
allows it. ``subject_link(process)``: the domain screen the process is about.
"""
from django.urls import reverse
from django.utils.translation import gettext as _
from viewflow.workflow.status import STATUS

from organisations.permissions import can_act_on, can_review
from reviews.models import ReviewRound, RoundStatus
from reviews.services.common import ROUND_OWNERS
from workflow import history

from .scoping import task_url

OPEN = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)

#: Process model → (URL name, subject → pk, label).
SUBJECT_SCREENS = {
    "reviewroundprocess": ("reviews:round_detail", lambda p: p.review_round_id, "review_round"),
    "objectionprocess": ("reviews:answer_objection", lambda p: p.objection_id, "objection"),
    "yearendprocess": ("appraisals:detail", lambda p: p.evaluation_id, "evaluation"),
    "disposalprocess": ("appraisals:detail", lambda p: p.disposition.evaluation_id, "disposition"),
}


def subject_link(process):
    """``{"label", "url"}`` of the screen the process is about, or None."""
    process = history.concrete(process)
    screen = SUBJECT_SCREENS.get(process._meta.model_name)
    if screen is None:
        return None
    name, pk, attr = screen
    return {"label": str(getattr(process, attr)), "url": reverse(name, args=[pk(process)])}


def may_open(task, user):
    """Whether ``user`` may follow a link to ``task``'s screen: the step's own rule (``RoleView.Allowed``)."""
    return _may_do(task, user)


def _may_do(task, user):
    node = task.flow_task
    return hasattr(node, "user_allowed") and node.user_allowed(user, task.process)


def task_actions(task, user):
    """``[{"key", "label", "url", "method"}]`` for one task and one user."""
    actions = []
    if task.status not in OPEN or getattr(task.flow_task, "task_type", "") != "HUMAN":
        return actions
    may_do = _may_do(task, user)
    base = reverse("portal:task_claim", args=[task.pk]).rsplit("claim/", 1)[0]
    if may_do and (task.owner_id in (None, user.pk)):
        actions.append({"key": "open", "label": _("办理"), "url": task_url(task), "method": "get"})
    if may_do and task.owner_id is None:
        actions.append({"key": "claim", "label": _("领取"), "url": base + "claim/", "method": "post"})
    if task.owner_id == user.pk or (task.owner_id is None and may_do):
        actions.append({"key": "reassign", "label": _("转交"), "url": base + "reassign/", "method": "get"})
    if task.owner_id == user.pk and task.status == STATUS.ASSIGNED:
        actions.append({"key": "release", "label": _("退回待领取"), "url": base + "release/", "method": "post"})
    if not may_do and can_urge(task, user):
        actions.append({"key": "urge", "label": _("催办"), "url": base + "urge/", "method": "get"})
    return actions


def can_urge(task, user):
    """Someone above the organisation (its reviewers, or a role holder on an ancestor) may nudge an open task."""
    organisation = history.concrete(task.process).organisation
    if task.status not in OPEN:
        return False
    return can_review(user, organisation) or (organisation.parent is not None and can_act_on(user, organisation.parent))


def process_actions(process, user):
    """``[{"task_title", "actions"}]`` for the process's open human tasks, plus 撤回 where allowed."""
    rows = []
    for task in process.task_set.filter(status__in=OPEN).select_related("owner"):
        actions = task_actions(task, user)
        if actions:
            rows.append({"title": str(task.flow_task.task_title or task.flow_task), "owner": history.person(task.owner),
                         "actions": actions})
    concrete = history.concrete(process)
    review_round = getattr(concrete, "review_round", None)
    if isinstance(review_round, ReviewRound) and review_round.status == RoundStatus.HIGHER_REVIEW \
            and can_act_on(user, review_round.organisation, ROUND_OWNERS):
        higher = process.task_set.filter(status__in=(STATUS.NEW, STATUS.ASSIGNED),
                                         flow_task=concrete.flow_class.higher_review).exists()
        if higher:
            rows.append({"title": _("撤回上报"), "owner": "", "actions": [{
                "key": "withdraw", "label": _("撤回"), "method": "get",
                "url": reverse("reviews:withdraw_round", args=[review_round.pk])}]})
    return rows
