"""The text report as a user reads it in a terminal."""
import re
from pathlib import Path

import pytest

from lambdalint import ruleinfo
from lambdalint.model import Finding, Fix, Notification, Severity, Span
from lambdalint.report import ReportOptions, render
from lambdalint.result import RunResult

ANSI = re.compile(r"\x1b\[[0-9;]*m")

RULES = (
    ruleinfo.RuleInfo("FF001", "floating-promise", Severity.ERROR, "A promise is not awaited.", ("javascript",)),
    ruleinfo.RuleInfo("RT001", "process-exit", Severity.WARNING, "The process exits.", ("python",)),
) + ruleinfo.INPUT_ERRORS


@pytest.fixture(autouse=True)
def rules(monkeypatch):
    monkeypatch.setattr(ruleinfo, "all_rule_infos", lambda: RULES)


def finding(line, col, end_col, *, code="FF001", severity=Severity.ERROR, path="src/api.ts",
            message="`notify()` is not awaited", end_line=None, fix=None):
    return Finding(code, message, severity, path, Span(line, col, end_line or line, end_col), fix=fix)


def text(findings, sources=None, notifications=(), **options):
    result = RunResult(findings=list(findings), notifications=list(notifications), files_checked=3,
                       root=Path("/project"), sources=sources or {})
    return render(result, "text", ReportOptions(**options))


def frame_of(output, number):
    """The displayed source line `number` and the caret line under it."""
    lines = output.splitlines()
    i = next(i for i, line in enumerate(lines) if re.match(rf"\s*{number} \| ", line))
    return lines[i], lines[i + 1]


def test_finding_line_shape():
    out = text([finding(2, 3, 15)], {"src/api.ts": "x\n  notify(user);\n"})
    assert out.splitlines()[0] == "src/api.ts:2:3: FF001 `notify()` is not awaited"


def test_caret_underlines_the_span():
    out = text([finding(2, 3, 15)], {"src/api.ts": "x\n  notify(user);\n"})
    assert frame_of(out, 2) == ("2 |   notify(user);", "  |   ^^^^^^^^^^^^")


def test_caret_with_non_ascii_and_tab():
    source = '\tconst s = "héllo"; notify(user);\n'
    col = source.index("notify") + 1                 # character columns, the tab counts as one
    out = text([finding(1, col, col + 12)], {"src/api.ts": source})
    shown, caret = frame_of(out, 1)
    assert shown == '1 |     const s = "héllo"; notify(user);'   # the tab expands to the next stop (4)
    assert caret == "  |                        ^^^^^^^^^^^^"
    assert caret.index("^") == shown.index("notify")


def test_caret_after_wide_characters():
    source = 'msg = "日本"; send(x)\n'
    col = source.index("send") + 1
    out = text([finding(1, col, col + 7)], {"src/api.ts": source})
    shown, caret = frame_of(out, 1)
    # each CJK character takes two terminal cells, so the caret moves two more cells right
    assert caret.index("^") == shown.index("send") + 2
    assert caret.endswith("^^^^^^^")


def test_long_line_is_cut_around_the_span():
    source = "a = [" + "1, " * 150 + "]; notify(x)\n"
    col = source.index("notify") + 1
    out = text([finding(1, col, col + 9)], {"src/api.ts": source})
    shown, caret = frame_of(out, 1)
    assert len(shown) < 120
    assert shown.startswith("1 | ...")
    start = caret.index("^")
    assert shown[start:start + 9] == "notify(x)"
    assert caret[start:] == "^" * 9


def test_long_line_cut_on_both_sides():
    source = "x" * 200 + "notify()" + "y" * 200 + "\n"
    out = text([finding(1, 201, 209)], {"src/api.ts": source})
    shown, caret = frame_of(out, 1)
    assert shown.startswith("1 | ...") and shown.endswith("...")
    assert shown[caret.index("^"):].startswith("notify()")


def test_multiline_span_is_capped():
    source = "run(() => {\n  a();\n  b();\n  c();\n  d();\n});\n"
    out = text([finding(1, 1, 3, end_line=6)], {"src/api.ts": source})
    assert frame_of(out, 1) == ("1 | run(() => {", "  | ^^^^^^^^^^^")  # to the end of the first line
    assert "2 |   a();" in out and "3 |   b();" in out
    assert "4 |" not in out and "  | ..." in out


def test_no_frame_without_source_or_with_show_source_off():
    assert text([finding(1, 1, 2)]) == (
        "src/api.ts:1:1: FF001 `notify()` is not awaited\n\nFound 1 error in 1 file (3 files checked).\n"
    )
    out = text([finding(1, 1, 2), finding(2, 1, 2)], {"src/api.ts": "a\nb\n"}, show_source=False)
    assert out.splitlines() == [
        "src/api.ts:1:1: FF001 `notify()` is not awaited",
        "src/api.ts:2:1: FF001 `notify()` is not awaited",
        "Found 2 errors in 1 file (3 files checked).",
    ]


def test_fix_message_is_shown_as_help():
    fix = Fix("Add `await`", [(Span(1, 1, 1, 1), "await ")])
    out = text([finding(1, 1, 9, fix=fix)], {"src/api.ts": "notify()\n"})
    assert "  = help: Add `await`" in out


def test_no_ansi_without_color_even_from_the_source():
    source = "notify(); // \x1b[31mred\x1b[0m \u202e\n"
    out = text([finding(1, 1, 9)], {"src/api.ts": source}, color=False, verbose=True,
               notifications=[Notification("src/api.ts", "unread region", Span(1, 1, 1, 2))])
    assert "\x1b" not in out and "\u202e" not in out
    assert "\u241b[31mred" in out     # shown as the visible ESC symbol


def test_color_adds_ansi_and_nothing_else():
    args = ([finding(1, 1, 9), finding(2, 1, 2, severity=Severity.WARNING, code="RT001")],
            {"src/api.ts": "notify()\nx\n"})
    plain = text(*args)
    colored = text(*args, color=True)
    assert "\x1b[" in colored
    assert "\x1b[1;31mFF001\x1b[0m" in colored and "\x1b[1;33mRT001\x1b[0m" in colored
    assert ANSI.sub("", colored) == plain


@pytest.mark.parametrize("severities, files, summary", [
    ([Severity.ERROR], 1, "Found 1 error in 1 file (3 files checked)."),
    ([Severity.ERROR] * 3, 2, "Found 3 errors in 2 files (3 files checked)."),
    ([Severity.WARNING] * 2, 1, "Found 2 warnings in 1 file (3 files checked)."),
    ([Severity.ERROR, Severity.ERROR, Severity.WARNING], 2, "Found 3 problems (2 errors, 1 warning) in 2 files (3 files checked)."),
    ([Severity.INFO], 1, "Found 1 problem (1 info) in 1 file (3 files checked)."),
    ([Severity.ERROR, Severity.WARNING, Severity.WARNING, Severity.INFO, Severity.INFO], 1,
     "Found 5 problems (1 error, 2 warnings, 2 info) in 1 file (3 files checked)."),
])
def test_summary_pluralisation(severities, files, summary):
    findings = [finding(i + 1, 1, 2, severity=s, path=f"f{i % files}.py") for i, s in enumerate(severities)]
    assert text(findings).splitlines()[-1] == summary


def test_all_checks_passed():
    assert text([]) == "All checks passed!\n"


def test_summary_counts_files_checked_and_never_claims_success_for_an_incomplete_run():
    one = RunResult(findings=[finding(1, 1, 2)], files_checked=27, root=Path("/project"))
    assert render(one, "text", ReportOptions()).splitlines()[-1] == "Found 1 error in 1 file (27 files checked)."
    incomplete = RunResult(files_checked=2, root=Path("/project"), execution_successful=False)
    assert render(incomplete, "text", ReportOptions()) == ""


def test_quiet_prints_only_finding_lines():
    findings = [finding(1, 1, 9), finding(2, 1, 2, code="RT001", severity=Severity.WARNING)]
    out = text(findings, {"src/api.ts": "notify()\nx\n"}, quiet=True,
               notifications=[Notification("src/api.ts", "unread region")])
    assert out == ("src/api.ts:1:1: FF001 `notify()` is not awaited\n"
                   "src/api.ts:2:1: RT001 `notify()` is not awaited\n")
    assert text([], quiet=True) == ""


def test_notifications_only_with_verbose():
    notes = [Notification("src/api.ts", "region not read by the grammar", Span(3, 5, 3, 9)),
             Notification("other.ts", "file-wide note")]
    out = text([finding(1, 1, 2), finding(4, 1, 2)], {"src/api.ts": "a\nb\nc\nd\n"}, notifications=notes)
    assert "note:" not in out
    assert "2 notes not shown; use --verbose to see them." in out

    out = text([finding(1, 1, 2), finding(4, 1, 2)], {"src/api.ts": "a\nb\nc\nd\n"}, notifications=notes,
               verbose=True)
    lines = out.splitlines()
    assert "src/api.ts:3:5: note: region not read by the grammar" in lines
    assert "other.ts: note: file-wide note" in lines
    assert "not shown" not in out
    # merged in file order: between the findings on lines 1 and 4
    assert lines.index("src/api.ts:3:5: note: region not read by the grammar") < lines.index(
        "src/api.ts:4:1: FF001 `notify()` is not awaited")


def test_statistics_table():
    fix = Fix("Add `await`", [])
    findings = [finding(1, 1, 2), finding(2, 1, 2, fix=fix), finding(3, 1, 2),
                finding(4, 1, 2, code="RT001", severity=Severity.WARNING),
                finding(5, 1, 2, code="E901", path="bad.py")]
    out = text(findings, {"src/api.ts": "a\nb\nc\nd\ne\n"}, statistics=True)
    assert out.splitlines() == [
        "3  FF001  [*] floating-promise",
        "1  E901   [ ] syntax-error",
        "1  RT001  [ ] process-exit",
        "Found 5 problems (4 errors, 1 warning) in 2 files (3 files checked).",
    ]
    assert text(findings, statistics=True, quiet=True).splitlines()[-1] == "1  RT001  [ ] process-exit"


def test_unknown_format_is_an_error():
    with pytest.raises(ValueError, match="text, json, sarif, github"):
        render(RunResult(), "xml", ReportOptions())
