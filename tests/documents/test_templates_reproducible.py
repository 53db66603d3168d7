"""The committed templates are exactly what ``manage.py build_templates`` produces (nobody hand-edited them)."""
import io
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from documents.kinds import KINDS, TEMPLATE_BUILDERS

ROOT = Path(__file__).resolve().parents[2]


def _parts(data):
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist() if n.endswith(".xml") and "core.xml" not in n}


def test_committed_templates_match_the_builders(tmp_path):
    out, built = io.StringIO(), tmp_path / "built"
    call_command("build_templates", "--out", str(built), stdout=out)
    written = sorted(built.iterdir())
    assert set(TEMPLATE_BUILDERS) == set(KINDS)
    assert {p.name for p in written} == {k.template for k in KINDS.values()}
    assert len(out.getvalue().splitlines()) == len(KINDS)
    for path in written:
        committed = (ROOT / "templates_docx" / path.name).read_bytes()
        assert _parts(path.read_bytes()) == _parts(committed), f"{path.name}: rebuild with manage.py build_templates"
    assert sorted(p.name for p in (ROOT / "templates_docx").iterdir()) == [p.name for p in written], (
        "templates_docx/ holds only the generated .docx files"
    )


def test_rebuilding_gives_the_same_bytes(tmp_path):
    call_command("build_templates", "result_notice", "--out", str(tmp_path / "a"), stdout=io.StringIO())
    call_command("build_templates", "result_notice", "--out", str(tmp_path / "b"), stdout=io.StringIO())
    assert [p.name for p in (tmp_path / "a").iterdir()] == ["result_notice.docx"]
    assert (tmp_path / "a" / "result_notice.docx").read_bytes() == (tmp_path / "b" / "result_notice.docx").read_bytes()


def test_unknown_kind_is_refused(tmp_path):
    with pytest.raises(CommandError, match="no_such_kind"):
        call_command("build_templates", "no_such_kind", "--out", str(tmp_path / "built"), stdout=io.StringIO())
    assert not (tmp_path / "built").exists()
