"""Write endpoints: each calls the same service as the screen, so every permission and validation rule applies.

The object named in the path is looked up among those the caller may see (else 404); the
service then checks the caller's role for the step (``PermissionDenied`` → 403) and the input
(``ValidationError`` with its code and field → 422, a closed step → 409). Send
``Idempotency-Key`` to make a retried call return the first answer (``api.idempotency``).
"""
import datetime

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import File, Form, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from market.models import Goods
from market.services import redemption
from members.models import Member
from organisations.permissions import BRANCH_STAFF, organisations_for, require
from reviews import refusals
from reviews.errors import NON_FIELD_ERRORS, error
from reviews.errors import ReviewErrorCode as Code
from reviews.models import Declaration, FilingOutcome, Objection
from reviews.services import declarations, filing, meeting, meeting_correction, objections, rounds

from .. import auth
from ..schemas import (
    AnswerIn,
    BulkApproveIn,
    Count,
    DecisionIn,
    DeclarationOut,
    DeclareIn,
    FilingIn,
    Id,
    ObjectionIn,
    ObjectionOut,
    RedeemIn,
    RedemptionOut,
    RoundOut,
)
from .read import router as read_router
from .read import visible_declarations, visible_members, visible_rounds

#: The read router: a path read and written (``/declarations``, ``/rounds``) must sit on one router.
router = read_router


class OpenRoundIn(Schema):
    organisation_id: Id
    period_start: datetime.date | None = None
    period_end: datetime.date | None = None


class MeetingIn(Schema):
    kind: str
    held_on: datetime.date
    entitled_count: Count | None = None  # 应到人数: defaults to the number on record, may not be below it
    attendee_count: Count | None = None
    attendee_names: str = ""
    absentee_names: str = ""
    minute_taker: str
    place: str
    chair: str = ""
    guide_signatory: str = ""
    observers: str = ""


class MeetingCorrectionIn(MeetingIn):
    reason: str  # 更正理由: what was wrong in the record (blank: meeting_correction_reason_missing)


class MeetingOut(Schema):
    id: int
    review_pass: int
    held_on: datetime.date
    has_quorum: bool


def _meeting_out(recorded):
    return {"id": recorded.pk, "review_pass": recorded.review_pass, "held_on": recorded.held_on,
            "has_quorum": recorded.has_quorum}


def _fresh(declaration):
    return Declaration.objects.select_related("member").prefetch_related("evidence").get(pk=declaration.pk)


@router.post("/declarations", auth=auth.WRITE, response={201: DeclarationOut}, tags=["declarations"],
             summary="Declare (申报) with evidence, or record on behalf of a member (clerk, grid worker, public)")
def declare(request, payload: Form[DeclareIn], evidence: File[list[UploadedFile]] = None):
    member = get_object_or_404(visible_members(request.user), pk=payload.member_id)
    created = declarations.create_declaration(
        member=member, by=request.user, reporter_kind=payload.reporter_kind, component=payload.component,
        rule_item=payload.rule_item, rule_item_label=payload.rule_item_label, occurred_on=payload.occurred_on,
        description=payload.description, points=payload.points, quantity=payload.quantity, place=payload.place,
        reporter_name=payload.reporter_name, reporter_contact=payload.reporter_contact, evidence=evidence or ())
    return Status(201, _fresh(created))


@router.post("/rounds", auth=auth.WRITE, response={201: RoundOut}, tags=["rounds"], summary="Open a review round (secretary)")
def open_round(request, payload: OpenRoundIn):
    organisation = get_object_or_404(organisations_for(request.user), pk=payload.organisation_id)
    review_round = rounds.open_round(organisation=organisation, by=request.user, period_start=payload.period_start,
                                     period_end=payload.period_end)
    return Status(201, review_round)


@router.post("/rounds/{int:round_id}/meeting", auth=auth.WRITE, response={201: MeetingOut}, tags=["meeting"],
             summary="Record the branch meeting (支部会议) of the round's current pass")
def record_meeting(request, round_id: Id, payload: MeetingIn):
    review_round = get_object_or_404(visible_rounds(request.user), pk=round_id)
    recorded = meeting.record_meeting(review_round, request.user, **payload.dict())
    return Status(201, _meeting_out(recorded))


@router.post("/rounds/{int:round_id}/meeting/correction", auth=auth.WRITE, response=MeetingOut, tags=["meeting"],
             summary="Correct the meeting recorded for the round's current pass (更正会议记录), saying what was wrong")
def correct_meeting(request, round_id: Id, payload: MeetingCorrectionIn):
    review_round = get_object_or_404(visible_rounds(request.user), pk=round_id)
    current = review_round.latest_meeting()  # the one the meeting screen offers to correct
    if current is None:
        require(request.user, review_round.organisation, BRANCH_STAFF)  # 403 before saying what there is
        raise error(NON_FIELD_ERRORS, Code.MEETING_NOT_RECORDED,
                    _("审核批次“%(round)s”当前状态为“%(status)s”，没有可以更正的本轮会议记录。"),
                    round=review_round, status=review_round.get_status_display())
    values = payload.dict()
    if (values["attendee_names"].strip() in ("", current.attendee_names)
            and values["attendee_count"] in (None, current.attendee_count)):
        # The same people: the members ticked present on the screen stay linked to the record (the API
        # names attendees only as text; other names replace the ticked list, as a record sent here has none).
        values["attendees"] = list(current.attendees.all())
    return _meeting_out(meeting_correction.correct_meeting(current, request.user, **values))


@router.post("/declarations/{int:declaration_id}/decision", auth=auth.WRITE, response=DeclarationOut, tags=["meeting"],
             summary="Decide one declaration at the meeting: approved, adjusted or rejected")
def decide(request, declaration_id: Id, payload: DecisionIn):
    declaration = get_object_or_404(visible_declarations(request.user), pk=declaration_id)
    decided = meeting.decide_declaration(declaration, request.user, payload.outcome, points=payload.points,
                                         reason=payload.reason)
    return _fresh(decided)


@router.post("/rounds/{int:round_id}/bulk-approve", auth=auth.WRITE, response=list[DeclarationOut], tags=["meeting"],
             summary="Approve every listed (default: every undecided) declaration as declared")
def bulk_approve(request, round_id: Id, payload: BulkApproveIn):
    review_round = get_object_or_404(visible_rounds(request.user), pk=round_id)
    approved = meeting.bulk_approve(review_round, request.user, payload.declaration_ids)
    return [_fresh(d) for d in approved]


@router.post("/rounds/{int:round_id}/collect", auth=auth.WRITE, response=list[DeclarationOut], tags=["meeting"],
             summary="Collect the period's declarations in no round into the round at its meeting (纳入本批次)")
def collect(request, round_id: Id):
    review_round = get_object_or_404(visible_rounds(request.user), pk=round_id)
    return [_fresh(d) for d in rounds.collect_declarations(review_round, request.user)]


@router.post("/rounds/{int:round_id}/submit", auth=auth.WRITE, response=RoundOut, tags=["meeting"],
             summary="Report the round upward after the meeting (报上级审查)")
def submit(request, round_id: Id):
    review_round = get_object_or_404(visible_rounds(request.user), pk=round_id)
    return meeting.submit_to_higher(review_round, request.user)


@router.post("/rounds/{int:round_id}/filing", auth=auth.WRITE, response=RoundOut, tags=["filing"],
             summary="The higher committee files (备案) or returns (退回) the round")
def file_or_return(request, round_id: Id, payload: FilingIn):
    review_round = get_object_or_404(visible_rounds(request.user), pk=round_id)
    if payload.outcome == FilingOutcome.RETURNED:
        filing.return_round(review_round, request.user, payload.comments)
    elif payload.outcome == FilingOutcome.FILED:
        filing.file_round(review_round, request.user, payload.comments)
    else:
        raise error("outcome", Code.OUTCOME_INVALID, _("审查结果应为 filed（备案）或 returned（退回）。"))
    review_round.refresh_from_db()
    return review_round


@router.post("/declarations/{int:declaration_id}/objections", response={201: ObjectionOut}, auth=None,
             tags=["objections"],
             summary="Lodge an objection to a published item (anyone, no login; the web form's limits per IP "
                     "and per item apply, answered 429)")
def lodge_objection(request, declaration_id: Id, payload: ObjectionIn):
    declaration = get_object_or_404(Declaration.objects.filter(publicities__isnull=False).distinct(),
                                    pk=declaration_id)
    lodged = objections.lodge_objection(declaration, objector_name=payload.objector_name,
                                        objector_contact=payload.objector_contact, reason=payload.reason,
                                        received_by=None, client=refusals.client_address(request))
    return Status(201, lodged)


@router.post("/objections/{int:objection_id}/answer", auth=auth.WRITE, response=ObjectionOut, tags=["objections"],
             summary="Answer an objection (upheld with corrected points, or dismissed)")
def answer(request, objection_id: Id, payload: AnswerIn):
    objection = get_object_or_404(
        Objection.objects.filter(declaration__organisation__in=organisations_for(request.user)), pk=objection_id)
    objections.answer_objection(objection, request.user, payload.outcome, payload.reason,
                                corrected_points=payload.corrected_points)
    objection.refresh_from_db()
    return objection


@router.post("/market/redemptions", auth=auth.WRITE, response={201: RedemptionOut}, tags=["market"],
             summary="Redeem a household's points for goods at the points supermarket (兑换员)")
def redeem(request, payload: RedeemIn):
    orgs = organisations_for(request.user)
    household = get_object_or_404(Member.objects.filter(organisation__in=orgs), pk=payload.household_id)
    goods = get_object_or_404(Goods.objects.filter(organisation__in=orgs), pk=payload.goods_id)
    done = redemption.redeem(household=household, goods=goods, quantity=payload.quantity, cashier=request.user,
                             key=payload.key)
    return Status(201, done)

