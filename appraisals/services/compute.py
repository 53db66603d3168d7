"""Results computed from the ledger by the evaluation's stored scheme version (``scoring_engine``).

Inputs to the engine: the evaluated members (``evaluations.evaluated_members``), every ledger
entry of theirs for the cycle (posted and corrections, not resets; one event per declaration,
with its rule item where the scheme counts items), the appraisal inputs, and their results of
earlier *published* evaluations as history. ``compute_results`` stores one
MemberResult per member; ``verify_results`` recomputes and lists differences, read-only.
"""
import gc
import re
from collections import namedtuple
from contextlib import contextmanager
from decimal import Decimal

import psycopg
from django.db import connection, transaction
from django.db.models import BooleanField, CharField, ExpressionWrapper, Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

import scoring_engine
from ledger import totals as ledger_totals
from ledger.models import SCORE_KINDS, LedgerEntry, ScoreTotal
from members.models import Member, arrival_dates
from organisations.permissions import BRANCH_STAFF, require
from reviews import audit
from reviews.audit import AuditAction
from reviews.models import Declaration, Objection
from scoring_engine.cycle import Cycle
from scoring_engine.render import checks_to_list

from ..errors import AppraisalErrorCode as Code
from ..models import FINAL_STATUSES, AppraisalInput, Evaluation, EvaluationStatus, MemberResult
from . import awards, findings, storing
from ._shared import invalid, locked_evaluation, subtree_members
from .evaluations import evaluated_member_rows, require_editable


def _months_between(start, end):
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    return max(months, 0)


def engine_inputs(evaluation):
    """The engine's inputs for ``evaluation``, in its format.

    Returns ``(members, events, sums, appraisal, history, by_id, excluded, sources)``: the engine's
    members (read by ``scoring_engine.parse_members`` while the database adds up the ledger's
    totals), event dicts (``{"member", "date", "component", "points"}``), per-quarter sums
    (``scoring_engine.prepare``'s ``sums``), appraisal by member id, history by member id, the
    member (:class:`~.evaluations.EvaluatedMember`) by engine id, excluded members, and the ledger
    row behind each event (same order).

    The database does the arithmetic it can: for the components whose events the engine only
    adds up once their sign is right (``scoring_engine.foldable_components``), one query grouped
    by member over the ledger's per-quarter totals gives each member's per-quarter sums
    (:func:`_quarter_sums`); the other components' entries, and those of a member whose sums
    could not stand for its events, are read as plain rows (no model instance per entry).
    Members, exclusions, transfers, appraisal inputs and history are each read in one query,
    whatever the number of members. Raises ValidationError (``computation_failed``) naming a member
    the scheme refuses (e.g. of a category it lacks).
    """
    members, excluded = evaluated_member_rows(evaluation)
    scheme = evaluation.scheme_version.engine_scheme()
    by_id = {str(m.pk): m for m in members}
    # The same members as a subquery (no list of 30,000 ids sent with each query).
    member_ids = subtree_members(evaluation).exclude(pk__in=[m.pk for m in excluded]).values("pk")
    inputs = {i.member_id: i for i in AppraisalInput.objects.filter(evaluation=evaluation)}
    arrivals = arrival_dates(Member.objects.filter(pk__in=member_ids)) if members else {}
    engine_members = []
    # The ledger's totals are added up by the database while Python builds the members.
    with _quarter_sums(member_ids, scheme, Cycle(evaluation.cycle_start, evaluation.cycle_end)) as read_sums:
        for member in members:
            flags = dict(inputs[member.pk].flags) if member.pk in inputs else {}
            arrived = arrivals.get(member.pk)
            if arrived is not None and "transferred_in_months" not in flags:
                flags["transferred_in_months"] = _months_between(arrived, evaluation.cycle_end)
            engine_members.append({
                "id": str(member.pk),
                "name": member.name,
                "branch": str(member.organisation_id),
                "category": member.category_code,
                "probationary": member.is_probationary,
                "flags": flags,
            })
        # The engine reads the members while the database is still at the totals (a refusal leaves
        # the block: the pipeline's end reads what is left of it).
        try:
            roster = scoring_engine.parse_members(engine_members, scheme)
        except scoring_engine.SchemeError as error:
            raise _explain(error, by_id, [], evaluation) from None
        sums, rest = read_sums()
    entries = LedgerEntry.objects.filter(member__in=member_ids, cycle_start=evaluation.cycle_start,
                                         kind__in=SCORE_KINDS)
    rows = [] if rest is None else [
        Row(*values) for values in entries.filter(rest).order_by("member_id", "occurred_on", "organisation_id", "seq")
        .values_list(*Row._fields)]
    events, sources = _ledger_events(rows, scheme)
    appraisal = {str(mid): spec for mid, spec in ((mid, item.to_engine()) for mid, item in inputs.items())
                 if str(mid) in by_id and spec is not None}
    history = {}
    earlier = MemberResult.objects.filter(
        member__in=member_ids, evaluation__status__in=FINAL_STATUSES, cycle_start__lt=evaluation.cycle_start
    ).order_by("cycle_start")
    for row in earlier:
        history.setdefault(str(row.member_id), []).append(row.history_entry())
    return roster, events, sums, appraisal, history, by_id, excluded, sources


@contextmanager
def _quarter_sums(member_ids, scheme, cycle):
    """A context giving a function that returns ``(sums, rest)``: per-quarter sums of the foldable
    components' entries, and the ``Q`` of the entries left to read one by one (``None``: none). On
    PostgreSQL the query is sent on entering and its rows read when the function is called
    (psycopg's pipeline mode): inside the block the caller may do anything but use the connection.

    Read from the ledger's totals (``ledger.models.ScoreTotal``: per chain, member, cycle and
    component, kept by the posting in the entries' transaction and checked by ``verify_ledger``),
    not from the entries: one row per member and component (one per chain for a member with
    entries in several chains, which the engine adds up), no aggregation. A member's foldable
    component whose entries are all in the cycle and obey the component's sign gets their sums:
    every event made of them (one declaration's entries share a date) obeys it too, so the sums
    stand for the events. Otherwise (a correction below zero, an entry outside the cycle) that
    member's entries of the component are read as rows and the engine checks each event itself,
    as it does the entries of the components that do not fold, and every entry of a cycle longer
    than the totals' four quarters.
    """
    starts = cycle.quarter_starts()
    foldable = scoring_engine.foldable_components(scheme) if starts and len(starts) <= ledger_totals.QUARTERS else {}
    if not foldable:
        yield lambda: ([], Q())
        return
    n = len(starts)
    # Whether the row's sums may stand for its entries, decided by the database (no dates and
    # extremes read back): every entry within the cycle, none of the wrong sign.
    signed = Q()
    for sign, extreme in ((0, Q()), (1, Q(lowest__gte=0)), (-1, Q(highest__lte=0))):
        names = [name for name, s in foldable.items() if s == sign]
        if names:
            signed |= Q(component__in=names) & extreme
    fits = ExpressionWrapper(Q(first_on__gte=cycle.start, last_on__lte=cycle.end) & signed, output_field=BooleanField())
    # The quarters past the cycle's last are empty when every entry is within it.
    rows = ScoreTotal.objects.filter(member__in=member_ids, cycle_start=cycle.start).order_by().annotate(
        fits=fits, member_key=Cast("member_id", CharField()))
    quarters = [f"q{q + 1}" for q in range(n)]
    if connection.vendor != "postgresql":
        query = rows.values_list("member_key", "component", "fits", *quarters)
        yield lambda: _fitting_sums(list(query), foldable)
        return
    # The sums come as text (numeric(14,2): written with its two places, as psycopg's Decimal of
    # it is) and each distinct text becomes a Decimal once (_Decimals): a county's 356,000 quarter
    # sums hold a few hundred values, and a Decimal made for each cost the close about 8%.
    query = rows.annotate(**{f"{name}_text": Cast(name, TextField()) for name in quarters}).values_list(
        "member_key", "component", "fits", *[f"{name}_text" for name in quarters])
    connection.ensure_connection()
    raw = connection.connection
    with raw.pipeline():
        # A server-binding cursor (pipeline mode) in Django's wrapper, as connection.cursor() wraps
        # its own: execute wrappers, query log, errors.
        plain = psycopg.Cursor(raw)
        cursor = connection.make_debug_cursor(plain) if connection.queries_logged else connection.make_cursor(plain)
        cursor.execute(*query.query.sql_with_params())
        yield lambda: _fitting_sums(cursor.fetchall(), foldable, _Decimals().__getitem__)


class _Decimals(dict):
    """The Decimal of each text it is asked for, made once (None for None)."""

    def __init__(self):
        super().__init__({None: None})

    def __missing__(self, text):
        value = self[text] = Decimal(text)
        return value


def _fitting_sums(rows, foldable, decimal=None):
    """``(sums, rest)`` of :func:`_quarter_sums` from its rows ``(member, component, fits, q1, …)``,
    each quarter's sum made a Decimal by ``decimal`` (None: it is one)."""
    # A member with entries in several chains (posted by a higher organisation too) has a row per
    # chain: the engine adds their sums up, unless one of them does not fit; then all are read.
    unfit = {row[:2] for row in rows if not row[2]}
    unfit_members = {key[0] for key in unfit}
    sums = [(row[0], row[1], row[3:] if decimal is None else tuple(map(decimal, row[3:]))) for row in rows
            if row[2] and (row[0] not in unfit_members or row[:2] not in unfit)]
    read = {}
    for member, component in unfit:
        read.setdefault(component, []).append(int(member))
    if not read:
        return sums, None
    rest = Q(pk__in=[])
    for name, ids in read.items():
        rest |= Q(component=name) if foldable.get(name) is None else Q(component=name, member_id__in=ids)
    return sums, rest


#: A ledger entry as the engine's inputs read it (a plain row, not a model instance).
Row = namedtuple("Row", ["pk", "seq", "member_id", "occurred_on", "component", "points", "source_ref"])


_DECLARATION_REF = re.compile(r"/declaration:(\d+)")
_OBJECTION_REF = re.compile(r"/objection:(\d+)")


def _ledger_events(entries, scheme):
    """The engine's events from ledger entries: ``(events, the first entry behind each)``.

    The entries of one declaration (posted, then corrected on objection) make one event with
    their sum. Where the declaration names a listed item of its component, or the component
    keeps only the best event per item (同类别不重复加分), the event carries that item and
    ``recorded: true``: the branch's decided points stand as they are, and the item's count
    limits (钟祥 当年/每月) and best-per-item rule apply at year end as they do in ``simulate``.
    """
    declaration_of = {}
    for entry in entries:
        found = _DECLARATION_REF.search(entry.source_ref or "")
        if found:
            declaration_of[entry.pk] = int(found.group(1))
    objections = {int(m.group(1)): entry.pk for entry in entries
                  if entry.pk not in declaration_of and (m := _OBJECTION_REF.search(entry.source_ref or ""))}
    for objection_id, declaration_id in Objection.objects.filter(pk__in=objections).values_list("pk", "declaration_id"):
        declaration_of[objections[objection_id]] = declaration_id
    items = dict(Declaration.objects.filter(pk__in=set(declaration_of.values())).values_list("pk", "rule_item"))
    events, sources, grouped = [], [], {}
    for entry in entries:
        declaration_id = declaration_of.get(entry.pk)
        if declaration_id is not None and declaration_id in grouped:
            grouped[declaration_id]["points"] += entry.points
            continue
        event = {"member": str(entry.member_id), "date": entry.occurred_on.isoformat(),
                 "component": entry.component, "points": entry.points}
        component = scheme.component(entry.component) if entry.component in scheme.component_index else None
        item = items.get(declaration_id)
        if component is not None and item and (item in component.items or component.best_per_item):
            event.update(item=item, recorded=True)
        if declaration_id is not None:
            grouped[declaration_id] = event
        events.append(event)
        sources.append(entry)
    return events, sources


def _explain(error, by_id, sources, ev):
    """A SchemeError turned into a ValidationError (``computation_failed``) naming the member or ledger
    entry; entries under components the scheme lacks are told as the ledger finding, in the page's language."""
    path = error.path or ""
    where = path
    message = (findings.unknown_components_text(ev) if path.endswith(".component") else "") or error.message
    if path.startswith("events[") and "]" in path:
        index = int(path[len("events["):path.index("]")])
        if 0 <= index < len(sources) and sources[index] is not None:
            entry = sources[index]
            member = by_id.get(str(entry.member_id), entry.member_id)
            where = _("台账第 %(seq)s 条（%(m)s，%(d)s，%(c)s）") % {
                "seq": entry.seq, "m": member, "d": entry.occurred_on, "c": entry.component}
    elif path.startswith("members[") and "]" in path:
        index = int(path[len("members["):path.index("]")])
        if 0 <= index < len(by_id):  # by_id is in the engine's member order
            where = _("成员“%(m)s”") % {"m": list(by_id.values())[index]}
    elif path.startswith(("appraisal.", "history.")):
        for member_id, member in by_id.items():
            if f".{member_id}." in f".{path}." or path.startswith(f"appraisal.{member_id}"):
                where = _("成员“%(m)s”") % {"m": member}
                break
    return invalid(_("按方案计算失败：%(where)s：%(msg)s"), Code.COMPUTATION_FAILED, where=where, msg=message)


def _engine_result(ev, stream=None):
    """``(results, checks, members by engine id, excluded members)`` for the evaluation's current
    inputs: the engine's ``MemberResult`` items and its checks as a list.

    ``stream`` (a :class:`~.storing.FirstResults`) is started once the inputs are read, handed the
    results as the engine makes them final and finished; aborted (its rows undone) on any error.
    The results are then None: they are the stream's rows.
    """
    members, events, sums, appraisal, history, by_id, excluded, sources = engine_inputs(ev)
    scheme = ev.scheme_version.engine_scheme()
    if stream is not None:
        stream.start()
    try:
        result = scoring_engine.compute(
            scheme, {"start": ev.cycle_start.isoformat(), "end": ev.cycle_end.isoformat()},
            members, events, appraisal, history, sums=sums, on_scored=stream.scored if stream is not None else None,
        )
        # While the database is still storing the last results: a county's inputs freed, the
        # checks written out and (once streamed) the results' objects freed too.
        del members, events, sums, appraisal, history
        checks = checks_to_list(result)  # the members are stored as rows, not as a document
        results = None if stream is not None else result.members
        del result
        if stream is not None:
            stream.finish()
    except BaseException as error:
        if stream is not None:
            stream.abort()  # before anything else uses the connection (_explain reads the ledger's findings)
        if isinstance(error, scoring_engine.SchemeError):
            raise _explain(error, by_id, sources, ev) from None
        raise
    return results, checks, by_id, excluded


def verify_results(evaluation):
    """Recompute from the stored inputs (ledger, appraisal, history, scheme version) and compare.

    Returns one row per member whose stored result differs (``[]`` when every stored result
    is reproduced): ``{"member", "field", "stored", "recomputed"}``. Read-only. Raises
    ValidationError (``computation_failed``) when the scheme refuses the inputs.
    """
    results, _checks, by_id, _excluded = _engine_result(evaluation)
    stored = {str(r.member_id): r for r in evaluation.results.select_related("member")}
    awarded = {}
    for award in evaluation.quota_awards.all():
        awarded.setdefault(str(award.member_id), []).append(award.target)
    differences = []
    for item in results:
        row = stored.pop(item.id, None)
        member = by_id[item.id]
        if row is None:
            differences.append({"member": member.name, "field": "result", "stored": None, "recomputed": item.total})
            continue
        grade, stars = item.grade or "", item.stars
        for award in awarded.get(item.id, ()):  # a tied place the branch awarded (appraisals.services.awards)
            if award.endswith("星") and award[:-1].isdigit():
                stars = int(award[:-1])
            else:
                grade = award
        for field, recomputed in (("total", item.total), ("grade", grade), ("stars", stars),
                                  ("vetoed", item.vetoed), ("actions", list(item.actions))):
            if getattr(row, field) != recomputed:
                differences.append({"member": member.name, "field": field, "stored": getattr(row, field),
                                    "recomputed": recomputed})
    for row in stored.values():
        differences.append({"member": row.member.name, "field": "result", "stored": row.total, "recomputed": None})
    return differences


@contextmanager
def _no_cycle_collection():
    """Python's cyclic garbage collector paused while a close builds its inputs and results.

    A county's close allocates hundreds of thousands of short-lived, acyclic objects (rows,
    events, Decimals), each of which counts towards the collector's thresholds: the
    collector then runs hundreds of times and rescans every live object each time (about
    a third of the close at 3,000 members, more as the heap grows). Reference counting
    still frees them; anything cyclic is collected once the collector resumes.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def compute_results(evaluation, by=None, *, process=None, task=None):
    """Run the scheme version on the evaluation's inputs and store one MemberResult per member.

    Called by the branch to preview (``by`` given: permission checked) and by the flow's
    ``compute_results`` node. A member without ledger entries still gets a result. Locks the
    scheme (later edits make a new version). Returns the new MemberResult rows (a queryset,
    with their members; a county's close need not load its 30,000 rows back).

    Raises PermissionDenied, StepConflict (``evaluation_not_editable``) or ValidationError
    (``computation_failed``, naming the member or ledger entry).
    """
    if by is not None:
        require(by, evaluation.organisation, BRANCH_STAFF)

    def _run(ev):
        require_editable(ev)
        version = ev.scheme_version
        stream = storing.FirstResults.open(ev, version)  # PostgreSQL, no results yet: stored while scoring
        results, checks, by_id, excluded = _engine_result(ev, stream)
        stored = stream.count if stream is not None else storing.replace_results(ev, version, results)
        # results now exist under this version: its definition may no longer change in place
        version.scheme.lock()
        before = {"status": ev.status}
        ev.checks = checks
        ev.excluded = [{"id": m.pk, "name": m.name} for m in excluded]
        ev.computed_at = timezone.now()
        if ev.status == EvaluationStatus.APPRAISAL:
            ev.status = EvaluationStatus.COMPUTED
        ev.save(update_fields=["checks", "excluded", "computed_at", "status"])
        awards.reapply(ev)
        audit.record(AuditAction.RESULTS_COMPUTED, ev, actor=by, organisation=ev.organisation, before=before,
                     after={"status": ev.status, "members": stored, "scheme_version": version.number,
                            "checks": len(ev.checks)})
        return ev.results.select_related("member")

    with _no_cycle_collection():
        if process is not None:  # inside the flow node: the lock is already held
            with transaction.atomic():
                return _run(Evaluation.objects.select_for_update(of=("self",)).get(pk=evaluation.pk))
        with locked_evaluation(evaluation) as (ev, _process):
            return _run(ev)


def flow_compute(process, task):
    """YearEndFlow ``compute_results`` node (the appraisal step just closed)."""
    compute_results(process.evaluation, process=process, task=task)
