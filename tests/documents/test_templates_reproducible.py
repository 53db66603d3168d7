"""The committed templates are exactly what build_templates.py produces (nobody hand-edited them)."""
import importlib.util
import io
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _parts(data):
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist() if n.endswith(".xml") and "core.xml" not in n}


def test_committed_templates_match_the_build_script(tmp_path):
    spec = importlib.util.spec_from_file_location("build_templates", ROOT / "templates_docx" / "build_templates.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    written = module.build_all(tmp_path)
    assert len(written) == len(module.BUILDERS)
    from documents.kinds import KINDS

    assert set(module.BUILDERS) == set(KINDS)
    for path in written:
        committed = (ROOT / "templates_docx" / path.name).read_bytes()
        assert _parts(path.read_bytes()) == _parts(committed), f"{path.name}: rebuild with templates_docx/build_templates.py"
