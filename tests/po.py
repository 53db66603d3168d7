"""A reader for gettext .po files, enough for the checks in ``tests/test_locale.py``.

``entries(path)`` → list of ``Entry`` (context or None, msgid, msgid_plural or None, msgstrs as a
tuple ordered by plural index, fuzzy flag, obsolete flag); the header (empty msgid) is included.
``catalog(path)`` → the dict that ``gettext.GNUTranslations`` builds from the compiled file:
``msgid`` (``"ctx\\x04msgid"`` with a context) → msgstr, or ``(msgid, n)`` → msgstr[n] for plurals;
untranslated, fuzzy and obsolete entries are left out, as ``msgfmt`` leaves them out.
Raises ``ValueError`` naming the line on a line it does not understand.
"""
import ast
import re
from dataclasses import dataclass

_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")$')


@dataclass(frozen=True)
class Entry:
    context: str | None
    msgid: str
    msgid_plural: str | None
    msgstrs: tuple
    fuzzy: bool
    obsolete: bool

    @property
    def translated(self):
        return bool(self.msgstrs) and all(self.msgstrs) and not self.fuzzy and not self.obsolete


def _string(literal, where):
    try:
        return ast.literal_eval(literal)
    except (SyntaxError, ValueError) as exc:
        raise ValueError(f"{where}: not a quoted string: {literal}") from exc


def entries(path):
    result = []
    fields, flags, obsolete, current = {}, set(), False, None

    def flush():
        nonlocal fields, flags, obsolete, current
        if "msgid" in fields:
            strs = [v for k, v in sorted((k, v) for k, v in fields.items() if isinstance(k, int))]
            result.append(Entry(fields.get("msgctxt"), fields["msgid"], fields.get("msgid_plural"), tuple(strs),
                                "fuzzy" in flags, obsolete))
        fields, flags, obsolete, current = {}, set(), False, None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        where = f"{path}:{number}"
        line = raw.strip()
        is_obsolete = line.startswith("#~")
        if is_obsolete:
            line = line[2:].strip()
            if line.startswith("|"):  # the previous msgid of an obsolete fuzzy entry
                continue
        if not line:
            flush()
            continue
        if line.startswith("#"):
            if line.startswith("#,"):
                flags.update(f.strip() for f in line[2:].split(","))
            continue
        match = _KEYWORD.match(line)
        if match:
            keyword, index, literal = match.groups()
            if keyword in ("msgctxt", "msgid") and any(isinstance(k, int) for k in fields):
                flush()  # a new entry without a blank line before it
            key = int(index) if index is not None else (0 if keyword == "msgstr" else keyword)
            fields[key] = _string(literal, where)
            current, obsolete = key, obsolete or is_obsolete
            continue
        if line.startswith('"') and current is not None:
            fields[current] += _string(line, where)
            continue
        raise ValueError(f"{where}: unexpected line: {raw}")
    flush()
    return result


def catalog(path):
    result = {}
    for entry in entries(path):
        if not entry.msgid or not entry.translated:
            continue
        key = entry.msgid if entry.context is None else f"{entry.context}\x04{entry.msgid}"
        if entry.msgid_plural is None:
            result[key] = entry.msgstrs[0]
        else:
            for n, text in enumerate(entry.msgstrs):
                result[(key, n)] = text
    return result
