from django import template

from ..units import quantity_text
from ..views.common import abilities

register = template.Library()


@register.simple_tag(takes_context=True)
def market_can(context, village):
    """``{% market_can village as can %}``: ``{"staff": bool, "cashier": bool}`` for the request's user,
    so a screen links only to the market pages its reader may open."""
    request = context.get("request")
    if request is None or village is None:
        return {"staff": False, "cashier": False}
    return abilities(request.user, village)


@register.filter
def redeemed_quantity(redemption):
    """``2瓶`` / ``2 bottles``: a redemption's quantity with its goods' unit in the reader's language."""
    return quantity_text(redemption.quantity, redemption.goods.unit)
