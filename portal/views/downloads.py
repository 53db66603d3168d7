"""下载: documents the user may see, the branch ledger as .xlsx, bulk document jobs with progress."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Font

from documents.kinds import KINDS, registration_card
from documents.models import BulkJob, GeneratedDocument
from documents.permissions import can_view, can_view_bulk, mark_retryable
from documents.services import bulk_progress, start_bulk_job
from ledger import scope
from ledger import services as ledger
from ledger import signs as ledger_signs
from ledger.models import LedgerEntry
from members import roles
from members.models import Member
from organisations.models import Organisation
from organisations.permissions import ANY_ROLE, can_act_on
from reviews.integration import DEFAULT_COMPONENT_LABELS
from safeguards.params import int_param, page_number
from safeguards.xlsx import SafeWorkbook
from schemes.models import SchemeVersion
from workdays.clock import format_cn_date

PAGE = 100


def visible_documents(user):
    """Documents ``documents.permissions.can_view`` allows, as a queryset (same rule, in SQL)."""

    qs = GeneratedDocument.objects.select_related("organisation", "member")
    if user.is_superuser:
        return qs
    return qs.filter(
        Q(organisation__in=roles.visible_organisations(user)) | Q(triggered_by=user) | Q(member__user=user)
    )


@login_required
def downloads(request):
    user = request.user
    if request.method == "POST":
        return _start_bulk(request, roles.staff_organisations(user))
    kind = request.GET.get("kind", "")
    docs = visible_documents(user)
    if kind in KINDS:
        docs = docs.filter(kind=kind)
    page = page_number(request.GET)
    total = docs.count()
    docs = mark_retryable(
        [d for d in docs.order_by("-created_at", "-pk")[(page - 1) * PAGE: page * PAGE] if can_view(user, d)], user
    )
    staff_orgs = roles.staff_organisations(user).order_by("path")
    ledger_orgs = roles.visible_organisations(user).order_by("path")
    jobs = BulkJob.objects.filter(
        Q(organisation__in=roles.visible_organisations(user)) | Q(triggered_by=user)
    ).select_related("organisation").order_by("-created_at", "-pk")[:20]
    return render(
        request,
        "portal/downloads.html",
        {
            "documents": docs,
            "kinds": [(k, str(v.description)) for k, v in KINDS.items()],
            "kind": kind,
            "page": page,
            "has_next": page * PAGE < total,
            "total": total,
            "ledger_orgs": ledger_orgs,
            "staff_orgs": staff_orgs,
            "jobs": jobs,
            "cycle": scope.default_cycle_start(),
        },
    )


def component_labels(organisation, day):
    """``{component name: label}`` of the scheme in force for ``organisation`` on ``day``; without
    one, the review chain's default components (``基础积分``, ``加分``, ``扣分``)."""
    labels = {name: str(label) for name, label in DEFAULT_COMPONENT_LABELS.items()}
    version = SchemeVersion.objects.in_force(organisation, day)
    if version is not None:
        labels.update({c.name: c.label for c in version.engine_scheme().components})
    return labels


def registration_card_items(organisation, cycle_start):
    """One registration card (积分登记卡) per active member of the subtree, read from the ledger,
    each item named as the scheme in force names it."""
    labels = component_labels(organisation, cycle_start)

    members = Member.objects.filter(organisation__path__startswith=organisation.path, is_active=True).select_related(
        "category"
    ).order_by("organisation__path", "name", "pk")
    return [
        {
            "subject_key": f"member:{m.pk}:{cycle_start.isoformat()}",
            "label": m.name,
            "member": m.pk,
            "context": registration_card.build_context(m, cycle_start, component_labels=labels),
        }
        for m in members
    ]


def _start_bulk(request, staff_orgs):
    org_id = int_param(request.POST, "organisation")
    organisation = staff_orgs.filter(pk=org_id).first() if org_id is not None else None
    if organisation is None:
        messages.error(request, _("请选择您担任书记、支委或专人记分员的组织。"))
        return redirect("portal:downloads")
    cycle = scope.default_cycle_start(organisation=organisation)
    items = registration_card_items(organisation, cycle)
    if not items:
        messages.error(request, _("“%(org)s”没有在册成员，无需生成。") % {"org": organisation})
        return redirect("portal:downloads")
    try:
        job = start_bulk_job("registration_card", organisation=organisation, items=items, triggered_by=request.user)
    except (ValidationError, ValueError) as exc:
        messages.error(request, str(exc))
        return redirect("portal:downloads")
    messages.success(request, _("已开始批量生成 %(n)s 份积分登记卡。") % {"n": len(items)})
    return redirect("portal:job_progress", pk=job.pk)


@login_required
def job_progress(request, pk):
    job = get_object_or_404(BulkJob.objects.select_related("organisation"), pk=pk)
    if not can_view_bulk(request.user, job):
        raise PermissionDenied(_("您无权查看该批量任务。"))
    return render(request, "portal/job_progress.html", {"job": job, "progress": bulk_progress(job)})


@login_required
def ledger_xlsx(request, org_id):
    """The branch ledger (台账) of one cycle as an .xlsx: one row per member, one column per component."""

    organisation = get_object_or_404(Organisation, pk=org_id)
    if not can_act_on(request.user, organisation, ANY_ROLE):
        raise PermissionDenied(_("您无权下载“%(org)s”的积分台账。") % {"org": organisation})
    cycle = scope.chosen_cycle(request, organisation=organisation)
    table = ledger.branch_table(organisation, cycle)
    book = SafeWorkbook()
    sheet = book.sheet(_("积分汇总"))
    ws = sheet.ws
    title = _("%(org)s积分台账（考核周期自%(cycle)s起）") % {"org": organisation.name, "cycle": format_cn_date(cycle)}
    sheet.append([title], font=Font(bold=True, size=14))
    labels = component_labels(organisation, cycle)
    header = [_("序号"), _("姓名"), _("所在组织")] + [labels.get(c, c) for c in table.components] + [_("合计")]
    sheet.append(header, font=Font(bold=True))
    for cell in ws[2]:
        cell.alignment = Alignment(horizontal="center")
    signer = ledger_signs.Signer()  # the summary reads as scores: a deduction recorded as 2 counts -2
    for i, row in enumerate(table, start=1):
        signed = [signer.sign(organisation, cycle, c, row.components[c]) for c in table.components]
        sheet.append([i, row.member.name, row.member.organisation.name]
                     + signed + [ledger_signs.signed_row_total(organisation, cycle, row.components, signer)])
    for col in range(4, 4 + len(table.components) + 1):
        for r in range(3, ws.max_row + 1):
            ws.cell(row=r, column=col).number_format = "0.00"
    ws.column_dimensions["B"].width = 12
    ws.column_dimensions["C"].width = 24
    ws.freeze_panes = "D3"
    detail = book.sheet(_("台账明细"))
    detail.append([_("序号"), _("组织"), _("姓名"), _("积分项目"), _("分值"), _("发生日期"), _("类型"), _("说明"),
                   _("记录人"), _("记录时间"), _("更正的记录")], font=Font(bold=True))
    entries = LedgerEntry.objects.for_subtree(organisation).filter(cycle_start=cycle).select_related(
        "organisation", "member", "recorded_by", "corrects"
    ).order_by("organisation__path", "seq")
    for e in entries:
        detail.append([
            e.seq, e.organisation.name, e.member.name, labels.get(e.component, e.component),
            ledger_signs.signed_entry_points(e, signer), e.occurred_on,
            e.get_kind_display(), e.note,
            (e.recorded_by.get_full_name() or e.recorded_by.username) if e.recorded_by else "",
            format_cn_date(e.recorded_at), e.corrects.seq if e.corrects_id else "",
        ])
    for r in range(2, detail.rows + 1):
        detail.ws.cell(row=r, column=5).number_format = "0.00"
        detail.ws.cell(row=r, column=6).number_format = "yyyy-mm-dd"
    response = HttpResponse(
        book.save(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    filename = f"ledger-{organisation.code}-{cycle.isoformat()}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response

