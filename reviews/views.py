"""The public publicity board and the permission-checked evidence download."""
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render

from . import services
from .models import Evidence, ReviewRound


def board(request, pk):
    """公示栏: readable without login on a phone; name, branch, item and points only."""
    review_round = get_object_or_404(ReviewRound.objects.select_related("organisation"), pk=pk)
    publicity = review_round.current_publicity()
    if publicity is None:
        raise Http404("not published")
    rows = [
        {"pk": d.pk, "name": d.member.name, "item": d.rule_item_label or d.rule_item,
         "points": services.effective_points(d)}
        for d in publicity.declarations.select_related("member").order_by("member__name", "pk")
    ]
    return render(request, "reviews/board.html", {
        "round": review_round, "publicity": publicity, "rows": rows,
        "is_open": publicity.is_open_on(services.local_today()),
    })


@login_required
def evidence_file(request, pk):
    item = get_object_or_404(Evidence.objects.select_related("declaration__member", "declaration__organisation"), pk=pk)
    if not services.can_view_declaration(request.user, item.declaration):
        raise Http404("not found")  # do not reveal that the file exists
    response = FileResponse(item.file.open("rb"), content_type=item.content_type)
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
