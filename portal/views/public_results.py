"""公示栏: an objection against a member's publicised year-end result (the same ObjectionFlow as
a quarterly item's objection; ``appraisals.services.objections``)."""
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from appraisals.models import Evaluation, EvaluationStatus
from appraisals.services import objections
from organisations.models import Organisation
from reviews import refusals
from reviews.models import local_today
from workflow.forms import apply_error

from .public import objection_form


@require_http_methods(["GET", "POST"])
def public_result_objection(request, code, evaluation_id, member_id):
    organisation = get_object_or_404(Organisation, code=code, is_active=True)
    evaluation = get_object_or_404(
        Evaluation.objects.select_related("organisation"), pk=evaluation_id,
        organisation__path__startswith=organisation.path,
        status__in=(EvaluationStatus.PUBLICITY, EvaluationStatus.AWAITING_ANSWERS),
    )
    result = get_object_or_404(evaluation.results.select_related("member__organisation"), member_id=member_id)
    is_open = evaluation.accepts_objection_on(local_today())
    form = objection_form(request)  # with the challenge unless logged in, as for a quarterly item
    client = refusals.client_address(request)
    if form.is_bound and not form.is_valid():
        if "captcha" in form.errors:
            refusals.record(None, organisation=evaluation.organisation, client=client, code=refusals.CAPTCHA_FAILED,
                            message=" ".join(form.errors["captcha"]), objector_name=request.POST.get("objector_name", ""))
    elif form.is_bound:
        try:
            objection = objections.lodge_objection(
                evaluation, result.member, objector_name=form.cleaned_data["objector_name"],
                objector_contact=form.cleaned_data["objector_contact"], reason=form.cleaned_data["reason"],
                client=client,
            )
        except (ValidationError, PermissionDenied) as exc:
            apply_error(form, exc)
        else:
            request.session["last_objection"] = objection.pk
            return redirect("public_objection_done", code=organisation.code, objection_id=objection.pk)
    return render(request, "portal/public_result_objection.html", {
        "organisation": organisation, "evaluation": evaluation, "result": result, "form": form,
        "is_open": is_open, "hide_login": True,
    }, status=400 if form.errors else 200)
