"""Storing a computation's results (``MemberResult`` rows) in place of the evaluation's earlier ones.

Private to ``appraisals.services.compute``. On PostgreSQL an evaluation's first results go by
``COPY`` straight into the table. Later ones go by ``COPY`` into a temporary table, and three
statements then make the stored rows equal to it: the rows of members no longer evaluated are
deleted, the rows whose result changed are updated in place, the new members' rows are inserted.
A recomputation of a county whose results did not change writes nothing (no new rows, so no
30,000 foreign-key checks at commit); a changed result keeps its row id. Elsewhere (SQLite) the
earlier rows are deleted and the new ones inserted.
"""
import json

from django.db import connection
from django.utils import timezone

from schemes.models import to_json
from scoring_engine.engine import round_points

from ..models import Disposition, MemberResult

#: The columns a result's own values go to (the others are the evaluation's: id, cycle, version, time).
_VALUES = ("member_id", "total", "grade", "stars", "vetoed", "components", "actions")
_SCRATCH = "jifen_new_results"  # a temporary table, dropped at commit


def replace_results(ev, version, members):
    """Make ``ev``'s stored results those of ``members`` (engine ``MemberResult`` items) under ``version``.

    A stored row is left untouched when its member's result is the same (its ``computed_at`` then
    stays the time that result was first computed; the evaluation's own ``computed_at`` is the
    recomputation's). No signals are sent (as with ``bulk_create``). Returns the number of results.
    Raises ProtectedError when a disposition refers to one of the earlier results, as a
    recomputation did before.
    """
    results = MemberResult.objects.filter(evaluation=ev)
    if Disposition.objects.filter(result__evaluation=ev).exists():
        results.delete()  # refuses (ProtectedError)
    stored = results.exists()
    now = timezone.now()
    with connection.cursor() as cursor:
        raw = cursor.cursor
        if connection.vendor != "postgresql" or not hasattr(raw, "copy"):
            results.delete()
            MemberResult.objects.bulk_create([
                MemberResult(evaluation_id=ev.pk, member_id=int(item.id), cycle_start=ev.cycle_start,
                             total=item.total, grade=item.grade or "", stars=item.stars, vetoed=item.vetoed,
                             components={k: to_json(round_points(v)) for k, v in item.components.items()},
                             actions=list(item.actions), scheme_version_number=version.number, computed_at=now)
                for item in members], batch_size=1000)
            return len(members)
        table = connection.ops.quote_name(MemberResult._meta.db_table)
        columns = ", ".join(_VALUES)
        if not stored:
            # The evaluation's first results: straight into the table, its own columns first on each
            # line, in member order (the indexes' and the member foreign key's pages in order: about
            # 10% less time in PostgreSQL than in the county's order).
            head = f"{int(ev.pk)}\t{ev.cycle_start.isoformat()}\t{int(version.number)}\t{now.isoformat()}\t"
            with raw.copy(f"COPY {table} (evaluation_id, cycle_start, scheme_version_number, computed_at, "
                          f"{columns}) FROM STDIN") as copy:
                for chunk in _copy_lines(sorted(members, key=_member_number), head):
                    copy.write(chunk)
            return len(members)
        cursor.execute(f"DROP TABLE IF EXISTS pg_temp.{_SCRATCH}")
        cursor.execute(f"CREATE TEMPORARY TABLE {_SCRATCH} ON COMMIT DROP AS SELECT {columns} FROM {table} "
                       "WITH NO DATA")
        with raw.copy(f"COPY {_SCRATCH} ({columns}) FROM STDIN") as copy:
            for chunk in _copy_lines(members):
                copy.write(chunk)
        # Its size for the planner (hash joins, not a scan of one table per row of the other).
        cursor.execute(f"ANALYZE {_SCRATCH} (member_id)")
        fixed = {"evaluation": ev.pk, "cycle_start": ev.cycle_start, "version": version.number, "now": now}
        cursor.execute(f"DELETE FROM {table} r WHERE r.evaluation_id = %(evaluation)s AND NOT EXISTS "
                       f"(SELECT 1 FROM {_SCRATCH} n WHERE n.member_id = r.member_id)", fixed)
        cursor.execute(
            f"UPDATE {table} r SET {', '.join(f'{c} = n.{c}' for c in _VALUES[1:])}, "
            "cycle_start = %(cycle_start)s, scheme_version_number = %(version)s, computed_at = %(now)s "
            f"FROM {_SCRATCH} n WHERE r.evaluation_id = %(evaluation)s AND r.member_id = n.member_id AND "
            f"({', '.join(f'r.{c}' for c in _VALUES[1:])}, r.cycle_start, r.scheme_version_number) "
            f"IS DISTINCT FROM ({', '.join(f'n.{c}' for c in _VALUES[1:])}, %(cycle_start)s::date, "
            "%(version)s::integer)", fixed)
        # Left: the new members' rows. (The insert then reads no table it writes to, which a
        # plan rescanning it for each row would make quadratic.)
        cursor.execute(f"DELETE FROM {_SCRATCH} n USING {table} r WHERE r.evaluation_id = %(evaluation)s "
                       "AND r.member_id = n.member_id", fixed)
        cursor.execute(f"INSERT INTO {table} (evaluation_id, cycle_start, scheme_version_number, computed_at, {columns}) "
                       f"SELECT %(evaluation)s, %(cycle_start)s, %(version)s, %(now)s, "
                       f"{', '.join(f'n.{c}' for c in _VALUES)} FROM {_SCRATCH} n", fixed)
        cursor.execute(f"DROP TABLE pg_temp.{_SCRATCH}")
    return len(members)


def _member_number(item):
    return int(item.id)


def _copy_lines(members, prefix=""):
    """The results as ``COPY`` text of ``_VALUES`` (each line after ``prefix``), in chunks of 5,000
    lines (written here: a county's 30,000 rows would otherwise spend most of the close in per-value
    adaptation)."""
    lines = []
    # Components, grades and action lists repeat across 30,000 results: each ``"name": "value"`` pair
    # is written once (a name is a JSON string escaped for COPY; a value's digits need no escaping).
    # A zero is keyed by its text: its sign is not part of its value.
    pairs, grades, actions_json = {}, {}, {}
    for item in members:
        parts = []
        for name, value in item.components.items():
            written = pairs.get(name)
            if written is None:
                written = pairs[name] = {}
            key = value if value else repr(value)
            pair = written.get(key)
            if pair is None:
                pair = written[key] = f'{_copy_text(json.dumps(str(name)))}: "{format(round_points(value), "f")}"'
            parts.append(pair)
        actions = actions_json.get(item.actions)
        if actions is None:
            actions = actions_json[item.actions] = _copy_text(json.dumps(list(item.actions)))
        grade = grades.get(item.grade)
        if grade is None:
            grade = grades[item.grade] = _copy_text(item.grade or "")
        stars = "\\N" if item.stars is None else str(int(item.stars))
        lines.append(f"{prefix}{int(item.id)}\t{format(item.total, 'f')}\t{grade}\t{stars}\t{'t' if item.vetoed else 'f'}\t"
                     f"{{{', '.join(parts)}}}\t{actions}\n")
        if len(lines) == 5000:
            yield "".join(lines)
            lines = []
    if lines:
        yield "".join(lines)


def _copy_text(value):
    """``value`` as a field of ``COPY``'s text format (backslash, tab, newline and return escaped)."""
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        value = value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return value
