"""The command line as a user meets it: exit codes, formats, stdin, config errors, bad input."""
from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from lambdalint import __version__
from lambdalint.cli import main

from conftest import write_project

FLOATING_TS = "export const handler = async () => {\n  fetch('https://example.com');\n  return 1;\n};\n"


@pytest.fixture
def cli(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)
    runner = CliRunner()

    def invoke(*args, input=None):
        return runner.invoke(main, ["check", "--no-cache", *args], input=input, catch_exceptions=False)
    return invoke


def test_exit_codes_and_text_output(tmp_path, cli):
    write_project(tmp_path, {"bad.ts": FLOATING_TS, "good.ts": "export const handler = async () => 1;\n"})
    result = cli(".")
    assert result.exit_code == 1
    assert "bad.ts:2:3: FF001 " in result.output
    assert "\x1b[" not in result.output  # not a terminal: no colour
    assert "Found 1 error" in result.output
    assert cli("good.ts").exit_code == 0
    assert cli(".", "--exit-zero").exit_code == 0


def test_json_output_shape(tmp_path, cli):
    write_project(tmp_path, {"bad.ts": FLOATING_TS})
    result = cli(".", "--format", "json")
    [finding] = json.loads(result.output)
    assert finding["code"] == "FF001"
    assert finding["filename"] == "bad.ts"
    assert finding["location"] == {"row": 2, "column": 3}
    assert finding["end_location"]["row"] == 2
    assert finding["severity"] == "error"
    assert finding["handler"] == "bad.handler"
    assert finding["fix"] is None
    assert finding["url"].endswith("FF001-unawaited-async-call.md")


def test_github_output(tmp_path, cli):
    write_project(tmp_path, {"bad.ts": FLOATING_TS})
    result = cli(".", "--format", "github")
    assert result.output.startswith("::error file=bad.ts,line=2,col=3,")


def test_output_file(tmp_path, cli):
    write_project(tmp_path, {"bad.ts": FLOATING_TS})
    result = cli(".", "--format", "json", "--output", "report.json")
    assert result.exit_code == 1 and result.output == ""
    assert json.loads((tmp_path / "report.json").read_text())[0]["code"] == "FF001"


def test_stdin_with_filename(tmp_path, cli):
    result = cli("-", "--stdin-filename", "src/handler.ts", input=FLOATING_TS)
    assert result.exit_code == 1
    assert "src/handler.ts:2:3: FF001" in result.output
    clean = cli("-", "--stdin-filename", "x.py", input="def handler(event, context):\n    return 1\n")
    assert clean.exit_code == 0


def test_select_and_ignore_flags(tmp_path, cli):
    write_project(tmp_path, {"bad.ts": FLOATING_TS})
    assert cli(".", "--ignore", "FF").exit_code == 0
    assert cli(".", "--select", "FF002").exit_code == 0
    assert cli(".", "--select", "FF001").exit_code == 1


def test_statistics(tmp_path, cli):
    write_project(tmp_path, {"bad.ts": FLOATING_TS})
    result = cli(".", "--statistics")
    assert "FF001" in result.output and "unawaited-async-call" in result.output


def test_config_error_names_the_key(tmp_path, cli):
    write_project(tmp_path, {"bad.ts": FLOATING_TS, "lambdalint.toml": "selct = ['FF']\n"})
    result = cli(".")
    assert result.exit_code == 2
    assert "selct" in result.output and "select" in result.output
    assert "Traceback" not in result.output


def test_config_is_applied(tmp_path, cli):
    write_project(tmp_path, {
        "bad.ts": "export const handler = async () => {\n  void fetch('x');\n  return 1;\n};\n",
        "pyproject.toml": "[tool.lambdalint]\nallow-void = true\n",
    })
    assert cli(".").exit_code == 0


def test_missing_path_is_a_usage_error(tmp_path, cli):
    result = cli("does-not-exist")
    assert result.exit_code == 2
    assert "does-not-exist" in result.output


def test_bad_input_is_reported_and_the_rest_is_linted(tmp_path, cli):
    write_project(tmp_path, {
        "good.py": "async def go():\n    ...\n\ndef lambda_handler(event, context):\n    go()\n",
        "broken.py": "def lambda_handler(event, context:\n    return 1\n",
        "broken.js": "exports.handler = async () => {\n  fetch('a');\n  const x = {;\n};\n",
        "lagging.ts": ("export const handler = async () => {\n  fetch('a');\n"
                       "  const m = await load<typeof import('x')>();\n  return m;\n};\n"),
    })
    (tmp_path / "latin1.py").write_bytes(b"name = '\xe9t\xe9'\n")
    (tmp_path / "binary.ts").write_bytes(b"\x00\x01\x02binary")
    result = cli(".", "--format", "json", "--verbose")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    found = {(f["filename"], f["code"]) for f in json.loads(result.output)}
    assert found == {
        ("good.py", "FF001"),
        ("broken.py", "E901"),
        ("latin1.py", "E902"),
        ("binary.ts", "E902"),
        ("broken.js", "E901"),  # plainly broken: a syntax error, not a guess at its intact part
        ("lagging.ts", "FF001"),  # a small island the grammar lags behind: the rest is still analysed
    }
    text = cli(".", "--verbose").output
    assert "lagging.ts" in text and "could not be parsed" in text  # the unreadable region is a note


def test_unreadable_file_permissions(tmp_path, cli, monkeypatch):
    """A file the OS refuses to read (simulated: tests may run as root, which reads anything)."""
    write_project(tmp_path, {"secret.py": "x = 1\n", "other.ts": FLOATING_TS})
    real_open = os.open

    def refuse(path, *args, **kwargs):
        if os.path.basename(path) == "secret.py":
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    result = cli(".", "--format", "json")
    found = {(f["filename"], f["code"], f["message"]) for f in json.loads(result.output)}
    assert ("secret.py", "E902", "unreadable file: cannot read file: Permission denied") in found
    assert any(code == "FF001" for _, code, _ in found)


def test_version_rules_and_explain():
    runner = CliRunner()
    assert __version__ in runner.invoke(main, ["--version"]).output
    table = runner.invoke(main, ["rules"]).output
    for code in ("FF001", "FF002", "FF003", "FF005", "E901", "E902"):
        assert code in table
    page = runner.invoke(main, ["explain", "ff003"])
    assert page.exit_code == 0 and "## Why" in page.output
    unknown = runner.invoke(main, ["explain", "XX999"])
    assert unknown.exit_code == 2 and "unknown rule" in unknown.output


def test_lints_are_read_only(tmp_path, cli):
    write_project(tmp_path, {"bad.ts": FLOATING_TS})
    before = (tmp_path / "bad.ts").stat()
    cli(".")
    after = (tmp_path / "bad.ts").stat()
    assert (before.st_mtime_ns, before.st_size) == (after.st_mtime_ns, after.st_size)
    assert stat.S_IMODE(before.st_mode) == stat.S_IMODE(after.st_mode)


def test_parallel_run_matches_serial(tmp_path, cli):
    """Enough files to use worker processes: the same findings as one process, and the cache gives them again."""
    files = {f"svc{i}/handler.ts": FLOATING_TS for i in range(30)}
    files["svc0/bad.py"] = "async def go():\n    ...\n\ndef handler(event, context):\n    go()\n"
    write_project(tmp_path, files)
    serial = json.loads(cli(".", "--format", "json", "--jobs", "1").output)
    parallel = json.loads(cli(".", "--format", "json", "--jobs", "2").output)
    assert len(serial) == 31 and serial == parallel
    runner = CliRunner()
    cached_first = runner.invoke(main, ["check", "--format", "json", "."], catch_exceptions=False).output
    cached_again = runner.invoke(main, ["check", "--format", "json", "."], catch_exceptions=False).output
    assert json.loads(cached_first) == json.loads(cached_again) == serial
    assert (tmp_path / ".lambdalint_cache").is_dir()


def test_stdin_that_is_not_text(cli):
    result = cli("-", "--stdin-filename", "x.py", input=b"\xff\xfebad")
    assert result.exit_code == 2
    assert "not valid UTF-8" in result.output and "Traceback" not in result.output


def _sarif_targets(log) -> list[Path]:
    """Each result's file as code scanning finds it: %SRCROOT% joined with the artifact URI."""
    from urllib.parse import unquote, urlparse

    run = log["runs"][0]
    base = Path(unquote(urlparse(run["originalUriBaseIds"]["%SRCROOT%"]["uri"]).path))
    targets = []
    for r in run["results"]:
        artifact = r["locations"][0]["physicalLocation"]["artifactLocation"]
        assert artifact["uriBaseId"] == "%SRCROOT%"
        targets.append(base / unquote(artifact["uri"]))
    return targets


@pytest.mark.parametrize("vcs", [False, True])
def test_sarif_paths_name_the_real_file_from_any_folder(tmp_path, monkeypatch, vcs):
    write_project(tmp_path, {"proj/lambdalint.toml": 'select = ["FF"]\n', "proj/orders_js/index.js": FLOATING_TS})
    if vcs:
        (tmp_path / ".git").mkdir()
    real = (tmp_path / "proj" / "orders_js" / "index.js").resolve()
    runner = CliRunner()
    fingerprints = set()
    for cwd, target in ((tmp_path, "proj"), (tmp_path / "proj" / "orders_js", "."), (tmp_path / "proj", "orders_js")):
        monkeypatch.chdir(cwd)
        result = runner.invoke(main, ["check", "--no-cache", "--format", "sarif", target])
        assert result.exit_code == 1, result.output
        log = json.loads(result.stdout)
        assert [p.resolve() for p in _sarif_targets(log)] == [real]
        expected_uri = "proj/orders_js/index.js" if vcs else "orders_js/index.js"
        assert log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == \
            expected_uri
        fingerprints.add(json.dumps(log["runs"][0]["results"][0]["partialFingerprints"]))
    assert len(fingerprints) == 1          # the same alert whatever folder the run started in


def test_sarif_cap_is_said_on_stderr(tmp_path, cli, monkeypatch):
    from lambdalint.report import sarif

    monkeypatch.setattr(sarif, "MAX_RESULTS", 1)
    write_project(tmp_path, {"a.ts": FLOATING_TS, "b.ts": FLOATING_TS, "c.ts": FLOATING_TS})
    result = cli(".", "--format", "sarif")
    assert result.exit_code == 1
    assert len(json.loads(result.stdout)["runs"][0]["results"]) == 1
    assert ("lambdalint: warning: 2 of 3 results were left out of the SARIF report, the least severe first: "
            "a run holds at most 1 (GitHub's limit)") in result.stderr


def test_the_command_flushes_its_report_and_exit_status_before_leaving(tmp_path):
    """The command leaves without tearing its objects down: what it printed and its status must be whole."""
    import subprocess
    import sys

    (tmp_path / "app.js").write_text("exports.handler = async () => { fetch('https://x.test'); return 1; };\n")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    done = subprocess.run([sys.executable, "-m", "lambdalint.cli", "check", "--no-cache", "--format", "json", "."],
                          cwd=tmp_path, capture_output=True, text=True, env=env)
    assert done.returncode == 1 and [f["code"] for f in json.loads(done.stdout)] == ["FF001"]
    done = subprocess.run([sys.executable, "-m", "lambdalint.cli", "check", "missing.py"],
                          cwd=tmp_path, capture_output=True, text=True, env=env)
    assert done.returncode == 2 and "path does not exist: missing.py" in done.stderr
    done = subprocess.run([sys.executable, "-m", "lambdalint.cli", "--version"], capture_output=True, text=True, env=env)
    assert done.returncode == 0 and done.stdout.startswith("lambdalint ")
