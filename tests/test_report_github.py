"""GitHub Actions annotations: one workflow command per finding, escaped."""
from pathlib import Path

import pytest

from lambdalint import ruleinfo
from lambdalint.model import Finding, Notification, Severity, Span
from lambdalint.report import ReportOptions, render
from lambdalint.result import RunResult

RULES = (
    ruleinfo.RuleInfo("FF001", "floating-promise", Severity.ERROR, "A promise is not awaited.", ("javascript",)),
) + ruleinfo.INPUT_ERRORS


@pytest.fixture(autouse=True)
def rules(monkeypatch):
    monkeypatch.setattr(ruleinfo, "all_rule_infos", lambda: RULES)


def annotations(findings, notifications=(), **options):
    result = RunResult(findings=findings, notifications=list(notifications), root=Path("/project"))
    return render(result, "github", ReportOptions(**options)).splitlines()


def test_one_command_per_finding_by_severity():
    findings = [
        Finding("FF001", "`notify()` is not awaited", Severity.ERROR, "src/api.ts", Span(12, 5, 12, 17)),
        Finding("FF001", "maybe lost", Severity.WARNING, "src/api.ts", Span(20, 1, 21, 3)),
        Finding("FF001", "advice", Severity.INFO, "src/api.ts", Span(30, 2, 30, 4)),
    ]
    assert annotations(findings) == [
        "::error file=src/api.ts,line=12,col=5,endLine=12,endColumn=17,title=FF001 floating-promise"
        "::FF001 `notify()` is not awaited",
        "::warning file=src/api.ts,line=20,col=1,endLine=21,endColumn=3,title=FF001 floating-promise::FF001 maybe lost",
        "::notice file=src/api.ts,line=30,col=2,endLine=30,endColumn=4,title=FF001 floating-promise::FF001 advice",
    ]


def test_escaping():
    f = Finding("E901", "cannot parse: 100% broken,\r\nsee line 2", Severity.ERROR, "dir,a:b/x%y.py",
                Span(1, 1, 1, 2))
    (line,) = annotations([f])
    assert line == (
        "::error file=dir%2Ca%3Ab/x%25y.py,line=1,col=1,endLine=1,endColumn=2,title=E901 syntax-error"
        "::E901 cannot parse: 100%25 broken,%0D%0Asee line 2"
    )


def test_unknown_code_uses_the_code_as_title_and_nothing_when_clean():
    f = Finding("ZZ001", "new", Severity.ERROR, "a.py", Span(1, 1, 1, 2))
    assert annotations([f])[0].endswith(",title=ZZ001::ZZ001 new")
    assert render(RunResult(), "github", ReportOptions()) == ""


def test_notifications_only_with_verbose():
    notes = [Notification("src/a.ts", "region not read", Span(3, 1, 4, 2))]
    assert annotations([], notes) == []
    assert annotations([], notes, verbose=True) == [
        "::notice file=src/a.ts,line=3,col=1,endLine=4,endColumn=2,title=lambdalint note::region not read"
    ]
