"""Member list, detail and edit pages; roster import and export.

Every view goes through organisations.permissions: a user reads the subtree of any role
they hold and changes members only with a branch staff role (书记, 支委, 专人记分).
Members outside the user's reach are answered with 404, so their existence is not
revealed; an organisation page outside the reach is a 403 naming the missing role.
"""
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from organisations.models import Organisation
from organisations.permissions import BRANCH_STAFF, can_act_on, organisations_for, require
from safeguards.params import int_param
from workdays.clock import local_today

from . import roster
from .forms import MemberForm, RosterUploadForm
from .models import Member, RosterImport
from workdays.wording import join_list

#: Form fields and multipart framing on top of the file itself.
_MULTIPART_OVERHEAD = 64 * 1024


def _visible_member(request, pk):
    member = get_object_or_404(Member.objects.select_related("organisation", "category", "user"), pk=pk)
    own = member.user_id is not None and member.user_id == request.user.pk
    if not own and not can_act_on(request.user, member.organisation):
        raise Http404(_("没有找到该成员。"))
    return member, own


@login_required
def index(request):
    orgs = organisations_for(request.user)
    own = Member.objects.filter(user=request.user).first()
    if not orgs.exists() and own is not None:
        return redirect("members:detail", pk=own.pk)
    rows = []
    for org in orgs.order_by("path"):
        rows.append({"org": org, "count": org.members.filter(is_active=True).count(),
                     "indent": org.depth})
    if rows:
        base = min(r["indent"] for r in rows)
        for r in rows:
            r["indent"] = (r["indent"] - base) * 1.5
    return render(request, "members/index.html", {
        "rows": rows, "own": own,
        "can_import": organisations_for(request.user, BRANCH_STAFF).exists(),
    })


@login_required
def me(request):
    own = Member.objects.filter(user=request.user).first()
    if own is None:
        raise Http404(_("您的账号没有关联成员档案。"))
    return redirect("members:detail", pk=own.pk)


@login_required
def organisation_members(request, org_id):
    org = get_object_or_404(Organisation, pk=org_id)
    require(request.user, org)
    members = Member.objects.filter(organisation__path__startswith=org.path).select_related(
        "organisation", "category").order_by("organisation__path", "-is_active", "name")
    return render(request, "members/organisation.html", {
        "org": org, "members": members,
        "can_edit": can_act_on(request.user, org, BRANCH_STAFF),
        "ancestors": org.ancestors(),
    })


@login_required
def detail(request, pk):
    member, own = _visible_member(request, pk)
    show_full = own or request.user.is_superuser
    return render(request, "members/detail.html", {
        "member": member,
        "id_number": member.id_number if show_full else member.id_number_masked,
        "id_is_full": show_full and bool(member.id_number),
        "can_edit": can_act_on(request.user, member.organisation, BRANCH_STAFF),
        "exclusions": member.exclusions.order_by("-decided_on"),
        "transfers": member.transfers.select_related("from_organisation", "to_organisation").order_by("-date", "-pk"),
        "excluded_now": member.is_excluded(local_today()),
    })


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    member, _own = _visible_member(request, pk)
    require(request.user, member.organisation, BRANCH_STAFF)
    form = MemberForm(request.POST or None, instance=member)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("已保存“%(name)s”的信息。") % {"name": member.name})
        return redirect("members:detail", pk=member.pk)
    return render(request, "members/edit.html", {"member": member, "form": form})


class _RosterSizeLimit(FileUploadHandler):
    """Stops buffering an uploaded file as soon as it passes the roster limit."""

    def __init__(self, request, limit):
        super().__init__(request)
        self.limit = limit
        self.received = 0

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.request.roster_too_large = True
            raise SkipFile()
        return raw_data

    def file_complete(self, file_size):
        return None


def _render_import(request, orgs, context, status=200):
    history = RosterImport.objects.filter(organisation__in=orgs).select_related("organisation", "user")[:10]
    return render(request, "members/import.html", {**context, "history": history}, status=status)


def _too_large(request, form_orgs, size=None):
    limit = settings.JIFEN_ROSTER_MAX_BYTES
    report = [roster.row_error(None, "", "", roster.too_large_message(size, limit))]
    form = RosterUploadForm(organisations=form_orgs)
    return _render_import(request, form_orgs, {"form": form, "report": report}, status=413)


@csrf_exempt
@login_required
def roster_import(request):
    """Upload a roster. The size is checked before the body is read (csrf is checked after)."""
    orgs = organisations_for(request.user, BRANCH_STAFF).order_by("path")
    if not orgs.exists():
        raise PermissionDenied(_("您没有任何组织的书记、支委或专人记分角色，不能导入名册。"))
    if request.method == "POST":
        limit = settings.JIFEN_ROSTER_MAX_BYTES
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit + _MULTIPART_OVERHEAD:
            # Refuse without reading the body into memory or onto disk.
            return _too_large(request, orgs, length)
        request.upload_handlers.insert(0, _RosterSizeLimit(request, limit))
    return _roster_import(request, orgs)


@csrf_protect
def _roster_import(request, orgs):
    if request.method not in ("GET", "POST"):
        return HttpResponse(status=405)
    initial = {}
    org_id = int_param(request.GET, "org")
    if org_id is not None:
        initial["organisation"] = orgs.filter(pk=org_id).first()
    if request.method == "GET":
        form = RosterUploadForm(organisations=orgs, initial=initial)
        return _render_import(request, orgs, {"form": form})
    if getattr(request, "roster_too_large", False):
        return _too_large(request, orgs)
    # Validate the organisation against every organisation, so that one outside the
    # user's reach is a permission error, not a silent form error.
    form = RosterUploadForm(request.POST, request.FILES, organisations=Organisation.objects.all())
    if not form.is_valid():
        return _render_import(request, orgs, {"form": form}, status=400)
    org = form.cleaned_data["organisation"]
    require(request.user, org, BRANCH_STAFF)
    upload = form.cleaned_data["file"]
    try:
        result = roster.import_roster(upload, upload.name, organisation=org, user=request.user)
    except roster.RosterImportError as exc:
        form = RosterUploadForm(organisations=orgs, initial={"organisation": org})
        return _render_import(request, orgs, {
            "form": form, "report": exc.errors, "filename": upload.name}, status=400)
    messages.success(request, _(
        "“%(file)s”导入完成：新增%(created)d人，更新%(updated)d人，未变化%(unchanged)d人。") % {
        "file": upload.name, "created": result.created, "updated": result.updated, "unchanged": result.unchanged})
    if result.sheet:
        messages.info(request, _("名册读自工作表“%(sheet)s”。") % {"sheet": result.sheet}
                      + (_("其他工作表（%(others)s）未读取。") % {"others": join_list(result.other_sheets)}
                         if result.other_sheets else ""))
    if result.ignored_columns:
        messages.info(request, _("以下列不认识，已忽略：%(cols)s") % {"cols": join_list(result.ignored_columns)})
    return redirect("members:organisation", org_id=org.pk)


def _download(content, filename, fmt):
    content_type = {
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "csv": "text/csv; charset=utf-8",
    }[fmt]
    response = HttpResponse(content, content_type=content_type)

    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


@login_required
def roster_export(request, org_id, fmt):
    if fmt not in ("xlsx", "csv"):
        raise Http404(_("只支持导出 xlsx 或 csv。"))
    org = get_object_or_404(Organisation, pk=org_id)
    members = roster.members_for_export(request.user, org)
    stamp = local_today().strftime("%Y%m%d")
    filename = f"{org.name}名册{stamp}.{fmt}"
    content = roster.export_xlsx(members, org.name) if fmt == "xlsx" else roster.export_csv(members)
    return _download(content, filename, fmt)


@login_required
def roster_template(request, fmt):
    if fmt not in ("xlsx", "csv"):
        raise Http404(_("只支持 xlsx 或 csv。"))
    empty = Member.objects.none()
    content = roster.export_xlsx(empty) if fmt == "xlsx" else roster.export_csv(empty)
    return _download(content, f"名册模板.{fmt}", fmt)
