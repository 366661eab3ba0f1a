"""The JSON report: ruff-shaped objects a script can rely on."""
import json
from pathlib import Path

import pytest

from lambdalint import ruleinfo
from lambdalint.model import Finding, Fix, Severity, Span
from lambdalint.report import ReportOptions, render
from lambdalint.result import RunResult

RULES = (
    ruleinfo.RuleInfo("FF001", "floating-promise", Severity.ERROR, "A promise is not awaited.", ("javascript",)),
) + ruleinfo.INPUT_ERRORS


@pytest.fixture(autouse=True)
def rules(monkeypatch):
    monkeypatch.setattr(ruleinfo, "all_rule_infos", lambda: RULES)


def report(findings, **options):
    out = render(RunResult(findings=findings, root=Path("/project")), "json", ReportOptions(**options))
    assert out.endswith("\n")
    return out


def test_finding_round_trips():
    fix = Fix("Add `await`", [(Span(12, 5, 12, 5), "await ")])
    f = Finding("FF001", "`notify()` is not awaited; handler `api.handler` (src/api.ts:3) returns first",
                Severity.WARNING, "src/api.ts", Span(12, 5, 12, 17), handler="src/api.ts:handler", fix=fix)
    out = report([f])
    assert out.startswith('[\n  {\n    "code": "FF001"')     # indented by 2
    assert json.loads(out) == [{
        "code": "FF001",
        "name": "floating-promise",
        "message": f.message,
        "severity": "warning",
        "filename": "src/api.ts",
        "location": {"row": 12, "column": 5},
        "end_location": {"row": 12, "column": 17},
        "handler": "src/api.ts:handler",
        "fix": {"message": "Add `await`", "edits": [
            {"content": "await ", "location": {"row": 12, "column": 5}, "end_location": {"row": 12, "column": 5}},
        ]},
        "url": "https://github.com/lambdalint/lambdalint/blob/main/rules/FF001-floating-promise.md",
    }]


def test_nulls_for_no_fix_no_handler_and_codes_without_a_page():
    findings = [Finding("E901", "cannot parse: unexpected token", Severity.ERROR, "bad.py", Span(1, 1, 1, 2)),
                Finding("ZZ999", "from a newer registry", Severity.INFO, "x.py", Span(1, 1, 1, 2))]
    first, second = json.loads(report(findings))
    assert (first["name"], first["fix"], first["handler"]) == ("syntax-error", None, None)
    assert first["url"] == ruleinfo.INPUT_ERRORS_URL   # the README's section on bad input
    assert (second["name"], second["url"], second["severity"]) == (None, None, "info")


def test_non_ascii_survives():
    f = Finding("FF001", "`envoyer()` n'est pas attendu — 日本", Severity.ERROR, "src/é.ts", Span(1, 1, 1, 2))
    out = report([f])
    assert out.isascii()
    assert json.loads(out)[0]["message"] == f.message
    assert json.loads(out)[0]["filename"] == "src/é.ts"


def test_empty():
    assert report([]) == "[]\n"


def test_statistics():
    findings = [Finding("E901", "x", Severity.ERROR, "b.py", Span(1, 1, 1, 2))] + [
        Finding("FF001", "m", Severity.ERROR, "a.ts", Span(i, 1, i, 2), fix=Fix("f") if i == 2 else None)
        for i in (1, 2)
    ]
    assert json.loads(report(findings, statistics=True)) == [
        {"code": "FF001", "name": "floating-promise", "count": 2, "fixable": True},
        {"code": "E901", "name": "syntax-error", "count": 1, "fixable": False},
    ]
