"""documents sits below the domain apps: it reads their records by duck typing and imports none of them."""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
#: Apps above documents (DOMAIN layering: organisations ← members ← schemes ← ledger ← reviews ← appraisals ← portal).
ABOVE = {"schemes", "ledger", "reviews", "appraisals", "portal", "flows", "workflow", "scoring_engine"}


def _imported_apps(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module.split(".")[0]


def test_documents_imports_no_app_above_it():
    files = sorted((ROOT / "documents").rglob("*.py"))
    assert ROOT / "documents" / "kinds" / "filing_report.py" in files
    offending = {f"{p.relative_to(ROOT)}: {app}" for p in files for app in _imported_apps(p) if app in ABOVE}
    assert not offending, sorted(offending)
