"""Findings never depend on the order in which files reach the index."""
from __future__ import annotations

import random

import pytest

import lambdalint.engine as engine
from lambdalint.config import Config, load_config
from test_fixtures import CASES


def _findings(case, monkeypatch, order):
    original = engine.discover

    def reordered(paths, config):
        files, warnings = original(paths, config)
        return order(list(files)), warnings

    monkeypatch.setattr(engine, "discover", reordered)
    config = load_config([case]) if (case / "lambdalint.toml").is_file() else Config(root=case)
    result, _ = engine.run([case], config, use_cache=False)
    return [(f.path, f.span, f.code, f.message) for f in result.findings]


def _shuffled(files):
    random.Random(1234).shuffle(files)
    return files


MULTI_FILE = [c for c in CASES if sum(1 for p in c.rglob("*") if p.is_file()) > 1]


@pytest.mark.parametrize("case", MULTI_FILE, ids=[f"{c.parent.name}/{c.name}" for c in MULTI_FILE])
def test_same_findings_in_any_file_order(case, monkeypatch):
    monkeypatch.chdir(case)
    forward = _findings(case, monkeypatch, lambda files: files)
    assert _findings(case, monkeypatch, lambda files: files[::-1]) == forward
    assert _findings(case, monkeypatch, _shuffled) == forward
