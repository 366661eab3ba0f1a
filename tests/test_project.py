"""A file is judged with its whole project, however it is linted; test files are indexed, not reported."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from lambdalint import analysis, engine, file_lowering
from lambdalint.cli import main
from lambdalint.config import Config, load_config
from lambdalint.model import Finding, Severity, Span
from lambdalint.project import project_root, vcs_root
from lambdalint.rules import ProjectRule

from conftest import write_project

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SOURCES = sorted(p.relative_to(EXAMPLES).as_posix() for p in EXAMPLES.rglob("*")
                 if p.suffix in {".py", ".js", ".ts"})


def check(*args: str, input: str | None = None) -> tuple[int, list[dict]]:
    result = CliRunner().invoke(main, ["check", "--no-cache", "--format", "json", *args], input=input,
                                catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.stdout)


def keyed(findings: list[dict]) -> list[tuple]:
    return sorted((f["filename"], f["location"]["row"], f["location"]["column"], f["code"], f["message"],
                   f.get("handler")) for f in findings)


# ------------------------------------------------------------------ project root
def test_project_root_prefers_config_then_vcs_then_manifest(tmp_path):
    write_project(tmp_path, {
        "repo/.git/HEAD": "ref: refs/heads/main\n",
        "repo/svc/package.json": "{}\n",
        "repo/svc/src/handler.js": "",
        "repo/tools/pyproject.toml": "[project]\nname = 'tools'\n",
        "repo/tools/lambdalint.toml": "",
        "repo/tools/deep/a.py": "",
        "repo/py/pyproject.toml": "[tool.lambdalint]\nselect = ['FF']\n",
        "repo/py/app/a.py": "",
        "loose/package.json": "{}\n",
        "loose/lib/x.js": "",
        "bare/x.py": "",
    })
    repo = tmp_path / "repo"
    # The VCS root wins over the nearer package.json, a config file over both.
    assert project_root(repo / "svc/src/handler.js") == repo
    assert project_root(repo / "tools/deep/a.py") == repo / "tools"
    assert project_root(repo / "py/app/a.py") == repo / "py"
    assert project_root(tmp_path / "loose/lib/x.js") == tmp_path / "loose"
    assert project_root(tmp_path / "bare/x.py") == tmp_path / "bare"
    assert project_root(tmp_path / "bare") == tmp_path / "bare"
    # A `.git` file (worktree, submodule) marks a repository too.
    write_project(tmp_path, {"wt/.git": "gitdir: elsewhere\n", "wt/a/b.py": ""})
    assert vcs_root(tmp_path / "wt/a/b.py") == tmp_path / "wt"
    assert vcs_root(tmp_path / "bare/x.py") is None


def test_config_root_without_a_config_file_is_the_project_root(tmp_path, monkeypatch):
    write_project(tmp_path, {"repo/.git/HEAD": "", "repo/sub/a.py": ""})
    monkeypatch.chdir(tmp_path / "repo/sub")
    assert load_config([Path("a.py")]).root == tmp_path / "repo"
    assert load_config([]).root == tmp_path / "repo"


# ------------------------------------------------------- same findings, any way
def test_every_example_file_gives_the_same_findings_however_it_is_linted(monkeypatch):
    monkeypatch.chdir(EXAMPLES)
    _, whole = check(".")
    assert len(whole) >= 10
    by_file = {name: [f for f in whole if f["filename"] == name] for name in SOURCES}
    for name in SOURCES:
        _, alone = check(name)
        assert keyed(alone) == keyed(by_file[name]), name
        _, piped = check("-", "--stdin-filename", name, input=(EXAMPLES / name).read_text(encoding="utf-8"))
        assert keyed(piped) == keyed(by_file[name]), name
    # pre-commit passes the changed files, several at a time.
    _, several = check(*SOURCES[:4])
    assert keyed(several) == keyed([f for name in SOURCES[:4] for f in by_file[name]])


def test_single_file_from_the_repository_root_or_a_subfolder(monkeypatch):
    """`examples/orders_py/app.py` alone: its three bugs need `notify.py` and the handler in the same file."""
    monkeypatch.chdir(EXAMPLES.parent)
    _, alone = check("examples/orders_py/app.py")
    assert sorted((f["location"]["row"], f["code"]) for f in alone) == [(39, "FF001"), (43, "FF002"), (46, "FF003")]
    _, whole = check("examples")
    assert keyed(alone) == keyed([f for f in whole if f["filename"] == "examples/orders_py/app.py"])


def test_cross_file_bug_found_from_a_subfolder_of_the_repository(tmp_path, monkeypatch):
    write_project(tmp_path, {
        ".git/HEAD": "ref: refs/heads/main\n",
        "lib/notify.js": (
            "export async function notify(msg) {\n  await fetch('https://hooks.example', { body: msg });\n}\n"
        ),
        "functions/orders/handler.js": (
            "import { notify } from '../../lib/notify.js';\n"
            "export const handler = async (event) => {\n"
            "  notify('order received');\n"
            "  return { statusCode: 200 };\n"
            "};\n"
        ),
        "functions/orders/other.js": "export const two = async () => 2;\n",
    })
    monkeypatch.chdir(tmp_path / "functions/orders")
    _, alone = check("handler.js")
    assert [(f["filename"], f["location"]["row"], f["code"]) for f in alone] == [("handler.js", 3, "FF001")]
    _, here = check(".")
    assert keyed(here) == keyed(alone)
    monkeypatch.chdir(tmp_path)
    _, whole = check(".")
    assert [(f["filename"], f["location"]["row"]) for f in whole] == [("functions/orders/handler.js", 3)]


def test_stdin_replaces_the_file_of_the_same_name(tmp_path, monkeypatch):
    write_project(tmp_path, {
        "package.json": "{}\n",
        "notify.js": "async function notify() { await fetch('https://x.example'); }\nmodule.exports = { notify };\n",
        "handler.js": (
            "const { notify } = require('./notify');\n"
            "exports.handler = async () => {\n"
            "  notify();\n"
            "  return 1;\n"
            "};\n"
        ),
    })
    monkeypatch.chdir(tmp_path)
    fixed = (tmp_path / "handler.js").read_text().replace("  notify();", "  await notify();")
    assert check("-", "--stdin-filename", "handler.js", input=fixed) == (0, [])
    status, findings = check("handler.js")
    assert status == 1 and [f["location"]["row"] for f in findings] == [3]
    # The edited buffer of the other module counts too: a notify() that is no longer async is no finding.
    sync = "function notify() { return 1; }\nmodule.exports = { notify };\n"
    assert check("-", "--stdin-filename", "notify.js", input=sync) == (0, [])


def test_only_named_files_are_reported_and_counted(tmp_path, monkeypatch):
    write_project(tmp_path, {
        "package.json": "{}\n",
        "good.js": "exports.handler = async () => 1;\n",
        "broken.js": "const x = ;\n",
        "other.js": "exports.handler = async () => { fetch('https://x.example'); };\n",
    })
    (tmp_path / "bad.py").write_bytes(b"\xff\xfe not text")
    monkeypatch.chdir(tmp_path)
    result, problems = engine.run([Path("good.js")], load_config([Path("good.js")]), use_cache=False)
    assert result.findings == [] and result.files_checked == 1 and not problems.internal_errors
    result, _ = engine.run([Path(".")], load_config([Path(".")]), use_cache=False)
    assert {f.path for f in result.findings} == {"bad.py", "broken.js", "other.js"} and result.files_checked == 4


class _TemplateRule(ProjectRule):
    """A stand-in for the template rules: one finding in every `template.yaml` of the project."""

    id, name = "RT004", "handler-not-found"

    def check_project(self, ctx):
        for path in sorted(Path(ctx.root).rglob("template.yaml")):
            display = os.path.relpath(path)
            yield Finding("RT004", "template finding", Severity.ERROR, display, Span(2, 1, 2, 1))


def test_project_rule_findings_only_for_named_templates_or_folders(tmp_path, monkeypatch):
    write_project(tmp_path, {
        ".git/HEAD": "",
        "svc/template.yaml": "Resources: {}\n",
        "svc/src/app.py": "def handler(event, context):\n    return 1\n",
        "other/app.py": "def handler(event, context):\n    return 1\n",
    })
    monkeypatch.setattr(analysis, "ALL_RULES", [*analysis.ALL_RULES, _TemplateRule])
    monkeypatch.chdir(tmp_path)

    def templates(*paths):
        config = load_config([Path(p) for p in paths])
        result, _ = engine.run([Path(p) for p in paths], config, use_cache=False)
        return [f.path for f in result.findings if f.code == "RT004"]

    assert templates(".") == ["svc/template.yaml"]
    assert templates("svc") == ["svc/template.yaml"]
    assert templates("svc/template.yaml") == ["svc/template.yaml"]
    assert templates("svc/src/app.py") == []
    assert templates("other") == []


def test_a_named_template_is_no_warning(tmp_path, monkeypatch):
    write_project(tmp_path, {"template.yaml": "Resources: {}\n", "app.py": "x = 1\n", "notes.txt": ""})
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check", "--no-cache", "template.yaml", "app.py", "notes.txt"])
    assert "template.yaml" not in result.stderr
    assert "skipping notes.txt" in result.stderr


# ------------------------------------------------------------------ test files
TEST_FILE_PROJECT = {
    "src/handler.ts": (
        "import { record } from './record';\n"
        "export const handler = async () => {\n"
        "  await record();\n"
        "  return 1;\n"
        "};\n"
    ),
    "src/record.ts": "export async function record(): Promise<void> { await fetch('https://x.example'); }\n",
    "src/record.test.ts": "import { record } from './record';\nit('records', () => {\n  record();\n});\n",
    "src/__mocks__/record.ts": "export async function record() {}\nrecord();\n",
    "spec/handler.ts": "import { record } from '../src/record';\nexport async function go() {\n  record();\n}\n",
    "tests/test_app.py": "import asyncio\n\nasync def go():\n    asyncio.sleep(1)\n",
    "app/conftest.py": "import asyncio\n\nasync def go():\n    asyncio.sleep(1)\n",
    "app/app_test.py": "import asyncio\n\nasync def go():\n    asyncio.sleep(1)\n",
}


def test_test_files_are_indexed_but_not_reported(tmp_path):
    write_project(tmp_path, TEST_FILE_PROJECT)
    result, _ = engine.run([tmp_path], Config(root=tmp_path), use_cache=False)
    assert result.findings == []
    assert result.files_checked == 2   # the two source files; test files are not checked
    # Named one by one (as pre-commit does), they are not reported either.
    named = [tmp_path / name for name in TEST_FILE_PROJECT]
    result, _ = engine.run(named, Config(root=tmp_path), use_cache=False)
    assert result.findings == []


def test_check_tests_reports_test_files_with_the_ordinary_rules(tmp_path):
    write_project(tmp_path, TEST_FILE_PROJECT)
    result, _ = engine.run([tmp_path], Config(root=tmp_path, check_tests=True), use_cache=False)
    found = sorted((Path(f.path).relative_to(tmp_path).as_posix(), f.span.line, f.code) for f in result.findings)
    assert found == [
        ("app/app_test.py", 4, "FF001"),
        ("app/conftest.py", 4, "FF001"),
        ("spec/handler.ts", 3, "FF001"),
        ("src/record.test.ts", 3, "FF001"),   # `it(...)` itself is a known safe call
        ("tests/test_app.py", 4, "FF001"),
    ]
    assert result.files_checked == len(TEST_FILE_PROJECT)


def test_test_files_are_judged_relative_to_the_project_root(tmp_path):
    """A project stored under a `tests/` folder is not all test files."""
    root = tmp_path / "tests" / "spec" / "proj"
    write_project(root, {"handler.js": "exports.handler = async () => { fetch('https://x.example'); };\n"})
    result, _ = engine.run([root], Config(root=root), use_cache=False)
    assert [f.code for f in result.findings] == ["FF001"]


def test_check_tests_in_the_config_file(tmp_path, monkeypatch):
    write_project(tmp_path, {
        "lambdalint.toml": "check-tests = true\n",
        "tests/helpers.py": "import asyncio\n\nasync def go():\n    asyncio.sleep(1)\n",
    })
    monkeypatch.chdir(tmp_path)
    status, findings = check(".")
    assert status == 1 and [(f["filename"], f["code"]) for f in findings] == [("tests/helpers.py", "FF001")]
    (tmp_path / "lambdalint.toml").write_text("check-tests = false\n")
    assert check(".") == (0, [])
    (tmp_path / "lambdalint.toml").write_text("check-tests = 'yes'\n")
    result = CliRunner().invoke(main, ["check", "."])
    assert result.exit_code == 2 and "check-tests" in result.stderr


@pytest.mark.parametrize("name", ["a.test.ts", "a.spec.js", "test_a.py", "a_test.py", "conftest.py",
                                  "tests/a.py", "test/a.js", "__tests__/a.js", "__mocks__/a.js", "spec/a.ts"])
def test_test_file_names(tmp_path, name):
    write_project(tmp_path, {name: "async function go() {}\ngo();\n" if not name.endswith(".py")
                             else "import asyncio\nasyncio.sleep(1)\n"})
    assert engine.run([tmp_path], Config(root=tmp_path), use_cache=False)[0].findings == []
    assert engine.run([tmp_path], Config(root=tmp_path, check_tests=True), use_cache=False)[0].findings != []


def test_what_test_files_define_is_known_to_the_code_that_uses_it(tmp_path):
    write_project(tmp_path, {
        "tests/support.py": "async def warm():\n    return 1\n",
        "app.py": (
            "from tests.support import warm\n\n"
            "def lambda_handler(event, context):\n"
            "    warm()\n"
            "    return 1\n"
        ),
    })
    for named in ([tmp_path], [tmp_path / "app.py"]):
        result, _ = engine.run(named, Config(root=tmp_path), use_cache=False)
        assert [(Path(f.path).name, f.span.line, f.code) for f in result.findings] == [("app.py", 4, "FF001")]


def test_a_front_end_failure_elsewhere_in_the_project_is_not_the_named_files_problem(tmp_path, monkeypatch):
    write_project(tmp_path, {"package.json": "{}\n", "good.js": "exports.handler = async () => 1;\n",
                             "odd.js": "exports.other = async () => 2;\n"})
    real = file_lowering.lower_one

    def failing(display, language, source):
        return f"{display}: could not be analysed: RuntimeError: boom" if display.endswith("odd.js") else (
            real(display, language, source))
    monkeypatch.setattr(file_lowering, "lower_one", failing)
    monkeypatch.chdir(tmp_path)
    _, problems = engine.run([Path("good.js")], load_config([Path("good.js")]), use_cache=False, jobs=1)
    assert problems.internal_errors == []
    _, problems = engine.run([Path(".")], load_config([Path(".")]), use_cache=False, jobs=1)
    assert problems.internal_errors == ["odd.js: could not be analysed: RuntimeError: boom"]



def test_python_imports_resolve_from_any_working_folder(tmp_path, monkeypatch):
    write_project(tmp_path, {
        ".git/HEAD": "",
        "functions/__init__.py": "",
        "functions/orders/__init__.py": "",
        "functions/orders/notify.py": "async def notify(order):\n    return order\n",
        "functions/orders/app.py": (
            "from functions.orders.notify import notify\n\n"
            "def lambda_handler(event, context):\n"
            "    notify(event)\n"
            "    return 1\n"
        ),
    })
    for cwd, name in ((tmp_path, "functions/orders/app.py"), (tmp_path / "functions", "orders/app.py"),
                      (tmp_path / "functions/orders", "app.py")):
        monkeypatch.chdir(cwd)
        _, findings = check(name)
        assert [(f["filename"], f["location"]["row"], f["code"]) for f in findings] == [(name, 4, "FF001")], cwd
