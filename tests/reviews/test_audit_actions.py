"""One list of audit codes (``reviews.audit.AuditAction``): every code written anywhere is in it,
and every code has a label in Chinese and in English."""
import ast
from pathlib import Path

import pytest
from django.utils import translation

from reviews import audit
from reviews.audit import AuditAction
from reviews.labels import action_label
from reviews.models import AuditEntry

ROOT = Path(__file__).resolve().parents[2]
SKIP_DIRS = {".venv", "tests", "migrations", "node_modules", ".git"}
#: Functions whose first argument (or ``action=``) is an audit code.
RECORDERS = {"record", "_audit", "set_round_status"}


def _source_files():
    for path in sorted(ROOT.rglob("*.py")):
        if not SKIP_DIRS.intersection(path.relative_to(ROOT).parts):
            yield path


def _strings(node):
    """String constants of an expression (``"a" if ok else "b"`` gives both)."""
    return [n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)]


def codes_in_source():
    """``{code: [where]}`` for every audit code the source writes: literal codes passed to
    ``audit.record`` / ``_audit`` / ``set_round_status(action=)``, and ``AuditAction.NAME`` references
    (as the lower-cased NAME)."""
    found = {}
    for path in _source_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        where = str(path.relative_to(ROOT))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
                if name not in RECORDERS:
                    continue
                args = [node.args[0]] if name != "set_round_status" and node.args else []
                args += [k.value for k in node.keywords if k.arg == "action"]
                for arg in args:
                    for code in _strings(arg):
                        found.setdefault(code, []).append(where)
            elif (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                  and node.value.id == "AuditAction" and node.attr.isupper()):
                found.setdefault(node.attr.lower(), []).append(where)
    return found


def test_every_code_written_in_the_source_is_an_audit_action():
    found = codes_in_source()
    # the scan sees both apps that write the trail (a scan that found nothing would prove nothing)
    assert {"round_opened", "declaration_decided", "evaluation_opened", "disposal_rejected"} <= set(found)
    unknown = {code: where for code, where in found.items() if code not in AuditAction.values}
    assert unknown == {}


def test_member_names_are_the_codes_upper_cased():
    assert all(member.name == member.value.upper() for member in AuditAction)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_action_has_a_label_that_is_not_its_code(language):
    with translation.override(language):
        for member in AuditAction:
            label = str(member.label)
            assert label and label != member.value, member
            assert action_label(member.value) == label


def test_english_labels_are_english():
    with translation.override("zh-hans"):
        chinese = {m: str(m.label) for m in AuditAction}
    with translation.override("en"):
        untranslated = [m.value for m in AuditAction if str(m.label) == chinese[m]]
    assert untranslated == []


def test_the_trail_column_offers_exactly_the_actions():
    assert AuditEntry._meta.get_field("action").choices == AuditAction.choices


def test_record_refuses_a_code_that_is_not_listed(county):
    with pytest.raises(ValueError, match="not_a_code"):
        audit.record("not_a_code", county.east)
    entry = audit.record("round_status", county.east)
    assert entry.action == AuditAction.ROUND_STATUS and entry.get_action_display() == AuditAction.ROUND_STATUS.label
