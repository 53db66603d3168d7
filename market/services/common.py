"""What the points supermarket's steps share: the village, the scheme's redemption settings, numbers."""
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from organisations.models import OrganisationKind, RoleKind
from organisations.permissions import BRANCH_STAFF
from schemes.models import Scheme

from ..errors import MarketErrorCode as Code
from ..errors import error

#: Who keeps the catalogue, records bars and closes the year: the village's staff.
VILLAGE_STAFF = BRANCH_STAFF
#: Who redeems at the counter.
CASHIERS = (RoleKind.CASHIER,)
#: Who may open a household's page (the 家庭积分码): the counter, the village staff and grid workers.
HOUSEHOLD_READERS = (RoleKind.CASHIER, RoleKind.GRID_WORKER, *BRANCH_STAFF)
#: The largest quantity one exchange may take.
MAX_QUANTITY = 999
TWO_PLACES = Decimal("0.01")


def require_village(organisation, field="organisation"):
    """``organisation`` when it is a 行政村; raises ``not_a_village`` on ``field`` otherwise."""
    if organisation is None or organisation.kind != OrganisationKind.VILLAGE:
        raise error(field, Code.NOT_A_VILLAGE, _("“%(org)s”不是行政村：积分超市按村设立。"), org=organisation)
    return organisation


@dataclass(frozen=True)
class SchemeInForce:
    """The stored scheme in force for a village on a day, and its ``[redemption]`` settings."""

    scheme: object
    redemption: object

    @property
    def cycle_start(self):
        return self.scheme.cycle_start

    @property
    def cycle_end(self):
        return self.scheme.cycle_end


def scheme_in_force(village, day, field="__all__"):
    """The scheme in force for ``village`` on ``day`` with its redemption settings.

    Raises ``no_scheme_in_force`` when there is none (or it has no version yet), and
    ``scheme_does_not_redeem`` when its scheme has no ``[redemption]`` section.
    """
    scheme = Scheme.objects.in_force(village, day)
    version = scheme.current_version() if scheme is not None else None
    if version is None:
        raise error(field, Code.NO_SCHEME_IN_FORCE, _("“%(org)s”在 %(day)s 没有生效的积分方案，不能兑换。"),
                    org=village, day=day)
    settings = version.engine_scheme().redemption
    if not settings.enabled:
        raise error(field, Code.SCHEME_DOES_NOT_REDEEM, _("积分方案“%(scheme)s”未规定积分兑换。"), scheme=scheme.name)
    return SchemeInForce(scheme=scheme, redemption=settings)


def parse_quantity(value, field="quantity"):
    """A whole number from 1 to :data:`MAX_QUANTITY`; raises ``quantity_invalid`` on ``field``."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        number = None
    if number is None or not 1 <= number <= MAX_QUANTITY:
        raise error(field, Code.QUANTITY_INVALID, _("数量应为 1 至 %(max)s 的整数，收到“%(value)s”。"),
                    max=MAX_QUANTITY, value=value)
    return number


def parse_price(value, field="price"):
    """Points greater than 0 and below 1,000,000, two decimals at most; raises ``price_invalid``."""
    try:
        price = Decimal(str(value).strip())
    except (InvalidOperation, TypeError, ValueError):
        price = None
    if (price is None or not price.is_finite() or price <= 0 or price >= 1000000
            or price != price.quantize(TWO_PLACES)):
        raise error(field, Code.PRICE_INVALID, _("兑换积分应为大于0的数，最多两位小数，收到“%(value)s”。"), value=value)
    return price.quantize(TWO_PLACES)
