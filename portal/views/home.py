"""工作台: the landing page after login — my tasks, my points, my branch's rounds."""
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse

from ledger import scope
from ledger import signs as ledger_signs
from members import roles
from reviews.models import Objection, ReviewRound, RoundStatus

from ..scoping import inbox_for, queue_for
from .public import open_publicities
from .tasks import task_rows


@login_required
def home(request):
    user = request.user
    context = {"member": roles.member_of(user)}
    if context["member"] is not None:

        cycle = scope.default_cycle_start(member=context["member"])
        context["my_cycle"] = cycle
        context["my_total"] = ledger_signs.signed_balance(context["member"], cycle_start=cycle)
        context["my_open_declarations"] = context["member"].declarations.filter(status="submitted").count()

        # Publicity windows open on the member's branch (or above): where they may object.
        org = context["member"].organisation
        chain = [org, *org.ancestors()]
        context["my_boards"] = [
            o for o in chain if open_publicities(o).exists()
        ][:1]
    if roles.has_any_role(user):
        context["inbox"] = task_rows(inbox_for, user, limit=20)
        context["queue"] = task_rows(queue_for, user, limit=20)
        context["archive_url"] = reverse("portal:tasks") + "?tab=archive"
        orgs = roles.visible_organisations(user)
        context["active_rounds"] = (
            ReviewRound.objects.filter(organisation__in=orgs)
            .exclude(status=RoundStatus.FINAL)
            .select_related("organisation")
            .order_by("organisation__path", "-period_start")[:20]
        )
        context["open_objections"] = (
            Objection.objects.filter(organisation__in=orgs, answered_on__isnull=True)
            .select_related("declaration__member", "organisation")
            .order_by("due_on")[:20]
        )
    return render(request, "portal/home.html", context)
