"""Refresh the message catalogues and compile them.

    .venv/bin/python locale/update.py

1. ``makemessages`` for en and zh_Hans (source strings are simplified Chinese);
2. fills the English catalogue from every ``locale/en_*.py`` table (``en_portal.py`` for the portal,
   ``en_apps.py`` for the apps) and the Chinese catalogue from ``locale/zh_viewflow.py``
   (viewflow's own English navigation strings, which viewflow ships untranslated); the tables
   are the source of truth for the strings they list, so an edit there replaces the .po text;
3. ``compilemessages``;
4. prints the English entries still untranslated or fuzzy (add them to a table and run again).
"""
import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


def _load(name, attr="T"):
    spec = importlib.util.spec_from_file_location(name, ROOT / "locale" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, attr, {})


def _english_tables():
    """All ``locale/en_*.py`` tables merged (T and CONTEXT); a msgid listed twice must agree."""
    merged = {}
    for path in sorted((ROOT / "locale").glob("en_*.py")):
        for attr in ("T", "CONTEXT"):
            for key, value in _load(path.stem, attr).items():
                if key in merged and merged[key] != value:
                    raise SystemExit(f"{path.name}: {key!r} is translated differently in another en_*.py table")
                merged[key] = value
    return merged


def _quote(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _unquote(s):
    return \
        re.sub(r'\\(.)', lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), s)


def fill(po_path, table, extra_entries=None):
    """Set msgstr for entries whose msgid is in ``table`` and whose msgstr is empty; append extras."""
    text = po_path.read_text(encoding="utf-8")
    blocks = text.split("\n\n")
    seen = set()
    out = []
    for block in blocks:
        lines = block.split("\n")
        fields, order, cur = {}, [], None
        for line in lines:
            m = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d\])?|msgctxt) "(.*)"$', line)
            if m:
                cur = m.group(1)
                fields[cur] = m.group(2)
                order.append(cur)
                continue
            m = re.match(r'^"(.*)"$', line)
            if m and cur:
                fields[cur] += m.group(1)
        msgid = _unquote(fields.get("msgid", ""))
        key = (_unquote(fields["msgctxt"]), msgid) if "msgctxt" in fields else msgid
        if msgid:
            seen.add(msgid)
        if not msgid and "msgstr" in fields and block.lstrip().startswith("#"):
            # the header: never fuzzy (msgfmt would still use it, but a fuzzy flag hides real ones)
            block = "\n".join(ln for ln in lines if ln != "#, fuzzy")
        if msgid and key in table and not block.lstrip().startswith("#~"):
            value = table[key]
            comments = [ln for ln in lines if ln.startswith("#")]
            comments = [c for c in comments if not c.startswith("#, fuzzy") and not c.startswith("#|")]
            comments = [c.replace("fuzzy, ", "").replace(", fuzzy", "") for c in comments]
            new = comments + ([f"msgctxt {_quote(_unquote(fields['msgctxt']))}"] if "msgctxt" in fields else [])
            new.append(f"msgid {_quote(msgid)}")
            if "msgid_plural" in fields:
                new.append(f"msgid_plural {_quote(_unquote(fields['msgid_plural']))}")
                one, many = value if isinstance(value, tuple) else (value, value)
                new.append(f"msgstr[0] {_quote(one)}")
                new.append(f"msgstr[1] {_quote(many)}")
            else:
                text_value = value[0] if isinstance(value, tuple) else value
                new.append(f"msgstr {_quote(text_value)}")
            out.append("\n".join(new))
        else:
            out.append(block)
    for msgid, value in (extra_entries or {}).items():
        if msgid in seen:
            continue
        out.append(f"#. viewflow\nmsgid {_quote(msgid)}\nmsgstr {_quote(value)}")
    po_path.write_text("\n\n".join(out).rstrip("\n") + "\n", encoding="utf-8")


def missing(po_path):
    """(msgctxt, msgid) of entries with an empty msgstr or a fuzzy flag."""
    result = []
    for block in po_path.read_text(encoding="utf-8").split("\n\n"):
        if block.lstrip().startswith("#~"):
            continue
        fields, cur = {}, None
        for line in block.split("\n"):
            m = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d\])?|msgctxt) "(.*)"$', line)
            if m:
                cur = m.group(1)
                fields[cur] = m.group(2)
                continue
            m = re.match(r'^"(.*)"$', line)
            if m and cur:
                fields[cur] += m.group(1)
        msgid = _unquote(fields.get("msgid", ""))
        fuzzy = any(ln.startswith("#,") and "fuzzy" in ln for ln in block.split("\n"))
        empty = any(not v for k, v in fields.items() if k.startswith("msgstr"))
        if msgid and (fuzzy or empty):
            result.append((_unquote(fields["msgctxt"]) if "msgctxt" in fields else None, msgid))
    return result


#: Aliases of gettext functions used in the code besides Django's defaults (``_``, ``gettext_lazy`` …);
#: xgettext only extracts calls of names it is told about.
EXTRA_KEYWORDS = ("_lazy",)


def makemessages():
    """``makemessages`` for en and zh_Hans, also extracting the aliases in ``EXTRA_KEYWORDS``."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jifen.settings")
    import django
    from django.core.management import call_command
    from django.core.management.commands import makemessages as base

    django.setup()

    class Command(base.Command):
        xgettext_options = base.Command.xgettext_options + [f"--keyword={k}" for k in EXTRA_KEYWORDS]

    call_command(Command(), locale=["en", "zh_Hans"], no_obsolete=True,
                 ignore_patterns=[".venv/*", "tests/*", "var/*", "build/*", "locale/*"])


def main():
    os.chdir(ROOT)
    makemessages()
    fill(ROOT / "locale/en/LC_MESSAGES/django.po", _english_tables())
    fill(ROOT / "locale/zh_Hans/LC_MESSAGES/django.po", {}, extra_entries=_load("zh_viewflow"))
    subprocess.run([PY, "manage.py", "compilemessages", "-l", "en", "-l", "zh_Hans", "-i", ".venv"], check=True)
    gaps = missing(ROOT / "locale/en/LC_MESSAGES/django.po")
    print(f"English: {len(gaps)} entries untranslated or fuzzy" + (" — add them to a locale/en_*.py table:" if gaps else "."))
    for context, msgid in gaps:
        print(f"  {'[' + context + '] ' if context else ''}{msgid!r}")


if __name__ == "__main__":
    main()
