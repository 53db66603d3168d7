"""专人记分: branch staff (secretary, committee members, clerks) record events for members.

One event at a time (the member, the item from the scheme in force, evidence, who reported
it), or many from a sheet (``reviews.services.batch``: all or nothing, with a row report).
Each record is a declaration of the review chain; the branch meeting decides it. The grid
worker's pages for households (``market.views.grid``) use the same batch service and page.
"""
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from members.models import Member
from organisations.permissions import BRANCH_STAFF, organisations_for
from workdays.clock import local_today
from workdays.wording import with_note
from workflow.forms import apply_error

from ..models import Declaration, ReporterKind
from ..services import batch, declarations
from .declarations import DeclarationForm, _on_item_field, scheme_for

#: How the recorder came to know of the event.
REPORTERS = ((ReporterKind.CLERK, _lazy("专人记录（本人核实）")), (ReporterKind.MASS, _lazy("群众反映")))
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def members_recorded_by(user):
    """Active members and households of the organisations where ``user`` is branch staff, in tree order."""
    return Member.objects.filter(organisation__in=organisations_for(user, BRANCH_STAFF), is_active=True).select_related(
        "organisation").order_by("organisation__path", "name")


class MemberEventForm(DeclarationForm):
    """The declaration form with the member chosen first and who reported the event."""

    member = forms.ModelChoiceField(label=_lazy("成员"), queryset=Member.objects.none())
    reporter_kind = forms.ChoiceField(label=_lazy("反映人"), choices=REPORTERS, initial=ReporterKind.CLERK)
    reporter_name = forms.CharField(label=_lazy("反映人姓名（群众反映时填写）"), max_length=50, required=False)
    reporter_contact = forms.CharField(label=_lazy("反映人联系方式（群众反映时填写）"), max_length=50, required=False)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["occurred_on"].initial = local_today()
        self.fields["member"].queryset = members
        self.fields["member"].label_from_instance = lambda m: with_note(m.name, m.organisation.name)
        self.order_fields(["member", *[n for n in self.fields if n != "member"]])


def _members_or_403(user):
    members = members_recorded_by(user)
    if not members.exists():
        raise PermissionDenied(_("您不是任何支部的书记、支委或专人记分员，或支部没有在册成员。"))
    return members


@login_required
def record(request):
    members = _members_or_403(request.user)
    form = MemberEventForm(request.POST or None, request.FILES or None, members=members,
                           scheme=scheme_for(members.first()))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            declaration = declarations.create_declaration(
                by=request.user, member=data["member"], reporter_kind=data["reporter_kind"],
                reporter_name=data["reporter_name"], reporter_contact=data["reporter_contact"],
                component=data["component"], rule_item=data["rule_item"],
                rule_item_label=data.get("rule_item_label", ""), points=data["points"], quantity=data["quantity"],
                occurred_on=data["occurred_on"], place=data["place"], description=data["description"],
                evidence=data["evidence"],
            )
        except (ValidationError, PermissionDenied) as exc:
            apply_error(form, _on_item_field(form, exc))
        else:
            messages.success(request, _("已记录：%(d)s，等待支部会议审核。") % {"d": declaration})
            return redirect("reviews:record")
    mine = Declaration.objects.filter(
        declared_by=request.user, reporter_kind__in=(ReporterKind.CLERK, ReporterKind.MASS),
    ).select_related("member", "review_round", "scheme_version").order_by("-created_at", "-pk")[:30]
    return render(request, "reviews/record.html", {"form": form, "mine": mine},
                  status=400 if form.errors else 200)


class BatchForm(forms.Form):
    file = forms.FileField(label=_lazy("记分表（.xlsx）"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx," + XLSX}))


def batch_page(request, *, members, reporter_kind, title, back_url, template_url):
    """The batch page shared by clerks and grid workers: upload, record all or nothing, show the row report."""
    form = BatchForm(request.POST or None, request.FILES or None)
    report, made = [], None
    if request.method == "POST" and form.is_valid():
        try:
            made = batch.import_events(form.cleaned_data["file"].read(), by=request.user,
                                       reporter_kind=reporter_kind, members=list(members))
        except ValidationError as exc:
            report = batch.report_of(exc)
            apply_error(form, exc)
        else:
            messages.success(request, _("已记录 %(n)s 条，等待审核。") % {"n": len(made)})
    return render(request, "reviews/record_batch.html", {
        "form": form, "report": report, "made": made, "title": title, "back_url": back_url,
        "template_url": template_url,
    }, status=400 if form.errors else 200)


@login_required
def record_batch(request):
    members = _members_or_403(request.user)
    return batch_page(request, members=members, reporter_kind=ReporterKind.CLERK, title=_("批量记分"),
                      back_url=reverse("reviews:record"), template_url=reverse("reviews:record_template"))


@login_required
def record_template(request):
    response = HttpResponse(batch.template_workbook(), content_type=XLSX)
    response["Content-Disposition"] = "attachment; filename=\"record-template.xlsx\""
    return response
