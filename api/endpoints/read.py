"""Read endpoints: everything scoped by the organisation tree (``organisations.permissions``), as the screens are.

A user sees the organisations they hold a role on and everything below them; members,
rounds, declarations, ledger entries and documents of those organisations; and, with no role,
their own member record, their own declarations and what is addressed to them. Anything else
is a 404, never a hint that it exists.
"""
import datetime
import io

from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from ninja import Router
from ninja.pagination import paginate

from documents import services as document_services
from documents.models import GeneratedDocument
from documents.permissions import can_view
from ledger.models import LedgerEntry
from ledger.signs import Signer, signed_balance, signed_component_totals
from members.models import Member
from organisations.models import Organisation
from organisations.permissions import organisations_for
from portal.scoping import inbox_for, queue_for
from portal.site import FLOW_CLASSES
from portal.views.public import board_items, open_publicities
from reviews.models import Declaration, ReviewRound
from schemes.models import Scheme, SchemeVersion
from workflow import history

from .. import auth
from ..pagination import Page
from ..schemas import (
    BalanceOut,
    DeclarationOut,
    DocumentOut,
    Id,
    LedgerEntryOut,
    MemberOut,
    OrganisationOut,
    PublicResultOut,
    QueryText,
    RoundOut,
    SchemeOut,
    SchemeVersionDetail,
    TaskOut,
)

router = Router(auth=auth.READ)


def visible_orgs(user):
    return organisations_for(user).filter(is_active=True)


def visible_members(user):
    return Member.objects.filter(Q(organisation__in=visible_orgs(user)) | Q(user=user))


def visible_declarations(user):
    return Declaration.objects.filter(Q(organisation__in=organisations_for(user)) | Q(declared_by=user)
                                      | Q(member__user=user))


def visible_rounds(user):
    return ReviewRound.objects.filter(organisation__in=organisations_for(user))


# -- organisations, members, schemes ------------------------------------------------------------

@router.get("/organisations", response=list[OrganisationOut], tags=["organisations"],
            summary="The caller's organisations and their subtrees")
@paginate(Page)
def list_organisations(request):
    return visible_orgs(request.user).order_by("path")


@router.get("/organisations/{int:organisation_id}", response=OrganisationOut, tags=["organisations"])
def get_organisation(request, organisation_id: Id):
    return get_object_or_404(visible_orgs(request.user), pk=organisation_id)


@router.get("/members", response=list[MemberOut], tags=["members"], summary="Members (ID numbers masked)")
@paginate(Page)
def list_members(request, organisation_id: Id | None = None):
    qs = visible_members(request.user)
    if organisation_id is not None:
        qs = qs.filter(organisation_id=organisation_id)
    return qs.order_by("organisation__path", "name", "pk")


@router.get("/members/{int:member_id}", response=MemberOut, tags=["members"])
def get_member(request, member_id: Id):
    return get_object_or_404(visible_members(request.user), pk=member_id)


@router.get("/schemes", response=list[SchemeOut], tags=["schemes"], summary="Schemes and their versions")
@paginate(Page)
def list_schemes(request, organisation_id: Id | None = None):
    qs = Scheme.objects.filter(organisation__in=organisations_for(request.user)).prefetch_related("versions")
    if organisation_id is not None:
        qs = qs.filter(organisation_id=organisation_id)
    return qs.order_by("organisation_id", "-cycle_start", "pk")


@router.get("/schemes/versions/{int:version_id}", response=SchemeVersionDetail, tags=["schemes"])
def get_scheme_version(request, version_id: Id):
    return get_object_or_404(SchemeVersion.objects.filter(scheme__organisation__in=organisations_for(request.user)),
                             pk=version_id)


# -- rounds, declarations, results --------------------------------------------------------------

@router.get("/rounds", response=list[RoundOut], tags=["rounds"], summary="Review rounds with their status")
@paginate(Page)
def list_rounds(request, organisation_id: Id | None = None, status: QueryText | None = None):
    qs = visible_rounds(request.user).prefetch_related("publicities")
    if organisation_id is not None:
        qs = qs.filter(organisation_id=organisation_id)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-period_start", "pk")


@router.get("/rounds/{int:round_id}", response=RoundOut, tags=["rounds"])
def get_round(request, round_id: Id):
    return get_object_or_404(visible_rounds(request.user).prefetch_related("publicities"), pk=round_id)


@router.get("/declarations", response=list[DeclarationOut], tags=["declarations"])
@paginate(Page)
def list_declarations(request, round_id: Id | None = None, member_id: Id | None = None, status: QueryText | None = None):
    qs = _declarations(request.user)
    if round_id is not None:
        qs = qs.filter(review_round_id=round_id)
    if member_id is not None:
        qs = qs.filter(member_id=member_id)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-pk")


@router.get("/declarations/{int:declaration_id}", response=DeclarationOut, tags=["declarations"])
def get_declaration(request, declaration_id: Id):
    return get_object_or_404(_declarations(request.user), pk=declaration_id)


def _declarations(user):
    """The declarations ``user`` may read, with what ``DeclarationOut`` shows (member, scheme, evidence)."""
    return visible_declarations(user).select_related("member", "scheme_version").prefetch_related("evidence")


@router.get("/results", response=list[PublicResultOut], auth=None, tags=["results"],
            summary="Results in publicity today (public: name, branch, item and points only)")
def public_results(request, organisation_code: QueryText | None = None):
    organisation = None
    if organisation_code:
        organisation = get_object_or_404(Organisation, code=organisation_code, is_active=True)
    return [{"publicity_id": p.pk, "round_id": p.review_round_id, "organisation": p.review_round.organisation.name,
             "kind": p.kind, "start_on": p.start_on, "end_on": p.end_on, "items": board_items(p)}
            for p in open_publicities(organisation)]


# -- ledger -------------------------------------------------------------------------------------

@router.get("/ledger/entries", response=list[LedgerEntryOut], tags=["ledger"])
@paginate(Page)
def list_entries(request, member_id: Id | None = None, organisation_id: Id | None = None,
                 cycle_start: datetime.date | None = None):
    members = visible_members(request.user)
    qs = LedgerEntry.objects.filter(member__in=members)
    if member_id is not None:
        qs = qs.filter(member_id=member_id)
    if organisation_id is not None:
        qs = qs.filter(organisation_id=organisation_id)
    if cycle_start is not None:
        qs = qs.filter(cycle_start=cycle_start)
    return qs.order_by("organisation_id", "seq")


@router.get("/ledger/balances/{int:member_id}", response=BalanceOut, tags=["ledger"])
def get_balance(request, member_id: Id, cycle_start: datetime.date | None = None):
    member = get_object_or_404(visible_members(request.user), pk=member_id)
    # Signed as people read them (a deduction recorded as 2 counts -2), by the scheme in force (ledger.signs).
    signer = Signer()
    return {"member_id": member.pk, "cycle_start": cycle_start,
            "balance": signed_balance(member, cycle_start, signer),
            "components": signed_component_totals(member, cycle_start, signer) if cycle_start else {}}


# -- documents ----------------------------------------------------------------------------------

def visible_documents(user):
    return GeneratedDocument.objects.filter(Q(organisation__in=organisations_for(user)) | Q(triggered_by=user)
                                            | Q(member__user=user))


@router.get("/documents", response=list[DocumentOut], tags=["documents"], summary="Generated documents (metadata)")
@paginate(Page)
def list_documents(request, organisation_id: Id | None = None, kind: QueryText | None = None):
    qs = visible_documents(request.user)
    if organisation_id is not None:
        qs = qs.filter(organisation_id=organisation_id)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-created_at", "-pk")


@router.get("/documents/{int:document_id}", response=DocumentOut, tags=["documents"])
def get_document(request, document_id: Id):
    return get_object_or_404(visible_documents(request.user), pk=document_id)


@router.get("/documents/{int:document_id}/download", tags=["documents"],
            response={200: bytes}, openapi_extra={"responses": {200: {
                "description": "the .docx as issued (hash-checked)",
                "content": {"application/vnd.openxmlformats-officedocument.wordprocessingml.document": {
                    "schema": {"type": "string", "format": "binary"}}}}}})
def download_document(request, document_id: Id):
    document = get_object_or_404(GeneratedDocument.objects.select_related("organisation"), pk=document_id)
    if not can_view(request.user, document):
        raise Http404
    try:
        data = document_services.read_verified(document)
    except FileNotFoundError as exc:
        raise Http404(str(exc)) from exc
    return FileResponse(io.BytesIO(data), as_attachment=True, filename=document.download_name(),
                        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")


# -- tasks --------------------------------------------------------------------------------------

@router.get("/tasks", response=list[TaskOut], tags=["tasks"], summary="The caller's tasks (待办 and 待领取)")
def list_tasks(request):
    rows = []
    for flow_class in FLOW_CLASSES:
        for queue, source in ((False, inbox_for), (True, queue_for)):
            for task in source(flow_class, request.user).select_related("process")[:200]:
                process = history.concrete(task.process)
                rows.append({"id": task.pk, "flow": str(flow_class.process_title),
                             "title": str(task.flow_task.task_title or task.flow_task),
                             "brief": str(getattr(process, "brief", "") or process), "process_id": task.process_id,
                             "created": task.created, "owner_id": task.owner_id, "queue": queue})
    rows.sort(key=lambda r: r["created"], reverse=True)
    return rows
