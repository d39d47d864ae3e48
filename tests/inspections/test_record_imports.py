"""The layering the record relies on: the core's record and council matching never import a
feature app, and the reader imports neither Django nor the apps (it runs in worker processes and
sandboxed children)."""

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def _imported_modules(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


def _files(*patterns):
    return sorted(path for pattern in patterns for path in REPO.glob(pattern))


@pytest.mark.parametrize(
    "path", _files("inspections/record/*.py", "inspections/councils.py"), ids=lambda p: p.relative_to(REPO).as_posix()
)
def test_the_record_and_council_matching_import_no_feature_app(path):
    apps = ("intake", "analysis", "briefings", "maps")
    assert [m for m in _imported_modules(path) if m.split(".")[0] in apps] == []


@pytest.mark.parametrize("path", _files("reportreader/*.py"), ids=lambda p: p.name)
def test_the_reader_imports_neither_django_nor_the_apps(path):
    forbidden = ("django", "inspections", "intake", "analysis", "briefings", "maps")
    assert [m for m in _imported_modules(path) if m.split(".")[0] in forbidden] == []


def test_the_record_package_is_split_by_subject_into_small_modules():
    sizes = {p.name: len(p.read_text(encoding="utf-8").splitlines()) for p in _files("inspections/record/*.py")}
    assert {"build.py", "files.py", "load.py", "read.py", "settle.py"} <= set(sizes)
    assert max(sizes.values()) <= 500
