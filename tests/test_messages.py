"""Every message a user sees is short: one sentence of what happens, then the handler and the fix."""
from __future__ import annotations

import pytest

from lambdalint.rules.describe import MAX_MESSAGE
from test_fixtures import CASES, lint_case_findings


@pytest.mark.parametrize("case", CASES, ids=[f"{c.parent.name}/{c.name}" for c in CASES])
def test_fixture_messages_are_short(case, monkeypatch):
    monkeypatch.chdir(case)
    for finding in lint_case_findings(case):
        assert len(finding.message) <= MAX_MESSAGE, finding.message
        assert "\n" not in finding.message
        if finding.handler is None:  # no handler known: never speak of "the handler" returning
            assert "returns first" not in finding.message and "the handler returns" not in finding.message
