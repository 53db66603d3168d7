"""A scenario read from a file as a stream: events folded one at a time, never held as a list.

:func:`simulate_file` gives the same document as ``simulate(json.load(handle,
parse_float=Decimal))`` (the values are decoded by the same standard-library decoder,
``parse_float=Decimal``), but the scenario's text is read a chunk at a time and its
``events`` array one element at a time: each event is folded into its member's
per-quarter sums (:func:`~scoring_engine.events.parse_events`) and dropped, so peak
memory follows the roster, not the number of events (issue 16, target 6). The other
fields (scheme, cycle, members, appraisal, history) are small beside the events and are
decoded whole.

Events are folded as they are read when the scheme, cycle and members come before them
in the file (the order of SCENARIOS.md). When they come first, they are checked for syntax
and skipped, and a second pass over the file (which must then be seekable) folds them.

Differences from reading the whole file first: an event error is reported with the line
of the file where that event starts (``events[17].component: …（第 23 行, line 23）``);
and a syntax error or an unknown top-level field *after* a bad event is found only once
the event's error is fixed. JSON syntax errors are :class:`json.JSONDecodeError` with the
file's line and column, as ``json.loads`` gives them.
"""
import json
import re
from decimal import Decimal

from .engine import compute
from .errors import SchemeError
from .inputs import Inputs, parse_appraisal, parse_cycle, parse_events, parse_history, parse_members
from .render import result_to_dict
from .scenario import REQUIRED_KEYS, SCENARIO_KEYS, scenario_scheme

CHUNK = 1 << 20          # characters read at a time
_DECODER = json.JSONDecoder(parse_float=Decimal)   # exactly what json.loads(..., parse_float=Decimal) uses
_WHITESPACE = re.compile(r"[ \t\n\r]*")


class JsonStream:
    """A JSON text read a chunk at a time, with absolute line/column for errors.

    ``buf`` holds the unread rest of the last chunks from ``pos``; ``offset`` is the
    absolute index of ``buf[0]``, ``lines`` the newlines before it and ``last_newline`` the
    absolute index of the last of those (-1 if none), so positions are reported in the
    whole file's terms whatever was dropped.
    """

    def __init__(self, handle, chunk=CHUNK):
        self.handle = handle
        self.chunk = chunk
        self.buf = ""
        self.pos = 0
        self.eof = False
        self.offset = 0
        self.lines = 0
        self.last_newline = -1
        self.start = 0   # absolute index where the last value read began

    def _more(self):
        """Append the next chunk (dropping what was consumed); False at the end of the file.

        A value longer than a chunk doubles the read, so decoding it again costs linear time.
        """
        if self.eof:
            return False
        text = self.handle.read(max(self.chunk, len(self.buf) - self.pos))
        if not text:
            self.eof = True
            return False
        pos = self.pos
        if pos:
            newlines = self.buf.count("\n", 0, pos)
            if newlines:
                self.lines += newlines
                self.last_newline = self.offset + self.buf.rfind("\n", 0, pos)
            self.offset += pos
            self.buf = self.buf[pos:] + text
            self.pos = 0
        else:
            self.buf += text
        return True

    def peek(self):
        """The next character after whitespace (consumed up to it), or "" at the end of the file."""
        while True:
            end = _WHITESPACE.match(self.buf, self.pos).end()
            self.pos = end
            if end < len(self.buf):
                return self.buf[end]
            if not self._more():
                return ""

    def line_at(self, position):
        """The 1-based line of absolute ``position``, which must still be in the buffer."""
        return self.lines + self.buf.count("\n", 0, position - self.offset) + 1

    def error(self, message, pos=None):
        """A :class:`json.JSONDecodeError` at ``pos`` (in the buffer; default: here) in the whole file's terms."""
        pos = self.pos if pos is None else pos
        error = json.JSONDecodeError(message, "", 0)
        newline = self.buf.rfind("\n", 0, pos)
        error.pos = self.offset + pos
        error.lineno = self.lines + self.buf.count("\n", 0, pos) + 1
        error.colno = pos - newline if newline >= 0 else error.pos - self.last_newline
        error.args = (f"{message}: line {error.lineno} column {error.colno} (char {error.pos})",)
        return error

    def expect(self, char, message):
        if self.peek() != char:
            raise self.error(message)
        self.pos += 1

    def value(self):
        """Decode the next JSON value whole."""
        self.peek()
        while True:
            try:
                value, end = _DECODER.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as error:
                if self._more():
                    continue   # the value may only be cut by the chunk's end
                raise self.error(error.msg, error.pos) from None
            # A number cut at the chunk's end decodes as a shorter one: only trust a value followed by more text.
            if end < len(self.buf) or not self._more():
                self.start = self.offset + self.pos
                self.pos = end
                return value

    def items(self):
        """The elements of the array that starts here, one at a time; ``start`` is where the last began."""
        self.expect("[", "Expecting value")
        if self.peek() == "]":
            self.pos += 1
            return
        while True:
            yield self.value()
            char = self.peek()
            self.pos += 1
            if char == "]":
                return
            if char != ",":
                self.pos -= 1
                raise self.error("Expecting ',' delimiter")

    def fields(self):
        """The keys of the object that starts here, one at a time; the caller reads each value."""
        if self.peek() == "\ufeff":
            raise self.error("Unexpected UTF-8 BOM (decode using utf-8-sig)")
        self.expect("{", "Expecting value")
        char = self.peek()
        if char == "}":
            self.pos += 1
            return
        while True:
            if char != '"':
                raise self.error("Expecting property name enclosed in double quotes")
            key = self.value()
            self.expect(":", "Expecting ':' delimiter")
            yield key
            char = self.peek()
            self.pos += 1
            if char == "}":
                return
            if char != ",":
                self.pos -= 1
                raise self.error("Expecting ',' delimiter")
            char = self.peek()

    def end(self):
        if self.peek() != "":
            raise self.error("Extra data")


def _skip_array(stream):
    """Read past the array (or value) here, checking its syntax, holding one element at a time."""
    if stream.peek() == "[":
        for _ in stream.items():
            pass
    else:
        stream.value()


def _fold_events(stream, scheme, cycle, members):
    """Fold the ``events`` value that starts here; an event's error names its line in the file."""
    if stream.peek() != "[":
        return parse_events(stream.value(), scheme, cycle, members)
    try:
        return parse_events(stream.items(), scheme, cycle, members)
    except SchemeError as error:
        if not error.path.startswith("events["):
            raise
        line = stream.line_at(stream.start)
        raise SchemeError(error.path, f"{error.message}（第 {line} 行, line {line}）", error.code,
                          error.params) from None


def simulate_file(handle, chunk=CHUNK):
    """Run the scenario read from the text ``handle`` (SCENARIOS.md) and return the result document.

    ``chunk``: characters read at a time (tests use tiny ones to cut values at every place)."""
    stream = JsonStream(handle, chunk)
    if stream.peek() not in ("{", "\ufeff"):
        scenario = stream.value()
        stream.end()
        from . import simulate   # not an object: the whole-document path explains what is wrong
        return simulate(scenario)
    scenario = {}
    prepared = None   # (scheme, cycle, members) once the events can be folded
    folded = None
    events_seen = deferred = False
    for key in stream.fields():
        if key not in SCENARIO_KEYS:
            raise SchemeError(key, f"未知字段，可用：{', '.join(SCENARIO_KEYS)} (unknown field)")
        if key != "events":
            scenario[key] = stream.value()
            continue
        if events_seen:
            raise SchemeError("events", "字段重复 (duplicate field)")
        events_seen = True
        if all(k in scenario for k in REQUIRED_KEYS):
            prepared = _prepare(scenario)
            folded = _fold_events(stream, *prepared)
        elif handle.seekable():
            _skip_array(stream)
            deferred = True
        else:
            scenario["events"] = stream.value()
    stream.end()
    for key in REQUIRED_KEYS:
        if key not in scenario:
            raise SchemeError(key, "缺少必填字段 (required field is missing)")
    if prepared is None:
        prepared = _prepare(scenario)
    scheme, cycle, members = prepared
    if deferred:
        handle.seek(0)
        again = JsonStream(handle, chunk)
        for key in again.fields():
            if key == "events":
                folded = _fold_events(again, scheme, cycle, members)
                break
            again.value()
    elif folded is None:
        folded = parse_events(scenario.get("events", []), scheme, cycle, members)
    sums, picks = folded
    inputs = Inputs(cycle=cycle, members=members, sums=sums, picks=picks,
                    appraisal=parse_appraisal(scenario.pop("appraisal", None), scheme, members),
                    history=parse_history(scenario.pop("history", None), scheme, members, cycle))
    spec = scenario["scheme"]
    return result_to_dict(compute(scheme, inputs), spec if isinstance(spec, str) else scheme.key)


def _prepare(scenario):
    """Scheme, cycle and members, validated as :func:`scoring_engine.simulate` does (the raw roster dropped)."""
    scheme = scenario_scheme(scenario)
    cycle = parse_cycle(scenario["cycle"], scheme)
    members = parse_members(scenario["members"], scheme)
    scenario["members"] = None
    return scheme, cycle, members


