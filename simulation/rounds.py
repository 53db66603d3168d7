"""The scenario's events walked through the review chain, one round per branch and publicity period.

Each event becomes a declaration (申报, by the branch's clerk) made the day after its review
period ends; the branch meets once per review period (a quorate committee meeting approving
every declaration, or adjusting a fraudulent one to the scheme's double deduction); after the
last review period of a publicity period the secretary reports upward, the higher committee
files, the publicity runs its days — the clock is set past its close and the timer fires —,
nobody objects, and the round's points are posted to the ledger.

Periods are the scheme's own (``[review]``), counted from the scenario's cycle start: a
cycle from 七一 reviews July–September first. A declaration the chain refuses stops the walk
with :class:`WalkRefused`, naming the event.
"""
import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError

from reviews.models import DeclarationStatus, MeetingKind, ReporterKind
from reviews.services import declarations, filing, meeting, rounds

#: What the simulated meeting records (a quorate committee: every member present); the committee on
#: record of each simulated branch (``simulation.world``: its secretary and two committee members).
COMMITTEE_SIZE = 3
MINUTE_TAKER = "试算记录人"
#: 会议地点 of the simulated branch meetings (the minutes require one).
MEETING_PLACE = "党员活动室"
GUIDE = "试算党建指导员"


class WalkRefused(Exception):
    """The chain refused a step of the walk; ``path`` names the scenario field (``events[3]``)."""

    def __init__(self, path, message):
        super().__init__(f"{path}: {message}" if path else message)
        self.path = path
        self.message = message


def messages_of(error):
    """The messages of a ValidationError (or any exception) as one line."""
    if isinstance(error, ValidationError):
        return "；".join(error.messages)
    return str(error)


class RoundWalk:
    """Walks ``events`` (the scenario's list) of ``world`` (:class:`simulation.world.World`) on ``clock``."""

    def __init__(self, world, clock, events):
        self.world = world
        self.clock = clock
        self.events = list(enumerate(events))
        self.review = world.scheme.review
        self.fraudulent = {}

    def run(self):
        """Walk every publicity period of the cycle that has events; returns the rounds (final)."""
        cycle = self.world.cycle
        done = []
        for first, last in self.review.publicity_periods(cycle.start, cycle.end):
            in_period = [(i, e) for i, e in self.events if first <= _day(e) <= last]
            if in_period:
                done += self._publicity_period(first, last, in_period)
        return done

    def _publicity_period(self, first, last, events):
        open_rounds = {}
        for review_first, review_last in self.review.review_periods(first, last):
            batch = [(i, e) for i, e in events if review_first <= _day(e) <= review_last]
            if not batch:
                continue
            self.clock.set_day(review_last + datetime.timedelta(days=1))
            made = {}
            for index, event in batch:
                made.setdefault(event.get("member"), []).append(self._declare(index, event))
            branches = {}
            for member_id, items in made.items():
                branch = self.world.members[member_id].organisation
                branches.setdefault(branch.pk, (branch, []))[1].extend(items)
            for branch, items in branches.values():
                rr = open_rounds.get(branch.pk)
                if rr is None:
                    rr = open_rounds[branch.pk] = self._open(branch, first, last)
                else:
                    rounds.collect_declarations(rr, self.world.secretary)
                self._meeting(rr, items)
        closes = [self._file(rr) for rr in open_rounds.values()]
        # Nobody objects: past the last window's close, the timers fire and the rounds are posted.
        self.clock.advance_to(max(closes) + datetime.timedelta(minutes=1))
        self.clock.sweep()
        for rr in open_rounds.values():
            rr.refresh_from_db()
        return list(open_rounds.values())

    # -- steps -----------------------------------------------------------------------------

    def _declare(self, index, event):
        """One event as a clerk's declaration; returns it. Raises :class:`WalkRefused` naming the event."""
        world = self.world
        component_name = event.get("component")
        component = world.scheme.component(component_name) if component_name in world.scheme.component_index else None
        item = event.get("item")
        quantity = event.get("quantity", 1)
        points = event.get("points")
        if component is not None and item is not None and item in component.items \
                and component.items[item].points is not None:
            declared = None if points is None else points  # a fixed item: the given points are the whole
        else:
            declared = None if points is None else Decimal(str(points)) * Decimal(str(quantity))
        try:
            declaration = declarations.create_declaration(
                member=world.members[event["member"]], by=world.secretary, reporter_kind=ReporterKind.CLERK,
                component=component_name, rule_item=item or _free_item(component), occurred_on=_day(event),
                description=event.get("note") or f"试算事件 events[{index}]", points=declared,
                quantity=quantity, scheme_version=world.version,
            )
        except (ValidationError, ValueError, TypeError) as refused:
            raise WalkRefused(f"events[{index}]", _describe(event) + "：" + messages_of(refused)) from None
        if event.get("fraudulent"):
            # 钟祥 "申报弄虚作假，给予相应项目双倍扣分": found out at the meeting, which adjusts the points.
            multiplier = component.fraud_multiplier if component is not None else None
            if multiplier is None:
                raise WalkRefused(f"events[{index}].fraudulent", _describe(event) + "：该项目未规定弄虚作假的处理")
            self.fraudulent[declaration.pk] = -abs(declaration.points) * multiplier
        return declaration

    def _open(self, branch, first, last):
        try:
            rr = rounds.open_round(organisation=branch, by=self.world.secretary, period_start=first, period_end=last)
        except ValidationError as refused:
            raise WalkRefused("", f"{branch} {first}—{last} 无法发起审核批次：{messages_of(refused)}") from None
        self.clock.watch(rr.process)
        return rr

    def _meeting(self, rr, declared):
        secretary = self.world.secretary
        meeting.record_meeting(
            rr, secretary, kind=MeetingKind.COMMITTEE, held_on=self.clock.today, entitled_count=COMMITTEE_SIZE,
            attendee_count=COMMITTEE_SIZE, minute_taker=MINUTE_TAKER, place=MEETING_PLACE,
            guide_signatory=GUIDE if rr.requires_guide_signatory else "",
        )
        for declaration in declared:
            adjusted = self.fraudulent.get(declaration.pk)
            if adjusted is not None:
                meeting.decide_declaration(declaration, secretary, DeclarationStatus.ADJUSTED, points=adjusted,
                                           reason="申报弄虚作假，给予相应项目双倍扣分")
        if rr.declarations.filter(status=DeclarationStatus.SUBMITTED).exists():
            meeting.bulk_approve(rr, secretary)

    def _file(self, rr):
        """Report upward and file today; returns when the round's publicity window closes."""
        meeting.submit_to_higher(rr, self.world.secretary)
        filing.file_round(rr, self.world.reviewer, "试算：同意备案", publicity_start=self.clock.today)
        rr.refresh_from_db()
        return rr.current_publicity().closes_at


def _free_item(component):
    """The rule item of an event that names none: free text, which a component listing its items refuses."""
    return "（未指明条目）" if component is not None and component.items else "试算事件"


def _day(event):
    value = event.get("date")
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value))


def _describe(event):
    parts = [str(event.get("member")), str(event.get("date")), str(event.get("component"))]
    if event.get("item"):
        parts.append(str(event["item"]))
    return " ".join(parts)

