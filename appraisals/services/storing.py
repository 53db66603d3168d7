"""Storing a computation's results (``MemberResult`` rows) in place of the evaluation's earlier ones.

Private to ``appraisals.services.compute``. On PostgreSQL an evaluation's first results go by
``COPY`` straight into the table while the engine is still scoring (:class:`FirstResults`: the
database inserts and checks the rows on its own core while Python scores the next members).
Later ones go by ``COPY`` into a temporary table, and three
statements then make the stored rows equal to it: the rows of members no longer evaluated are
deleted, the rows whose result changed are updated in place, the new members' rows are inserted.
A recomputation of a county whose results did not change writes nothing (no new rows, so no
30,000 foreign-key checks at commit); a changed result keeps its row id. Elsewhere (SQLite) the
earlier rows are deleted and the new ones inserted.
"""
import json

from django.db import connection, transaction
from django.utils import timezone
from psycopg import errors as psycopg_errors
from psycopg import pq

from schemes.models import to_json
from scoring_engine.engine import round_points

from ..models import Disposition, MemberResult

#: The columns a result's own values go to (the others are the evaluation's: id, cycle, version, time).
_VALUES = ("member_id", "total", "grade", "stars", "vetoed", "components", "actions")
_SCRATCH = "jifen_new_results"  # a temporary table, dropped at commit


def _table():
    return connection.ops.quote_name(MemberResult._meta.db_table)


def _first_copy_sql():
    return (f"COPY {_table()} (evaluation_id, cycle_start, scheme_version_number, computed_at, {', '.join(_VALUES)}) "
            "FROM STDIN")


def _head(ev, version, now):
    """The evaluation's own columns, the same on each of its COPY lines."""
    return f"{int(ev.pk)}\t{ev.cycle_start.isoformat()}\t{int(version.number)}\t{now.isoformat()}\t"


class FirstResults:
    """An evaluation's first results, written while the engine scores (PostgreSQL only).

    :meth:`open` returns one when the evaluation has no stored results on PostgreSQL (else None:
    :func:`replace_results` then stores them after the computation). Use::

        stream.start()                             # after the inputs are read
        try:
            engine(on_scored=stream.scored)        # final results, batch by batch
            stream.finish()                        # the last rows in
        except BaseException:
            stream.abort()                         # every row undone
            raise

    Each batch the engine hands over goes by one ``COPY``, sent without waiting for the database:
    it inserts that batch, and checks the results' two foreign keys (``SET CONSTRAINTS …
    IMMEDIATE``: at the end of each ``COPY``, not at commit), on its own core while Python scores
    the next batch; the next batch goes once that one is in, joined by those that came meanwhile.
    So between :meth:`start` and :meth:`finish` the connection is in the middle of a command:
    nothing else may use it (the engine does not). libpq waits in blocking mode meanwhile (no
    other thread of the process runs during those waits). A savepoint around it lets
    :meth:`abort` undo the rows and leave the transaction usable.
    """

    def __init__(self, ev, version):
        self.ev, self.version, self.now = ev, version, timezone.now()
        self.count = 0
        self._pending = False  # a COPY sent whose outcome is not read yet
        self._waiting = []  # lines (bytes) for the next COPY
        self._savepoint = self._constraints = self._pgconn = None

    @classmethod
    def open(cls, ev, version):
        if connection.vendor != "postgresql" or MemberResult.objects.filter(evaluation=ev).exists():
            return None
        return cls(ev, version)

    def start(self):
        self._savepoint = transaction.savepoint()
        with connection.cursor() as cursor:
            cursor.execute("SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'f' "
                           "AND condeferrable", [MemberResult._meta.db_table])
            self._constraints = ", ".join(connection.ops.quote_name(name) for (name,) in cursor.fetchall())
            if self._constraints:
                cursor.execute(f"SET CONSTRAINTS {self._constraints} IMMEDIATE")
        self._head = _head(self.ev, self.version, self.now)
        self._sql = _first_copy_sql().encode()
        self._pgconn = connection.connection.pgconn
        self._nonblocking = self._pgconn.nonblocking
        self._pgconn.nonblocking = 0  # libpq's calls below wait for the socket themselves

    def scored(self, items):
        """``on_scored``: these results' lines (in member-id order within the batch: the indexes' and
        the member foreign key's pages in order) sent by the next ``COPY``. That goes as soon as the
        one in flight is in; while the database is still at it, the lines wait for the next batch's.
        Raises the error of the ``COPY`` before (e.g. IntegrityError)."""
        self.count += len(items)
        self._waiting.append("".join(_copy_lines(sorted(items, key=_member_number), self._head)).encode())
        if self._pending:
            self._pgconn.consume_input()
            if self._pgconn.is_busy():
                return
            self._receive()
        self._send()

    def _send(self):
        data, self._waiting = b"".join(self._waiting), []
        pgconn = self._pgconn
        pgconn.send_query(self._sql)
        self._pending = True
        result = pgconn.get_result()
        if result is None or result.status != pq.ExecStatus.COPY_IN:  # refused at once
            self._receive(result)  # raises its error
            return
        pgconn.put_copy_data(data)
        pgconn.put_copy_end()

    def _receive(self, first=None):
        """The outcome of the ``COPY`` in flight, if any; raises its error (e.g. IntegrityError). A
        ``COPY`` left waiting for its data (interrupted before its end) is cancelled."""
        if not self._pending:
            return
        pgconn = self._pgconn
        outcome = None
        result = first if first is not None else pgconn.get_result()
        while result is not None:  # every result up to the command's end
            if result.status == pq.ExecStatus.COPY_IN:
                pgconn.put_copy_end(b"jifen: the results' COPY was interrupted")
            elif outcome is None:
                outcome = result
            result = pgconn.get_result()
        self._pending = False
        with connection.wrap_database_errors:
            if outcome is None:  # no answer: the connection is gone
                raise psycopg_errors.OperationalError(pgconn.get_error_message())
            if outcome.status != pq.ExecStatus.COMMAND_OK:
                raise psycopg_errors.error_from_result(outcome, encoding=connection.connection.info.encoding)

    def _close(self):
        try:
            self._receive()
            if self._waiting:
                self._send()
                self._receive()
        finally:
            self._pgconn.nonblocking = self._nonblocking

    def finish(self):
        """The last rows in. Raises a ``COPY``'s error (e.g. IntegrityError): call :meth:`abort` then."""
        self._close()
        self._defer()
        transaction.savepoint_commit(self._savepoint)
        self._savepoint = None

    def abort(self):
        """The computation failed: the ``COPY`` in flight ended, every row undone (the savepoint)."""
        if self._savepoint is None:
            return
        self._waiting = []
        try:
            self._close()
        except Exception:  # the computation's own error is the one to report
            pass
        transaction.savepoint_rollback(self._savepoint)  # the constraints' mode is rolled back too
        self._savepoint = None

    def _defer(self):
        """The results' foreign keys checked at commit again (Django's keys are INITIALLY DEFERRED)."""
        if self._constraints:
            with connection.cursor() as cursor:
                cursor.execute(f"SET CONSTRAINTS {self._constraints} DEFERRED")


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
        table = _table()
        columns = ", ".join(_VALUES)
        if not stored:
            # The evaluation's first results (when not streamed by FirstResults): straight into the
            # table, in member order (the indexes' and the member foreign key's pages in order:
            # about 10% less time in PostgreSQL than in the county's order).
            with raw.copy(_first_copy_sql()) as copy:
                for chunk in _copy_lines(sorted(members, key=_member_number), _head(ev, version, now)):
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
