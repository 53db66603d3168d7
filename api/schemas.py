"""The API's request and response shapes (django-ninja ``Schema``/``ModelSchema``; pydantic serialises)."""
import datetime
from decimal import Decimal
from typing import Annotated

from ninja import Field, ModelSchema, Schema

from documents.models import GeneratedDocument
from ledger.models import LedgerEntry
from market.models import Redemption
from members.models import Member
from organisations.models import Organisation
from reviews.models import Declaration, Evidence, Objection, Publicity, ReviewRound
from reviews.services.points import signed_points
from schemes.models import Scheme, SchemeVersion

from .models import AccessToken, TokenScope, WebhookEndpoint, WebhookEvent

#: A primary key as the API takes it: positive and within what every database (and JavaScript) holds.
Id = Annotated[int, Field(ge=1, le=2**53)]
#: A small count (attendance, quantity): the database's small positive integer.
Count = Annotated[int, Field(ge=0, le=32767)]
#: A short text filter from the query string (a status, a kind, an organisation code): no control
#: characters (PostgreSQL refuses NUL in text; ``safeguards.text`` refuses them in every form).
QueryText = Annotated[str, Field(max_length=100, pattern=r"^[^\x00-\x1f\x7f]*$")]


class OrganisationOut(ModelSchema):
    parent_id: int | None = None

    class Meta:
        model = Organisation
        fields = ["id", "name", "short_name", "kind", "code", "is_active"]


class MemberOut(ModelSchema):
    organisation_id: int
    category_id: int | None = None
    id_number_masked: str = Field("", description="身份证号，已脱敏（与页面所示相同）")

    class Meta:
        model = Member
        fields = ["id", "kind", "name", "gender", "joined_on", "is_active"]


class SchemeVersionOut(ModelSchema):
    scheme_id: int

    class Meta:
        model = SchemeVersion
        fields = ["id", "number", "preset_key", "note", "created_at"]


class SchemeVersionDetail(SchemeVersionOut):
    definition: dict

    class Meta(SchemeVersionOut.Meta):
        fields = SchemeVersionOut.Meta.fields


class SchemeOut(ModelSchema):
    organisation_id: int
    versions: list[SchemeVersionOut]

    class Meta:
        model = Scheme
        fields = ["id", "name", "cycle_kind", "cycle_start", "cycle_end", "locked_at"]


class PublicityOut(ModelSchema):
    class Meta:
        model = Publicity
        fields = ["id", "kind", "start_on", "end_on", "closed_at"]


class RoundOut(ModelSchema):
    organisation_id: int
    status_label: str
    publicities: list[PublicityOut]

    class Meta:
        model = ReviewRound
        fields = ["id", "period_kind", "period_start", "period_end", "cycle_start", "publicity_days", "status",
                  "review_pass", "opened_at", "finalised_at"]

    @staticmethod
    def resolve_status_label(obj):
        return str(obj.get_status_display())


class EvidenceOut(ModelSchema):
    class Meta:
        model = Evidence
        fields = ["id", "original_name", "content_type", "size", "uploaded_at"]


class DeclarationOut(ModelSchema):
    organisation_id: int
    member_id: int
    member_name: str
    review_round_id: int | None = None
    evidence: list[EvidenceOut]
    signed_points: Decimal = Field(description="申报分值计入总分的方向：扣分项为负（points 为记录的分值大小）")
    signed_decided_points: Decimal | None = Field(None, description="认定分值计入总分的方向：扣分项为负")

    class Meta:
        model = Declaration
        fields = ["id", "reporter_kind", "component", "rule_item", "rule_item_label", "points", "quantity",
                  "occurred_on", "place", "description", "status", "decided_points", "decision_reason", "created_at"]

    @staticmethod
    def resolve_member_name(obj):
        return obj.member.name

    @staticmethod
    def resolve_signed_points(obj):
        return signed_points(obj, obj.points)

    @staticmethod
    def resolve_signed_decided_points(obj):
        return None if obj.decided_points is None else signed_points(obj, obj.decided_points)


class ResultRow(Schema):
    """One public row of a publicity: only name, branch, item and points (as on the 公示栏)."""
    declaration_id: int
    name: str
    branch: str
    item: str
    component: str
    points: Decimal | None = None
    rejected: bool
    corrected: bool
    previous: Decimal | None = None


class PublicResultOut(Schema):
    publicity_id: int
    round_id: int
    organisation: str
    kind: str
    start_on: datetime.date
    end_on: datetime.date
    items: list[ResultRow]


class LedgerEntryOut(ModelSchema):
    organisation_id: int
    member_id: int
    corrects_id: int | None = None

    class Meta:
        model = LedgerEntry
        fields = ["id", "seq", "cycle_start", "component", "points", "occurred_on", "kind", "source", "source_ref",
                  "note", "recorded_at", "entry_hash"]


class BalanceOut(Schema):
    member_id: int
    cycle_start: datetime.date | None = None
    balance: Decimal
    components: dict[str, Decimal]


class DocumentOut(ModelSchema):
    organisation_id: int
    member_id: int | None = None

    class Meta:
        model = GeneratedDocument
        fields = ["id", "kind", "version", "document_number", "status", "sha256", "size", "created_at"]


class TaskOut(Schema):
    id: int
    flow: str
    title: str
    brief: str
    process_id: int
    created: datetime.datetime
    owner_id: int | None = None
    queue: bool = Field(description="待领取（未分配给本人，可领取）")


class ObjectionOut(ModelSchema):
    declaration_id: int

    class Meta:
        model = Objection
        fields = ["id", "received_on", "due_on", "answered_on", "outcome", "answer_reason", "corrected_points"]


class RedemptionOut(ModelSchema):
    household_id: int
    goods_id: int

    class Meta:
        model = Redemption
        fields = ["id", "quantity", "unit_price", "points", "balance_after", "cycle_start", "redeemed_at", "key"]


# -- request bodies ---------------------------------------------------------------------------------

class DeclareIn(Schema):
    member_id: Id
    reporter_kind: str = Field("self", description="self / clerk / grid_worker / mass（代为申报时 clerk 或 grid_worker）")
    component: str
    rule_item: str
    rule_item_label: str = ""
    occurred_on: datetime.date
    description: str
    points: str | None = Field(None, description="分值（最多两位小数）；条目固定分值时可省略")
    quantity: Count = 1
    place: str = ""
    reporter_name: str = ""
    reporter_contact: str = ""


class DecisionIn(Schema):
    outcome: str = Field(description="approved / adjusted / rejected")
    points: str | None = None
    reason: str = ""


class BulkApproveIn(Schema):
    declaration_ids: list[Id] | None = Field(None, description="省略时认定全部待认定申报")


class FilingIn(Schema):
    outcome: str = Field(description="filed（备案）/ returned（退回）")
    comments: str = ""


class ObjectionIn(Schema):
    objector_name: str = Field(max_length=50)
    objector_contact: str = Field(max_length=50)
    reason: str = Field(min_length=5, max_length=2000, description="至少 5 个字（与网页表单相同）")


class AnswerIn(Schema):
    outcome: str = Field(description="upheld / rejected")
    reason: str
    corrected_points: str | None = None


class RedeemIn(Schema):
    household_id: Id
    goods_id: Id
    quantity: Count = 1
    key: str = Field(description="防重复提交码（UUID）；同一码再次提交返回第一次的兑换")


class TokenIn(Schema):
    name: str = Field(min_length=1, max_length=60)
    scope: TokenScope = TokenScope.READ


class TokenOut(ModelSchema):
    class Meta:
        model = AccessToken
        fields = ["id", "name", "scope", "prefix", "created_at", "last_used_at", "revoked_at"]


class TokenCreated(TokenOut):
    secret: str = Field(description="只显示这一次；服务器只保存其 SHA-256")

    class Meta(TokenOut.Meta):
        fields = TokenOut.Meta.fields


class WebhookIn(Schema):
    organisation_id: Id
    url: str = Field(max_length=300)
    events: list[WebhookEvent]


class WebhookOut(ModelSchema):
    organisation_id: Id

    class Meta:
        model = WebhookEndpoint
        fields = ["id", "url", "events", "is_active", "created_at"]


class WebhookCreated(WebhookOut):
    secret: str

    class Meta(WebhookOut.Meta):
        fields = WebhookOut.Meta.fields
