"""The layout of the package: the core on the ground floor, the tools above it, no circles.

These tests read the source (not the running objects), so they fail as soon as a
change breaks the design: a core module importing a tool, an import circle
(imports inside functions and under ``TYPE_CHECKING`` count), a file or a
function grown past what a reader can hold, a method added to ``Net`` from
outside its class, or a method the docs name that the public ``Net`` lacks.
"""

import ast
import pathlib
import re
import subprocess
import sys

import pytest

import neurograph as ng

ROOT = pathlib.Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "neurograph"
MODULES = sorted(PACKAGE.rglob("*.py"))
MAX_FILE_LINES = 600
MAX_FUNCTION_LINES = 80


def module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path):
    """Every neurograph module *path* imports, at any depth of its code."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = module_name(path).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.startswith("neurograph"))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[:len(package) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("neurograph"):
                continue
            for alias in node.names:        # `from . import x` imports the module x
                sub = target + "." + alias.name
                out.add(sub if any(module_name(p) == sub for p in MODULES) else target)
    return out


GRAPH = {module_name(p): imports_of(p) - {module_name(p)} for p in MODULES}


def test_the_core_imports_nothing_outside_itself():
    for name, deps in GRAPH.items():
        if name.startswith("neurograph.core"):
            outside = {d for d in deps if not d.startswith("neurograph.core")}
            assert not outside, "%s imports %s" % (name, sorted(outside))


def test_the_import_graph_has_no_circle():
    """A package's ``__init__`` importing its own modules is its front door, not a circle;
    every other arrow must point down."""
    def deps(name):
        return {d for d in GRAPH.get(name, ()) if d in GRAPH and not (
            name.endswith("__init__") or d.startswith(name + "."))}
    state = {}

    def visit(name, path):
        state[name] = "open"
        for d in deps(name):
            if state.get(d) == "open":
                cycle = path[path.index(d):] + [d]
                pytest.fail("import circle: " + " -> ".join(cycle))
            if d not in state:
                visit(d, path + [d])
        state[name] = "done"
    for name in GRAPH:
        if name not in state:
            visit(name, [name])


def test_files_and_functions_a_reader_can_hold():
    too_long = []
    for path in MODULES:
        text = path.read_text(encoding="utf-8")
        lines = text.count("\n")
        if lines > MAX_FILE_LINES:
            too_long.append("%s: %d lines" % (path.relative_to(ROOT), lines))
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                start = min([node.lineno] + [d.lineno for d in node.decorator_list])
                n = node.end_lineno - start + 1
                if n > MAX_FUNCTION_LINES:
                    too_long.append("%s: %s is %d lines" % (path.relative_to(ROOT),
                                                            node.name, n))
    assert not too_long, "\n".join(too_long)


def test_the_walk_is_short():
    lines = (PACKAGE / "core" / "walk.py").read_text(encoding="utf-8").count("\n")
    assert lines <= 160, lines


def test_nothing_adds_methods_to_classes_from_outside():
    """Tools reach Net through one mixin each; no `Net.x = ...`, no callable modules."""
    for path in MODULES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, (ast.Assign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for t in targets:
                    if isinstance(t, ast.Attribute) and isinstance(t.value, ast.Name) and \
                            t.value.id in ("Net", "Neuron", "Connection", "Parameter"):
                        pytest.fail("%s:%d assigns %s.%s" % (path.relative_to(ROOT), node.lineno,
                                                             t.value.id, t.attr))
        assert "sys.modules[__name__].__class__" not in path.read_text(encoding="utf-8")


def documented_net_methods():
    """Names the docs call on a net: ``net.NAME(`` and ``ng.Net.NAME(``."""
    docs = [ROOT / "README.md"] + sorted((ROOT / "docs").rglob("*.md"))
    names = set()
    for doc in docs:
        text = doc.read_text(encoding="utf-8")
        names.update(re.findall(r"\b(?:net|ng\.Net|Net)\.([a-z][a-z_]*)\(", text))
    return names - {"py"}          # (not net.py(123) in a pdb transcript)


def test_the_public_net_has_every_method_the_docs_name():
    names = documented_net_methods()
    assert len(names) >= 25, sorted(names)
    missing = sorted(n for n in names if not callable(getattr(ng.Net, n, None)))
    assert not missing, missing


def test_every_public_name_is_there():
    for name in ng.__all__:
        assert getattr(ng, name, None) is not None, name
    assert callable(ng.explain) and callable(ng.serve) and callable(ng.load)


def test_importing_neurograph_starts_no_server_machinery():
    code = ("import sys, neurograph; "
            "print(sorted(m for m in ('http.server', 'socketserver') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=str(ROOT), stdout=subprocess.PIPE,
                         universal_newlines=True, check=True).stdout.strip()
    assert out == "[]", out
