"""Architecture rules, read from the source with ``ast`` (nothing is imported).

* The apps' import graph has no cycle (issue 9: organisations ← members ← schemes ← ledger ←
  reviews ← appraisals ← portal and api (beside portal: nothing imports either), with workdays, documents and workflow below the domain apps).
  An app is a top-level package of the repository (a folder with ``__init__.py``) other than
  tests, benchmarks, docs, deploy and locale. Every import statement counts: module level or
  inside a function, ``import x`` or ``from x import y``. Relative imports stay inside their
  app; migrations are left out.
* ``scoring_engine`` is pure Python: it imports neither Django nor any Django app.
* No Python module outside migrations is longer than 500 lines.
"""
import ast
import os
from collections import defaultdict
from itertools import pairwise
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOT_APPS = frozenset({"tests", "benchmarks", "docs", "deploy", "locale"})
#: Folders never searched for Python modules (virtualenvs, caches, build output, generated files).
SKIPPED_DIRS = frozenset({"migrations", "__pycache__", "node_modules", "build", "dist", "var", "test-output"})
MAX_LINES = 500


# -- reading the tree ----------------------------------------------------------------------------

def find_apps(root):
    """Names of the top-level packages of ``root`` that are apps, sorted."""
    return sorted(d.name for d in root.iterdir()
                  if d.is_dir() and (d / "__init__.py").is_file() and d.name not in NOT_APPS)


def python_modules(directory):
    """Every ``.py`` file under ``directory``, sorted; never enters migrations, hidden folders, ``SKIPPED_DIRS``."""
    found = []
    for folder, subfolders, files in os.walk(directory):
        subfolders[:] = [d for d in subfolders
                         if d not in SKIPPED_DIRS and not d.startswith(".") and not d.endswith(".egg-info")]
        found += [Path(folder) / name for name in files if name.endswith(".py")]
    return sorted(found)


def absolute_imports(source, filename="<source>"):
    """``(module, line)`` for every absolute import in ``source``, at any depth; relative ones are skipped.

    ``import a.b`` gives ``a.b``; ``from a.b import c`` gives ``a.b``.
    """
    for node in ast.walk(ast.parse(source, filename=filename)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module, node.lineno


def app_import_graph(root):
    """``{app: {imported app: [(file, line, module), ...]}}`` over the apps of ``root``."""
    apps = find_apps(root)
    graph = {app: defaultdict(list) for app in apps}
    for app in apps:
        for path in python_modules(root / app):
            for module, line in absolute_imports(path.read_text(encoding="utf-8"), str(path)):
                target = module.split(".")[0]
                if target in graph and target != app:
                    graph[app][target].append((path.relative_to(root).as_posix(), line, module))
    return {app: {target: sorted(places) for target, places in edges.items()} for app, edges in graph.items()}


# -- cycles ---------------------------------------------------------------------------------------

def tangles(graph):
    """The strongly connected components with more than one app (each one holds a cycle), sorted."""
    index, low, on_stack, stack, found = {}, {}, set(), [], []

    def visit(node):  # Tarjan; the graph has a few dozen nodes at most
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for succ in graph.get(node, ()):
            if succ not in index:
                visit(succ)
                low[node] = min(low[node], low[succ])
            elif succ in on_stack:
                low[node] = min(low[node], index[succ])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def shortest_cycle(graph, start, within):
    """The shortest ``[start, …, start]`` path through apps of ``within`` (breadth first)."""
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for succ in sorted(graph.get(node, ())):
            if succ == start:
                return paths[node] + [start]
            if succ in within and succ not in paths:
                paths[succ] = paths[node] + [succ]
                queue.append(succ)
    return None


def cycle_report(graph):
    """A readable account of every cycle in ``graph``, or ``""`` when there is none."""
    lines = []
    for component in tangles(graph):
        members = set(component)
        cycle = shortest_cycle(graph, component[0], members)
        lines.append(f"import cycle: {' -> '.join(cycle)}")
        for source, target in pairwise(cycle):
            file, line, module = graph[source][target][0]
            more = len(graph[source][target]) - 1
            lines.append(f"    {source} -> {target}: {file}:{line} imports {module}"
                         + (f" (and {more} more)" if more else ""))
        edges = sorted((s, t) for s in component for t in graph[s] if t in members)
        lines.append(f"  apps caught in this cycle: {', '.join(component)}; the imports between them "
                     f"(cut enough of these to break it):")
        for source, target in edges:
            places = graph[source][target]
            shown = ", ".join(f"{file}:{line}" for file, line, _module in places[:3])
            lines.append(f"    {source} -> {target}: {len(places)} import(s), e.g. {shown}")
    return "\n".join(lines)


def impure_imports(root, app):
    """``["file:line imports module"]`` for each import of Django, viewflow or another app by ``app``."""
    forbidden = {"django", "viewflow"} | (set(find_apps(root)) - {app})
    return [f"{path.relative_to(root).as_posix()}:{line} imports {module}"
            for path in python_modules(root / app)
            for module, line in absolute_imports(path.read_text(encoding="utf-8"), str(path))
            if module.split(".")[0] in forbidden]


# -- long modules ---------------------------------------------------------------------------------

def long_modules(root, limit=MAX_LINES):
    """``[(path, lines)]`` of the modules of ``root`` over ``limit`` lines, longest first."""
    found = []
    for path in python_modules(root):
        count = len(path.read_text(encoding="utf-8").splitlines())
        if count > limit:
            found.append((path.relative_to(root).as_posix(), count))
    return sorted(found, key=lambda item: (-item[1], item[0]))


# -- the rules on this repository -----------------------------------------------------------------

def test_the_apps_import_each_other_without_a_cycle():
    graph = app_import_graph(ROOT)
    assert {"organisations", "members", "reviews", "scoring_engine"} <= set(graph), sorted(graph)
    report = cycle_report(graph)
    if report:
        pytest.fail("the apps must form an acyclic import graph (issue 9):\n" + report, pytrace=False)


def test_scoring_engine_imports_neither_django_nor_a_django_app():
    offenders = impure_imports(ROOT, "scoring_engine")
    if offenders:
        pytest.fail("scoring_engine must stay pure Python:\n" + "\n".join(offenders), pytrace=False)


def test_no_module_outside_migrations_is_over_500_lines():
    offenders = long_modules(ROOT)
    if offenders:
        pytest.fail(f"modules over {MAX_LINES} lines outside migrations (split them by subject):\n" + "\n".join(
            f"    {path}: {count} lines" for path, count in offenders), pytrace=False)


# -- the checks themselves, on small trees ----------------------------------------------------------

def write_tree(root, files):
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


PACKAGES = {"alpha/__init__.py": "", "beta/__init__.py": "", "gamma/__init__.py": "", "notes/readme.py": ""}
ACYCLIC = {
    "alpha/views.py": "import os\nimport beta.models\nfrom gamma import utils\nfrom . import local\n",
    "beta/models.py": "from gamma.utils import helper\nfrom .sibling import thing\n",
    "beta/migrations/0001_initial.py": "import alpha.views\n",  # migrations do not count
    "tests/__init__.py": "",
    "tests/test_alpha.py": "import alpha\n",  # nor does the test package
    "gamma/utils.py": "import django\nimport notes.readme\n",  # notes/ has no __init__: not an app
}
LOCAL_IMPORT_CYCLE = {
    **ACYCLIC,
    "gamma/late.py": "def later():\n    if True:\n        from alpha.views import page\n    return page\n",
}
IMPORT_AS_CYCLE = {**ACYCLIC, "gamma/late.py": "import alpha.views as views\n"}


@pytest.mark.parametrize("files, cycle", [
    (ACYCLIC, None),
    (LOCAL_IMPORT_CYCLE, "import cycle: alpha -> gamma -> alpha"),
    (IMPORT_AS_CYCLE, "import cycle: alpha -> gamma -> alpha"),
], ids=["acyclic", "function-local-from-import", "import-as"])
def test_the_graph_builder_on_a_small_tree(tmp_path, files, cycle):
    write_tree(tmp_path, {**PACKAGES, **files})
    graph = app_import_graph(tmp_path)
    assert set(graph) == {"alpha", "beta", "gamma"}
    assert {app: sorted(edges) for app, edges in graph.items()} == {
        "alpha": ["beta", "gamma"], "beta": ["gamma"], "gamma": ["alpha"] if cycle else []}
    assert graph["alpha"]["beta"] == [("alpha/views.py", 2, "beta.models")]
    report = cycle_report(graph)
    if cycle is None:
        assert report == ""
    else:
        assert report.splitlines()[0] == cycle
        assert "    gamma -> alpha: gamma/late.py:" in report
        assert "apps caught in this cycle: alpha, beta, gamma;" in report


def test_the_cycle_report_names_the_shortest_cycle_and_every_tangled_import():
    graph = {"a": {"b": [("a/x.py", 3, "b.y")]}, "b": {"c": [("b/y.py", 1, "c")], "a": [("b/z.py", 9, "a.x")]},
             "c": {"a": [("c/q.py", 4, "a")]}, "d": {"a": [("d/m.py", 1, "a")]}}
    assert tangles(graph) == [["a", "b", "c"]]
    report = cycle_report(graph).splitlines()
    assert report[:3] == ["import cycle: a -> b -> a",
                          "    a -> b: a/x.py:3 imports b.y",
                          "    b -> a: b/z.py:9 imports a.x"]
    assert "    c -> a: 1 import(s), e.g. c/q.py:4" in report
    assert not any(line.startswith("    d ->") for line in report)


def test_the_purity_check_on_a_small_tree(tmp_path):
    write_tree(tmp_path, {
        "engine/__init__.py": "from decimal import Decimal\nfrom .rules import apply\n",
        "engine/rules.py": "import tomllib\n\ndef apply():\n    from django.conf import settings\n",
        "engine/more.py": "import alpha.models\nimport viewflow\n",
        "alpha/__init__.py": "import engine\nfrom django.db import models\n",
    })
    assert impure_imports(tmp_path, "engine") == [
        "engine/more.py:1 imports alpha.models", "engine/more.py:2 imports viewflow",
        "engine/rules.py:4 imports django.conf"]


def test_the_line_count_check_on_a_small_tree(tmp_path):
    write_tree(tmp_path, {
        "app/__init__.py": "",
        "app/short.py": "x = 1\n" * 500,
        "app/long.py": "x = 1\n" * 501,
        "app/migrations/0001_initial.py": "x = 1\n" * 900,
        "tools/script.py": "x = 1\n" * 600,
        ".venv/lib/site.py": "x = 1\n" * 900,
    })
    assert long_modules(tmp_path) == [("tools/script.py", 600), ("app/long.py", 501)]

