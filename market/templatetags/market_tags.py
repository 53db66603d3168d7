from django import template

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
