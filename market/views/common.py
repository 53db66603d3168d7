"""What the market's screens share: which village a screen shows and who may act there."""
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from organisations.models import OrganisationKind
from organisations.permissions import can_act_on, organisations_for
from safeguards.params import parse_int

from ..services.common import CASHIERS, VILLAGE_STAFF


def villages_for(user, kinds=None):
    """The 行政村 the user may act on with one of ``kinds`` (any role when None), in tree order."""
    return organisations_for(user, kinds).filter(kind=OrganisationKind.VILLAGE).order_by("path")


def chosen_village(request, kinds=None):
    """The village picked with ``?village=<id>`` among :func:`villages_for`, else the first; 403 without any."""
    villages = villages_for(request.user, kinds)
    village_id = parse_int(request.GET.get("village") or request.POST.get("village"))
    village = None
    if village_id is not None:
        village = villages.filter(pk=village_id).first()
    village = village or villages.first()
    if village is None:
        raise PermissionDenied(_("您没有任何行政村的角色，积分超市按村设立。"))
    return village, villages


def abilities(user, village):
    """``{"staff": bool, "cashier": bool}``: what the user may do in ``village``."""
    return {"staff": can_act_on(user, village, VILLAGE_STAFF), "cashier": can_act_on(user, village, CASHIERS)}
