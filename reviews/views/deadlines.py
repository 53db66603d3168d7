"""催办: the higher committee's reviewer chases the branch about an objection, by hand."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import deadlines
from ..models import Objection


@login_required
@require_POST
def remind_objection(request, pk):
    """POST ``note`` (optional) and ``next``: send the 催办, then go back to ``next``."""
    objection = get_object_or_404(Objection, pk=pk)
    try:
        sent = deadlines.remind(objection, request.user, request.POST.get("note", ""))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("已向%(org)s发出催办（%(n)s人收到通知）。")
                         % {"org": objection.declaration.organisation, "n": len(sent)})
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = ""
    return redirect(target or "reviews:objection_review", **({} if target else {"pk": objection.pk}))
