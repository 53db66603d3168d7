"""The public boards' rendered tables, cached until a round, publicity, objection or evaluation moves.

The board is public and changes only when a round moves (#16 target 4). Its body is rendered
once per board, day and language and kept in Django's cache under the current
version of ``PublicBoardChange`` (how many rows, and the last); the signals connected in
``PortalConfig.ready`` add a row with every change to what a board shows (a publicity opened,
closed or given its items, a round's status, an objection answered, a year-end evaluation
published). The row counts once its transaction commits, so the next visitor after the commit
renders the board afresh, in every process (no lock is taken: rows are only inserted). The page around the body (CSRF tokens, language and display switches) is
rendered per request. Names edited on the roster show within ``TTL`` at the latest.
"""
from django.core.cache import cache
from django.db.models import Count, Max
from django.template.loader import render_to_string
from django.utils.translation import get_language

from .models import PublicBoardChange

#: Seconds a rendered board is kept at most (name changes on the roster are not signalled).
TTL = 600


def current_version():
    """``"<rows>.<last id>"`` of the committed changes: both move with every commit that adds one
    (the count also when ids commit out of order)."""
    found = PublicBoardChange.objects.aggregate(n=Count("pk"), last=Max("pk"))
    return f"{found['n']}.{found['last'] or 0}"


def invalidate(**kwargs):
    """Signal receiver (any sender): every cached board is stale once the current transaction commits."""
    PublicBoardChange.objects.create()


def board_body(organisation, today, build_context):
    """The rendered body of ``organisation``'s board for ``today`` (``build_context()`` on a miss)."""
    # "s2": bodies rendered before points were shown signed (deductions as -2) are never served again.
    key = f"jifen:board:s2:{current_version()}:{organisation.pk}:{today.isoformat()}:{get_language()}"
    html = cache.get(key)
    if html is None:
        html = render_to_string("portal/_public_board_body.html", build_context())
        cache.set(key, html, TTL)
    return html
