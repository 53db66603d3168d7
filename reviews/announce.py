"""What the review chain tells people (``notifications.notify``): a round returned, an objection
lodged, results published. Called by ``reviews.services`` inside the step's transaction; the
messages go out once it commits. Deadline reminders are in ``reviews.deadlines``.
"""
from django.urls import reverse
from django.utils.translation import gettext_noop as _

from notifications.models import Event
from notifications.services import notify
from notifications.text import encode, message, per_language
from organisations.models import RoleKind
from organisations.permissions import BRANCH_STAFF, role_holders
from workdays.calendar import is_provisional_span

from .models import PublicityKind
from .privacy import objection_watchers


def round_words(review_round):
    """A round's name (organisation and period label) in each language, for a notification."""
    return per_language(lambda: str(review_round))


def due_words(objection):
    """An objection's answer date, marked when it is counted on provisional holidays."""
    if is_provisional_span(objection.received_on, objection.due_on):
        return message(_("%(date)s（暂按法定节假日推算）"), date=objection.due_on)
    return encode(objection.due_on)


def round_returned(review_round, filing):
    """The higher committee returned the round: the branch secretary is told why."""
    notify(
        Event.ROUND_RETURNED, role_holders(review_round.organisation, (RoleKind.SECRETARY,)),
        title=message(_("%(round)s被上级退回修改"), round=round_words(review_round)),
        body=message(_("审查意见：%(c)s"), c=filing.comments),
        url=reverse("reviews:branch_meeting", args=[review_round.pk]), organisation=review_round.organisation,
        key=f"round:{review_round.pk}:returned:{filing.pk}",
    )


def objection_lodged(objection):
    """An objection was lodged: the branch staff (not the member objected against) are told, with the
    answer date (marked if provisional), not who objected."""
    organisation = objection.organisation
    # Who objected and what they wrote stay on the answer page: a notice may reach a group robot
    # or the member objected against (who is left out of the recipients, ``reviews.privacy``).
    notify(
        Event.OBJECTION_LODGED,
        objection_watchers(objection, role_holders(organisation, BRANCH_STAFF)),
        title=message(_("收到异议：%(member)s“%(item)s”"), member=objection.member_name,
                      item=per_language(lambda: objection.item_text)),
        body=message(_("请于%(due)s前书面答复（7个工作日内），异议人和异议理由见答复页面。"), due=due_words(objection)),
        url=reverse("reviews:answer_objection", args=[objection.pk]), organisation=organisation,
        key=f"objection:{objection.pk}:lodged",
    )


def results_published(publicity):
    """A publicity opened: each member with a login whose item is in it is told, with the window."""
    rr = publicity.review_round
    users = {d.member.user for d in publicity.declarations.select_related("member__user") if d.member.user_id}
    notify(
        Event.RESULT_PUBLISHED, users,
        title=message(_("%(round)s%(kind)s"), round=round_words(rr), kind=PublicityKind(publicity.kind).label),
        body=message(_("公示期%(start)s至%(end)s。对公示结果有异议的，可在公示期内提出。"),
                     start=publicity.start_on, end=publicity.end_on),
        url=reverse("reviews:my_points"), organisation=rr.organisation,
        key=f"publicity:{publicity.pk}",
    )
