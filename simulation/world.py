"""The throw-away organisation a ``simulate --workflow`` run builds from the scenario's roster.

A higher committee (its reviewer files the rounds and approves the year's results), under it
the evaluating committee (its secretary opens rounds, runs the meetings and the evaluation;
the scheme is assigned to it), and under that one branch per ``branch`` of the scenario's
members. Every row is created inside the walk's transaction, which is rolled back at the end.

The scenario's earlier results (``history``) become published results of earlier
evaluations — they are what the year-end computation reads for "两年连续" rules.
"""
import datetime
import uuid
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from appraisals.models import Evaluation, EvaluationStatus, MemberResult
from members.models import Exclusion, ExclusionReason, Member, MemberCategory, MemberKind
from organisations.models import Organisation, OrganisationKind, Role, RoleKind
from schemes.models import CycleKind, Scheme
from scoring_engine.cycle import add_months

#: The committee's and users' names in the throw-away organisation.
TOP_NAME = "试算上级党委"
COMMITTEE_NAME = "试算党委"


class World:
    """The organisation, people and scheme of one walk.

    ``members``: scenario member id -> Member; ``branches``: scenario branch -> Organisation;
    ``version``: the SchemeVersion the walk runs; ``scheme``: its parsed (engine) scheme.
    """

    def __init__(self, scenario, cycle):
        tag = uuid.uuid4().hex[:10]
        self.tag = tag
        self.cycle = cycle
        self.top = Organisation.objects.create(name=TOP_NAME, kind=OrganisationKind.COMMITTEE, code=f"sim-{tag}-top")
        self.committee = Organisation.objects.create(name=COMMITTEE_NAME, kind=OrganisationKind.COMMITTEE,
                                                     parent=self.top, code=f"sim-{tag}-committee")
        users = get_user_model().objects
        self.secretary = users.create_user(username=f"sim-{tag}-secretary", first_name="试算书记")
        self.reviewer = users.create_user(username=f"sim-{tag}-reviewer", first_name="试算审查人")
        Role.objects.create(user=self.secretary, organisation=self.committee, kind=RoleKind.SECRETARY)
        Role.objects.create(user=self.reviewer, organisation=self.top, kind=RoleKind.REVIEWER)
        self.version = self._scheme(scenario, cycle)
        self.scheme = self.version.engine_scheme()
        self.branches = {}
        self.members = {}
        for raw in scenario["members"]:
            self.members[raw["id"]] = self._member(raw)

    # -- the scheme ------------------------------------------------------------------------

    def _scheme(self, scenario, cycle):
        start, end = cycle.start, cycle.end
        kind = CycleKind.CUSTOM
        if add_months(start, 12) == end + datetime.timedelta(days=1):
            kind = {(1, 1): CycleKind.CALENDAR, (7, 1): CycleKind.JULY}.get((start.month, start.day), CycleKind.CUSTOM)
        spec = scenario["scheme"]
        scheme = Scheme.objects.create(organisation=self.committee, name=f"试算方案 {self.tag}", cycle_kind=kind,
                                       cycle_start=start, cycle_end=end)
        overrides = scenario.get("scheme_overrides") or {}
        if isinstance(spec, str):
            return scheme.revise(preset_key=spec, overrides=overrides, user=self.secretary, note="simulate --workflow")
        return scheme.revise(definition=spec, overrides=overrides, user=self.secretary, note="simulate --workflow")

    # -- the roster ------------------------------------------------------------------------

    def branch(self, name):
        """The branch for the scenario's ``branch`` value (created on first use)."""
        if name not in self.branches:
            index = len(self.branches) + 1
            branch = self.branches[name] = Organisation.objects.create(
                name=f"试算第{index}支部（{name or '—'}）"[:100], kind=OrganisationKind.BRANCH, parent=self.committee,
                code=f"sim-{self.tag}-b{index}")
            # The branch committee on record: the meetings are 支委会 (reviews.services.quorum).
            Role.objects.create(user=self.secretary, organisation=branch, kind=RoleKind.SECRETARY)
            users = get_user_model().objects
            for n in (1, 2):
                member = users.create_user(username=f"sim-{self.tag}-b{index}-c{n}", first_name=f"试算支委{n}")
                Role.objects.create(user=member, organisation=branch, kind=RoleKind.COMMITTEE_MEMBER)
        return self.branches[name]

    def _member(self, raw):
        flags = raw.get("flags") or {}
        member = Member.objects.create(
            organisation=self.branch(raw.get("branch", "")),
            name=(raw.get("name") or raw["id"])[:50],
            kind=MemberKind.PROBATIONARY if raw.get("probationary") else MemberKind.PARTY_MEMBER,
            category=self._category(raw.get("category")),
        )
        if flags.get("excluded"):
            # 不纳入: decided by the branch and, where the scheme wants it, approved above.
            approved = self.cycle.start if self.scheme.exclusion_approval == "higher" else None
            Exclusion.objects.create(member=member, reason=ExclusionReason.OTHER, reason_detail="试算：不纳入",
                                     decided_on=self.cycle.start, start_date=self.cycle.start,
                                     approved_on=approved, approved_by=self.reviewer if approved else None)
        return member

    @staticmethod
    def _category(code):
        if not code:
            return None
        category = MemberCategory.objects.filter(code=code).first()
        if category is None:
            name = code if not MemberCategory.objects.filter(name=code).exists() else f"{code}（试算）"
            category = MemberCategory.objects.create(code=code, name=name[:40])
        return category

    # -- earlier results -------------------------------------------------------------------

    def load_history(self, history):
        """Store the scenario's earlier results as published results of earlier evaluations.

        ``history``: ``{member id: [{cycle_start, total, grade, stars, vetoed}, ...]}``. Every
        entry needs a ``total`` (a published result always has one); raises ValidationError
        naming ``history.<id>[i].total`` otherwise.
        """
        evaluations = {}
        months = self.scheme.cycle_months or 12
        for member_id, entries in (history or {}).items():
            member = self.members[member_id]
            for index, entry in enumerate(entries):
                if entry.get("total") is None:
                    raise ValidationError(
                        {f"history.{member_id}[{index}].total": "--workflow 须给出往期总分：已公布的结果总有总分 "
                                                                "(a published result always has a total)"})
                start = datetime.date.fromisoformat(str(entry["cycle_start"]))
                if start not in evaluations:
                    end = add_months(start, months) - datetime.timedelta(days=1)
                    evaluations[start] = Evaluation.objects.create(
                        organisation=self.committee, scheme_version=self.version, cycle_start=start, cycle_end=end,
                        status=EvaluationStatus.PUBLISHED, opened_by=self.secretary)
                MemberResult.objects.create(
                    evaluation=evaluations[start], member=member, cycle_start=start,
                    total=Decimal(str(entry["total"])), grade=entry.get("grade") or "", stars=entry.get("stars"),
                    vetoed=bool(entry.get("vetoed", False)), components={}, actions=[],
                    scheme_version_number=self.version.number)
