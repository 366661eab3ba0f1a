"""Bad input and command-line mistakes as a new user makes them: exit code, one clear line, no traceback."""
from __future__ import annotations

import json
import os
import re

import pytest
from click.testing import CliRunner

from lambdalint import ruleinfo
from lambdalint.cli import main

from conftest import write_project

FLOATING_TS = "export const handler = async () => {\n  fetch('https://example.com');\n  return 1;\n};\n"
FLOATING_PY = "import asyncio\n\ndef handler(event, context):\n    asyncio.sleep(1)\n"


@pytest.fixture
def cli(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()

    def invoke(*args, input=None):
        return runner.invoke(main, ["check", "--no-cache", *args], input=input, catch_exceptions=False)
    return invoke


def errors(result) -> list[str]:
    assert "Traceback" not in result.output and "internal error" not in result.output
    return [line for line in result.stderr.splitlines() if line.startswith("lambdalint: error:")]


def warnings(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("lambdalint: warning:")]


def by_file(result) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for f in json.loads(result.stdout):
        found.setdefault(f["filename"], set()).add(f["code"])
    return found


# ------------------------------------------------------------- files that are not regular files

def test_symlink_loop_is_e902_and_the_rest_is_linted(tmp_path, cli):
    write_project(tmp_path, {"ok.ts": FLOATING_TS})
    os.symlink("b.py", tmp_path / "a.py")
    os.symlink("a.py", tmp_path / "b.py")
    for args in ((".",), ("a.py", "ok.ts")):
        result = cli(*args, "--format", "json")
        assert result.exit_code == 1 and errors(result) == []
        found = by_file(result)
        assert found["ok.ts"] == {"FF001"} and found["a.py"] == {"E902"}
    message = next(f["message"] for f in json.loads(cli(".", "--format", "json").stdout) if f["filename"] == "b.py")
    assert "symbolic link loop" in message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_fifo_is_e902_and_never_opened(tmp_path, cli):
    """A named pipe with no writer blocks whoever opens it: it must be reported without being opened."""
    write_project(tmp_path, {"ok.ts": FLOATING_TS})
    os.mkfifo(tmp_path / "pipe.py")
    for args in (("pipe.py", "ok.ts"), (".",)):       # named on the command line, and found by discovery
        result = cli(*args, "--format", "json")
        assert result.exit_code == 1 and errors(result) == []
        assert by_file(result) == {"ok.ts": {"FF001"}, "pipe.py": {"E902"}}
    text = cli("pipe.py").stdout
    assert "pipe.py:1:1: E902 unreadable file: not a regular file (a named pipe)" in text
    os.mkfifo(tmp_path / "fifo")                     # named on purpose, whatever its name: E902, not "skipping"
    result = cli("fifo", "--format", "json")
    assert result.exit_code == 1 and by_file(result) == {"fifo": {"E902"}}


def test_large_file_states_its_size_in_bytes(tmp_path, cli):
    (tmp_path / "big.py").write_bytes(b"#" * 10_485_781 + b"\n")
    result = cli("big.py")
    assert result.exit_code == 1
    assert "E902 unreadable file: file is too large (10,485,782 bytes; the limit is 10,485,760 bytes)" in result.stdout


# ------------------------------------------------------------- Python text and syntax

def test_pep263_latin1_python_is_read_as_python_reads_it(tmp_path, cli):
    source = "# -*- coding: latin-1 -*-\nimport asyncio\n\ndef handler(event, context):\n    asyncio.sleep(1)  # caf\xe9\n"
    (tmp_path / "latin.py").write_bytes(source.encode("latin-1"))
    (tmp_path / "bom.py").write_bytes(b"\xef\xbb\xbf" + FLOATING_PY.encode())
    result = cli(".", "--format", "json")
    assert by_file(result) == {"latin.py": {"FF001"}, "bom.py": {"FF001"}}
    stdin = cli("-", "--stdin-filename", "latin.py", "--format", "json", input=source.encode("latin-1"))
    assert by_file(stdin) == {"latin.py": {"FF001"}}
    (tmp_path / "bad.py").write_bytes(b"# coding: no-such-codec\nx = 1\n")
    [bad] = [f for f in json.loads(cli("bad.py", "--format", "json").stdout)]
    assert bad["code"] == "E902" and "unknown encoding 'no-such-codec'" in bad["message"]


def test_python_syntax_error_reads_like_cpython(tmp_path, cli):
    write_project(tmp_path, {"broken.py": "value = len(\n", "ok.ts": FLOATING_TS})
    result = cli(".")
    assert result.exit_code == 1
    assert "broken.py:1:12: E901 syntax error: '(' was never closed" in result.stdout
    assert "ok.ts:2:3: FF001" in result.stdout


def test_stdin_without_a_filename_asks_for_one(cli):
    result = cli("-", input="x = 1\n")
    assert result.exit_code == 2 and result.stdout == ""
    assert errors(result) == ["lambdalint: error: `-` reads standard input: add --stdin-filename PATH to name "
                              "the file it stands for (its suffix sets the language)"]


# ------------------------------------------------------------- paths and --output

def test_missing_path_is_one_error_and_exit_2(tmp_path, cli):
    write_project(tmp_path, {"ok.ts": "export const handler = async () => 1;\n"})
    for extra in ((), ("--exit-zero",)):
        result = cli("nope.py", *extra)
        assert result.exit_code == 2
        assert errors(result) == ["lambdalint: error: path does not exist: nope.py"]
        assert "All checks passed" not in result.output
    both = cli("nope.py", "ok.ts")
    assert both.exit_code == 2 and "All checks passed" not in both.output
    log = json.loads(cli("nope.py", "ok.ts", "--format", "sarif").stdout)
    [invocation] = log["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False
    assert [(n["level"], n["message"]["text"]) for n in invocation["toolExecutionNotifications"]] == [
        ("error", "path does not exist")]


def test_output_into_a_missing_folder(tmp_path, cli):
    write_project(tmp_path, {"ok.ts": FLOATING_TS})
    result = cli(".", "--output", "reports/out.sarif", "--format", "sarif")
    assert result.exit_code == 2
    assert errors(result) == ["lambdalint: error: cannot write the report to reports/out.sarif: "
                              "the folder reports does not exist"]


def test_output_onto_a_linted_file_is_refused(tmp_path, cli):
    write_project(tmp_path, {"src/ok.ts": FLOATING_TS})
    for args in (("src/ok.ts", "-o", "src/ok.ts"), (".", "-o", "src/ok.ts"), ("src", "-o", "./src/../src/ok.ts")):
        result = cli(*args)
        assert result.exit_code == 2
        assert len(errors(result)) == 1 and "refusing to write the report to" in errors(result)[0]
        assert (tmp_path / "src/ok.ts").read_text() == FLOATING_TS
    assert cli(".", "-o", "report.txt").exit_code == 1 and "FF001" in (tmp_path / "report.txt").read_text()


# ------------------------------------------------------------- rule codes

@pytest.mark.parametrize("args", [("--select", "XX1"), ("--ignore", "FF099"), ("--extend-select", "QQ")])
def test_unknown_code_on_the_command_line(tmp_path, cli, args):
    write_project(tmp_path, {"ok.ts": FLOATING_TS})
    result = cli(".", *args)
    assert result.exit_code == 2 and result.stdout == ""
    [line] = errors(result)
    assert f"unknown rule code '{args[1]}'" in line and args[0] in line


def test_unknown_code_in_config(tmp_path, cli):
    write_project(tmp_path, {"ok.ts": FLOATING_TS, "lambdalint.toml": 'select = ["XX1"]\n'})
    result = cli(".")
    assert result.exit_code == 2
    [line] = errors(result)
    assert "lambdalint.toml: select: unknown rule code 'XX1'" in line
    assert cli(".", "--exit-zero").exit_code == 2          # a configuration error is never "clean"


def test_badly_shaped_code_cites_only_prefixes_that_exist(tmp_path, cli):
    write_project(tmp_path, {"ok.ts": FLOATING_TS})
    result = cli(".", "--select", "FF-001")
    assert result.exit_code == 2
    [line] = errors(result)
    assert "'FF-001'" in line
    cited = set(re.findall(r"\b[A-Z]{1,2}[0-9]{0,3}\b", line.split("'FF-001'")[1]))
    known = ruleinfo.known_ids()
    assert cited and all(any(k.startswith(c) for k in known) for c in cited), cited


def test_reserved_code_warns_once(tmp_path, cli, monkeypatch):
    monkeypatch.setattr(ruleinfo, "SPEC_RULE_IDS", ruleinfo.SPEC_RULE_IDS + ("FF010",))  # a rule still to come
    planned = min(ruleinfo.reserved_ids())
    write_project(tmp_path, {"ok.ts": FLOATING_TS, "lambdalint.toml": f'ignore = ["{planned}"]\n'})
    result = cli(".", "--extend-select", planned)
    assert result.exit_code == 1 and "FF001" in result.stdout      # nothing else changes
    assert warnings(result) == [f"lambdalint: warning: rule code {planned} is reserved for a rule that is not "
                                "built yet; it selects or ignores nothing"]


def test_handler_setting_naming_nothing_warns(tmp_path, cli):
    write_project(tmp_path, {"ok.ts": FLOATING_TS, "lambdalint.toml": 'handlers = ["nope.py:zzz", "ok.handler"]\n'})
    result = cli(".")
    assert result.exit_code == 1
    assert warnings(result) == ["lambdalint: warning: handlers: 'nope.py:zzz' names no function in the project"]


# ------------------------------------------------------------- config files

def test_tool_table_in_lambdalint_toml_is_an_error_that_says_so(tmp_path, cli):
    write_project(tmp_path, {"ok.ts": FLOATING_TS, "lambdalint.toml": '[tool.lambdalint]\nselect = ["FF"]\n'})
    result = cli(".")
    assert result.exit_code == 2
    [line] = errors(result)
    assert "lambdalint.toml takes its settings at the top level" in line and "[tool.lambdalint]" in line


def test_unknown_api_category_names_key_and_category(tmp_path, cli):
    write_project(tmp_path, {"ok.ts": FLOATING_TS,
                             "lambdalint.toml": '[apis]\nprocess_exits = ["mylib.stop"]\n'})
    result = cli(".")
    assert result.exit_code == 2
    [line] = errors(result)
    assert "lambdalint.toml: apis: unknown API category 'process_exits'" in line
    assert "did you mean 'process_exit'?" in line
