"""What the year-end evaluation tells people (``notifications.notify``): returned, published.

Called by ``appraisals.services.evaluations`` inside its transaction; the messages go out once it
commits.
"""
from django.urls import reverse
from django.utils.translation import gettext_noop as _

from notifications.models import Event
from notifications.services import notify
from notifications.text import message, per_language
from organisations.models import RoleKind
from organisations.permissions import role_holders
from schemes.words import word


def results_returned(evaluation):
    """The higher committee returned the proposed results: the branch secretary is told why."""
    notify(
        Event.ROUND_RETURNED, role_holders(evaluation.organisation, (RoleKind.SECRETARY,)),
        title=message(_("%(ev)s被上级退回修改"), ev=per_language(lambda: str(evaluation))),
        body=message(_("审批意见：%(c)s"), c=evaluation.review_comments),
        url=reverse("appraisals:detail", args=[evaluation.pk]), organisation=evaluation.organisation,
        key=f"evaluation:{evaluation.pk}:returned:{evaluation.reviewed_at.isoformat()}",
    )


def results_published(evaluation):
    """Publicity is over and the results are published: each member with a login is told their grade."""
    name = per_language(lambda: str(evaluation))
    scheme = evaluation.scheme_version
    for result in evaluation.results.select_related("member__user"):
        user = result.member.user
        if user is None:
            continue
        notify(
            Event.RESULT_PUBLISHED, [user],
            title=message(_("%(ev)s结果已公布"), ev=name),
            body=message(_("您的评定等次：%(grade)s"),
                         grade=per_language(lambda grade=result.grade: word(grade, scheme)) if result.grade else message(_("未评定等次"))),
            url=reverse("reviews:my_points"), organisation=evaluation.organisation,
            key=f"evaluation:{evaluation.pk}:published",
        )
