"""Shared test helpers: lint a small project written into a temporary folder."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from lambdalint.config import Config, apply_overrides
from lambdalint.engine import run


def write_project(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


def lint(root: Path, files: dict[str, str], **settings):
    """Write `files` under `root`, lint the folder, return the findings (paths relative to root)."""
    write_project(root, files)
    config = Config(root=root)
    overrides = {k: v for k, v in settings.items() if k in ("select", "ignore", "extend_select")}
    config = apply_overrides(config, **overrides)
    for key, value in settings.items():
        if key not in overrides:
            setattr(config, key, value)
    result, problems = run([root], config, use_cache=False)
    assert not problems.internal_errors, problems.internal_errors
    return result.findings


def codes_by_line(findings) -> list[tuple[str, int, str]]:
    """(file name, line, code) triples, sorted: the shape most assertions want."""
    return sorted((Path(f.path).name, f.span.line, f.code) for f in findings)


@pytest.fixture
def project(tmp_path):
    """`project({...files}, **settings)` -> findings."""
    def _lint(files: dict[str, str], **settings):
        return lint(tmp_path, files, **settings)
    return _lint
