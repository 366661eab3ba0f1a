"""The benchmark's generated monorepo: the same tree for the same seed, and lambdalint finds exactly the planted bugs."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from lambdalint.config import Config
from lambdalint.engine import run
from lambdalint.project import is_project_test_file

_GENERATOR = Path(__file__).resolve().parents[1] / "benchmarks" / "generate.py"


@pytest.fixture(scope="module")
def generate():
    spec = importlib.util.spec_from_file_location("benchmark_generate", _GENERATOR)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    return module


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_the_same_seed_writes_the_same_tree(generate, tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    generate.write(generate.generate(2500, seed=3), first)
    generate.write(generate.generate(2500, seed=3), second)
    assert _tree(first) == _tree(second)
    assert _tree(first) != {}
    other = generate.generate(2500, seed=4)
    assert other.files != generate.generate(2500, seed=3).files


def test_the_tree_has_every_kind_of_file(generate):
    manifest = generate.generate(4000)
    suffixes = {Path(p).suffix for p in manifest.files}
    assert {".py", ".js", ".ts", ".tsx", ".yaml"} <= suffixes
    assert any("withDurableExecution" in t for t in manifest.files.values())
    assert any("@durable_execution" in t for t in manifest.files.values())
    assert any("@OnEvent(" in t for t in manifest.files.values())
    assert 3600 <= manifest.lines <= 6000


def test_lambdalint_finds_exactly_the_planted_bugs(generate, tmp_path):
    manifest = generate.generate(6000)
    generate.write(manifest, tmp_path)
    planted = set(manifest.bugs)
    assert {code for _, _, code in planted} == set(generate.PLANTED_CODES)
    # Test files are indexed but not reported (SPEC §1): a bug planted in one is not expected.
    planted = {bug for bug in planted if not is_project_test_file(str(tmp_path / bug[0]), tmp_path)}
    result, problems = run([tmp_path], Config(root=tmp_path), use_cache=False)
    assert not problems.internal_errors
    found = {(Path(f.path).relative_to(tmp_path).as_posix(), f.span.line, f.code)
             for f in result.findings if f.code in generate.PLANTED_CODES}
    assert found == planted


def test_findings_are_the_same_checked_in_one_process_or_several(generate, tmp_path, monkeypatch):
    from lambdalint import checking

    monkeypatch.setattr(checking, "PARALLEL_FILES", 64)   # shared out from a few hundred files on, here
    generate.write(generate.generate(12000, seed=5), tmp_path)
    one, _ = run([tmp_path], Config(root=tmp_path), use_cache=False, jobs=1)
    several, problems = run([tmp_path], Config(root=tmp_path), use_cache=False, jobs=2)
    assert one.files_checked >= checking.PARALLEL_FILES   # large enough to be shared out
    assert not problems.internal_errors and one.findings
    assert several.findings == one.findings and several.notifications == one.notifications
