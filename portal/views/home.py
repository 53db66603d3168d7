"""工作台: the landing page after login — my tasks, my points, my branch's rounds."""
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from ledger import scope
from ledger import signs as ledger_signs
from members import roles
from reviews.models import Objection, ReviewRound, RoundStatus

from ..navigation import role_flags
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

        context["my_boards"] = member_boards(context["member"])
    if roles.has_any_role(user):
        context["inbox"] = task_rows(inbox_for, user, limit=20)
        context["queue"] = task_rows(queue_for, user, limit=20)
        context["archive_url"] = reverse("portal:tasks") + "?tab=archive"
        orgs = roles.visible_organisations(user)
        # rounds and objections are the review chain's: a cashier or grid worker only sees their own work
        context["review_chain"] = role_flags(request)["party"]
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
    context["village_links"] = village_links(request)
    return render(request, "portal/home.html", context)


def member_boards(member):
    """The public board where the member may object now: that of their own organisation, or of the
    nearest one above it, whose round is being publicised.

    Only a round held by the member's organisation or one above it concerns them: a board above
    also lists other branches' rounds (its subtree), which is not the member's own board.
    """
    org = member.organisation
    chain = [org, *org.ancestors()]
    holding = set(open_publicities().filter(review_round__organisation__in=chain)
                  .values_list("review_round__organisation_id", flat=True))
    return [o for o in chain if o.pk in holding][:1]


def village_links(request):
    """The village roles' own pages, first on their home page: the counter for a cashier, the
    recording page for a grid worker (the same rules as the menu's entries)."""
    links = []
    flags = role_flags(request)
    if flags["cashier"]:
        links.append({"label": _("积分超市兑换台"), "url": reverse("market:counter"),
                      "help": _("扫家庭积分码或按户名查找，办理兑换、打印兑换小票。")})
    if flags["grid"]:
        links.append({"label": _("网格员记分"), "url": reverse("market:record"),
                      "help": _("为本网格农户记分，可逐条记录或从表格批量导入。")})
    return links
