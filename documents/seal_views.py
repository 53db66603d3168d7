"""The seal page of an organisation: its seal, the upload form (secretary) and the 用印登记.

``/documents/seal/<organisation code>/``: anyone with a role on the organisation or above
sees the seal in use and the log of its uses; its secretary uploads a new one (a PNG with
transparency, see :mod:`documents.seals`). The image is served only through this app,
after the same permission check.
"""
import io

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from organisations.models import Organisation
from organisations.permissions import ANY_ROLE, can_act_on

from . import seals
from .models import Seal


class SealForm(forms.Form):
    image = forms.FileField(label=_lazy("印章图片"),
                            help_text=_lazy("透明背景的 PNG（带 Alpha 通道），近似正方形，200–4000 像素。"))
    diameter_mm = forms.IntegerField(label=_lazy("印章直径（毫米）"), initial=40,
                                     min_value=seals.MIN_DIAMETER_MM, max_value=seals.MAX_DIAMETER_MM)


def _organisation(request, code):
    organisation = get_object_or_404(Organisation, code=code)
    if not can_act_on(request.user, organisation, ANY_ROLE):
        raise PermissionDenied(_("您无权查看该组织的印章。"))
    return organisation


@login_required
def seal_page(request, code):
    """The seal in use, the upload form for the secretary, and the 用印登记 (newest first)."""
    organisation = _organisation(request, code)
    may_upload = can_act_on(request.user, organisation, seals.SEAL_KEEPERS)
    form = SealForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not may_upload:
            raise PermissionDenied(_("只有本组织的书记可以上传印章。"))
        if form.is_valid():
            try:
                seals.upload_seal(organisation, form.cleaned_data["image"].read(), request.user,
                                  diameter_mm=form.cleaned_data["diameter_mm"])
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
            else:
                messages.success(request, _("印章已上传，此后签发的公文将加盖此印章。"))
                return redirect("documents:seal", code=organisation.code)
    return render(request, "documents/seal.html", {
        "organisation": organisation, "seal": seals.current_seal(organisation), "form": form,
        "may_upload": may_upload, "log": seals.seal_log(organisation)[:200],
    }, status=400 if form.errors else 200)


@login_required
def seal_image(request, pk):
    """The seal's PNG, for the seal page (the same permission as the page)."""
    seal = get_object_or_404(Seal.objects.select_related("organisation"), pk=pk)
    _organisation(request, seal.organisation.code)
    data, _diameter, _aspect = seals.seal_image(seal)
    return FileResponse(io.BytesIO(data), content_type="image/png")
