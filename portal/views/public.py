"""公示栏: the public board, readable without login on a phone, and the objection form.

Only name, branch, item and points are shown: never ID numbers, phones or evidence.
"""
from captcha.fields import CaptchaField, CaptchaTextInput
from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods

from organisations.models import Organisation
from appraisals.models import Evaluation, EvaluationStatus
from reviews.models import (
    Declaration,
    DeclarationStatus,
    Objection,
    Publicity,
    PublicityKind,
    local_today,
)
from reviews import refusals
from reviews.labels import declaration_item
from reviews.services import objections
from reviews.services.points import points_now, signed_points, upheld_prefetch

from .. import board_cache
from workflow.forms import apply_error


def open_publicities(organisation=None, today=None):
    """Publicity windows open today (in Asia/Shanghai), optionally within an organisation's subtree."""
    today = today or local_today()
    qs = Publicity.objects.filter(closed_at__isnull=True, start_on__lte=today, end_on__gte=today).select_related(
        "review_round__organisation"
    )
    if organisation is not None:
        qs = qs.filter(review_round__organisation__path__startswith=organisation.path)
    return qs.order_by("end_on", "review_round__organisation__path", "pk")


def published_points(declaration, publicity):
    """The points this publicity announces for the declaration: the points that count now
    (``reviews.services.points.points_now``) in a correction notice, the branch's decision otherwise."""
    if publicity.kind == PublicityKind.CORRECTIONS:
        return points_now(declaration).current
    return declaration.decided_points


def shown(declaration, points):
    """``points`` of ``declaration`` as the board shows them: signed by its scheme (a deduction reads -2)."""
    return None if points is None else signed_points(declaration, points)


def board_items(publicity):
    """Public rows: only name, branch, item and points; ``rejected`` (不予认定) and ``corrected`` (更正,
    with the points before) say what the row is."""
    rows = []
    declarations = publicity.declarations.select_related("member", "organisation", "scheme_version").order_by(
        "organisation__path", "member__name", "pk"
    )
    for d in declarations.prefetch_related(upheld_prefetch()):
        now = points_now(d)
        notice = publicity.kind == PublicityKind.CORRECTIONS
        corrected = notice and now.corrected
        changed = not notice and now.corrected  # upheld after this board opened: shown beside it, with its state
        rows.append(
            {
                "declaration_id": d.pk,
                "name": d.member.name,
                "branch": d.organisation.name,
                "item": declaration_item(d),  # the scheme's words, in the page's language
                "component": d.component,
                "points": shown(d, now.current if notice else d.decided_points),
                "rejected": d.status == DeclarationStatus.REJECTED and not corrected,
                "corrected": corrected,
                "previous": shown(d, d.decided_points) if corrected else None,
                # the corrected points not yet (or since) published in a 更正公示, and whether they were
                "corrected_to": shown(d, now.current) if changed else None,
                "correction_published": changed and now.published,
            }
        )
    return rows


def evaluations_in_publicity(organisation=None):
    """Year-end evaluations whose results are being publicised, optionally within a subtree."""
    qs = Evaluation.objects.filter(status=EvaluationStatus.PUBLICITY).select_related("organisation")
    if organisation is not None:
        qs = qs.filter(organisation__path__startswith=organisation.path)
    return qs.order_by("organisation__path")


def result_rows(evaluation):
    """Public rows of a year-end result: name, branch, total, grade and stars only."""
    return [
        {"name": r.member.name, "branch": r.member.organisation.name, "total": r.total, "grade": r.grade,
         "stars": r.stars, "member_id": r.member_id}
        for r in evaluation.results.select_related("member__organisation").order_by("-total", "member__name")
    ]


def public_index(request):
    """Every organisation with a publicity window open today."""
    pubs = list(open_publicities().annotate(items=Count("declarations")))
    orgs = {}
    for p in pubs:  # the items the board lists (board_items: one row per declaration), not the windows
        org = p.review_round.organisation
        entry = orgs.setdefault(org.pk, {"organisation": org, "count": 0, "end_on": p.end_on})
        entry["count"] += p.items
        entry["end_on"] = max(entry["end_on"], p.end_on)
    for e in evaluations_in_publicity().annotate(people=Count("results")):
        entry = orgs.setdefault(e.organisation_id, {"organisation": e.organisation, "count": 0, "end_on": None})
        entry["year_end"] = True
        entry["people"] = entry.get("people", 0) + e.people
    return render(request, "portal/public_index.html", {"boards": list(orgs.values())})


def public_board(request, code):
    organisation = get_object_or_404(Organisation, code=code, is_active=True)
    today = local_today()

    def build_context():
        boards = []
        for p in open_publicities(organisation, today):
            boards.append({"publicity": p, "round": p.review_round, "items": board_items(p)})
        year_end = [{"evaluation": e, "rows": result_rows(e)} for e in evaluations_in_publicity(organisation)]
        return {"organisation": organisation, "boards": boards, "year_end": year_end}

    # The tables are cached until a round moves (portal.board_cache); the page around them is per request.
    board_html = board_cache.board_body(organisation, today, build_context)
    return render(
        request, "portal/public_board.html",
        {"organisation": organisation, "board_html": mark_safe(board_html), "hide_login": True},  # noqa: S308
    )


class ObjectionForm(forms.Form):
    objector_name = forms.CharField(label=_lazy("您的姓名"), max_length=50)
    objector_contact = forms.CharField(
        label=_lazy("联系方式"), max_length=50, help_text=_lazy("手机号或其他联系方式，仅用于答复您，不会公开。")
    )
    reason = forms.CharField(label=_lazy("异议理由"), widget=forms.Textarea(attrs={"rows": 5}), max_length=2000)

    def clean_objector_name(self):
        value = self.cleaned_data["objector_name"].strip()
        if not value:
            raise ValidationError(_("请填写姓名。"))
        return value

    def clean_reason(self):
        value = self.cleaned_data["reason"].strip()
        if len(value) < 5:
            raise ValidationError(_("请写明异议理由（至少 5 个字）。"))
        return value


class ChallengeInput(CaptchaTextInput):
    """django-simple-captcha's widget with the picture described in the page's language; labelled by the
    field's own <label> (the answer box), not drawn as a fieldset."""

    template_name = "portal/widgets/challenge.html"
    use_fieldset = False


class PublicObjectionForm(ObjectionForm):
    """The form for visitors who are not logged in: the same fields and a challenge (django-simple-captcha)."""

    captcha = CaptchaField(label=_lazy("验证码"), widget=ChallengeInput,
                           help_text=_lazy("请输入图中的4个字符，不区分大小写；看不清时点“看不清，换一张”，已填的内容会保留。"))


#: The POST key of the challenge's "看不清，换一张" button (portal/widgets/challenge.html).
REFRESH_CHALLENGE = "refresh_challenge"


def objection_form(request):
    """The objection form for this visitor: with the challenge unless they are logged in.

    Bound to the POST, except a POST of the challenge's "看不清，换一张" button
    (``REFRESH_CHALLENGE``): then an unbound form (nothing checked, nothing refused) showing a new
    challenge and the values typed so far. On a GET a logged-in member's name is filled in from
    their member record (``user.member``).
    """
    form_class = ObjectionForm if request.user.is_authenticated else PublicObjectionForm
    if request.method == "POST" and REFRESH_CHALLENGE in request.POST:
        return form_class(initial={name: request.POST.get(name, "") for name in ObjectionForm.base_fields})
    if request.method == "POST":
        return form_class(request.POST)
    member = getattr(request.user, "member", None) if request.user.is_authenticated else None
    return form_class(initial={"objector_name": member.name} if member is not None else None)


@require_http_methods(["GET", "POST"])
def public_objection(request, code, publicity_id, declaration_id):
    organisation = get_object_or_404(Organisation, code=code, is_active=True)
    publicity = get_object_or_404(
        Publicity.objects.select_related("review_round__organisation"),
        pk=publicity_id,
        review_round__organisation__path__startswith=organisation.path,
    )
    declaration = get_object_or_404(
        Declaration.objects.select_related("member", "organisation", "scheme_version"), pk=declaration_id,
        publicities=publicity,
    )
    item = {
        "name": declaration.member.name,
        "branch": declaration.organisation.name,
        "item": declaration_item(declaration),
        "points": shown(declaration, published_points(declaration, publicity)),
    }
    is_open = publicity.is_open_on(local_today())
    form = objection_form(request)
    client = refusals.client_address(request)
    if form.is_bound and not is_open:
        form.is_valid()
        form.add_error(None, _("该公示已于%(date)s截止，不能再提出异议。") % {"date": publicity.end_on})
        refusals.record(declaration, client=client, code="outside_publicity_window",
                        message=form.non_field_errors()[0], objector_name=request.POST.get("objector_name", ""))
    elif form.is_bound and not form.is_valid():
        if "captcha" in form.errors:
            refusals.record(declaration, client=client, code=refusals.CAPTCHA_FAILED,
                            message=" ".join(form.errors["captcha"]), objector_name=request.POST.get("objector_name", ""))
    elif form.is_bound:
        try:
            objection = objections.lodge_objection(
                declaration,
                objector_name=form.cleaned_data["objector_name"],
                objector_contact=form.cleaned_data["objector_contact"],
                reason=form.cleaned_data["reason"],
                received_by=None,
                client=client,
            )
        except (ValidationError, PermissionDenied) as exc:
            apply_error(form, exc)
        else:
            request.session["last_objection"] = objection.pk
            return redirect("public_objection_done", code=organisation.code, objection_id=objection.pk)
    return render(
        request,
        "portal/public_objection.html",
        {
            "organisation": organisation,
            "publicity": publicity,
            "item": item,
            "form": form,
            "is_open": is_open,
            "hide_login": True,
        },
    )


def public_objection_done(request, code, objection_id):
    """Receipt for the objector; only the session that filed it sees the details."""
    organisation = get_object_or_404(Organisation, code=code)
    if request.session.get("last_objection") != objection_id:
        raise PermissionDenied(_("只能查看本人刚提交的异议回执。"))
    objection = get_object_or_404(Objection.objects.select_related("declaration__member"), pk=objection_id)
    return render(
        request,
        "portal/public_objection_done.html",
        {"organisation": organisation, "objection": objection, "hide_login": True},
    )
