"""The fixture corpus: small Lambda projects whose expected findings are written in the source.

Each folder `tests/fixtures/<RULE>/<case>/` is one small project (and an
optional `lambdalint.toml`). A finding is expected where a line carries a
trailing `// expect: FF001` or `# expect: FF001, FF002` comment; every other
line must stay silent.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from lambdalint.config import Config, load_config
from lambdalint.engine import run

FIXTURES = Path(__file__).parent / "fixtures"
SOURCE_SUFFIXES = {".py", ".js", ".cjs", ".mjs", ".jsx", ".ts", ".cts", ".mts", ".tsx"}
MARKED_SUFFIXES = SOURCE_SUFFIXES | {".yaml", ".yml"}  # templates carry markers too (RT004, RT005)
MARKER = re.compile(r"(?:#|//)\s*expect:\s*([A-Z]+\d+(?:\s*,\s*[A-Z]+\d+)*)")

CASES = sorted(
    case for case in FIXTURES.glob("*/*")
    if case.is_dir()
)


def expected_findings(case: Path) -> set[tuple[str, int, str]]:
    expected = set()
    for path in sorted(case.rglob("*")):
        if path.suffix not in MARKED_SUFFIXES:
            continue
        rel = path.relative_to(case).as_posix()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            match = MARKER.search(line)
            if match:
                expected |= {(rel, number, code.strip()) for code in match[1].split(",")}
    return expected


def lint_case_findings(case: Path):
    # Only a config file inside the case folder counts: the corpus must not depend on where it lives.
    config = load_config([case]) if (case / "lambdalint.toml").is_file() else Config(root=case)
    result, problems = run([case], config, use_cache=False)
    assert not problems.internal_errors, problems.internal_errors
    assert not problems.warnings, problems.warnings
    return result.findings


def lint_case(case: Path) -> set[tuple[str, int, str]]:
    return {(Path(f.path).as_posix(), f.span.line, f.code) for f in lint_case_findings(case)}


@pytest.mark.parametrize("case", CASES, ids=[f"{c.parent.name}/{c.name}" for c in CASES])
def test_fixture(case: Path, monkeypatch):
    # Run from inside the case, so finding paths are relative to it (and no `tests/`
    # folder above it makes every fixture look like a test file).
    monkeypatch.chdir(case)
    assert lint_case(case) == expected_findings(case)


def test_corpus_is_well_formed():
    assert len(CASES) >= 40
    assert all(any(p.suffix in SOURCE_SUFFIXES for p in case.rglob("*")) for case in CASES)
    # pytest would collect these as real tests (and a conftest.py would shadow tests/conftest.py).
    collected = [p for p in FIXTURES.rglob("*.py") if p.name.startswith("test_") or p.name.endswith("_test.py")
                 or p.name == "conftest.py"]
    assert not collected, collected
