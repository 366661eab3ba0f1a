"""The pre-commit hook: the real `pre-commit`, on a throw-away repository, with a cross-file bug."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

SOURCE_TREE = Path(__file__).resolve().parent.parent
MANIFEST = SOURCE_TREE / ".pre-commit-hooks.yaml"


def _hook() -> dict:
    hooks = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    assert [h["id"] for h in hooks] == ["lambdalint"]
    return hooks[0]


def test_hook_selects_files_by_extension():
    hook = _hook()
    assert hook["language"] == "python" and hook["entry"] == "lambdalint check"
    assert "types" not in hook and "types_or" not in hook   # pre-commit does not type .mts / .cts as TypeScript
    files = re.compile(hook["files"])
    for name in ["a.py", "a.pyi", "a.js", "a.mjs", "a.cjs", "a.jsx", "src/a.ts", "src/a.mts", "src/a.cts",
                 "a.tsx", "template.yaml", "svc/template.yml", "serverless.yml", "serverless.yaml"]:
        assert files.search(name), name
    for name in ["README.md", "a.json", "my-template.yaml", "a.ts.orig", "package.json", "a.yaml"]:
        assert not files.search(name), name


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=lint", "-c", "user.email=lint@example.invalid",
                    "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main", *args],
                   cwd=cwd, check=True, capture_output=True)


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


HANDLER = """\
import { notify } from './lib/notify.js';

export const handler = async (event) => {
  {call}
  return { statusCode: 202 };
};
"""


def test_pre_commit_fails_on_a_cross_file_bug_in_a_changed_file(tmp_path):
    assert shutil.which("git"), "git is needed to run pre-commit"
    # The hook repository: this manifest with one change. `language: python` makes pre-commit
    # build a virtualenv and `pip install` this package, which needs the package index (for the
    # build backend and the dependencies); tests run offline. `language: system` runs the same
    # `entry` from PATH, where a `lambdalint` script runs the code under test. Everything else
    # (id, entry, files, require_serial) is the manifest users get.
    hooks_repo = tmp_path / "hooks"
    hooks_repo.mkdir()
    manifest = MANIFEST.read_text(encoding="utf-8")
    assert manifest.count("language: python") == 1
    (hooks_repo / ".pre-commit-hooks.yaml").write_text(manifest.replace("language: python", "language: system"))
    _git(hooks_repo, "init", "-q")
    _git(hooks_repo, "add", "-A")
    _git(hooks_repo, "commit", "-q", "-m", "hooks")

    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "lambdalint"
    script.write_text(f"#!{sys.executable}\nimport sys\nsys.path.insert(0, {str(SOURCE_TREE)!r})\n"
                      "from lambdalint.cli import main\nmain()\n")
    script.chmod(0o755)

    project = tmp_path / "project"
    _write(project, {
        "package.json": '{"name": "orders", "type": "module"}\n',
        "lib/notify.js": "export async function notify(message) {\n"
                         "  await fetch('https://hooks.example.invalid', { method: 'POST', body: message });\n}\n",
        "handler.js": HANDLER.replace("{call}", "await notify('order received');"),
        "lib/format.mts": "export async function send(body: string): Promise<void> {\n"
                          "  await fetch('https://x.example.invalid', { method: 'POST', body });\n}\n",
    })
    _git(project, "init", "-q")
    _git(project, "add", "-A")
    _git(project, "commit", "-q", "-m", "start")

    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    env.update(PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"), PATH=f"{bin_dir}{os.pathsep}{env['PATH']}",
               LAMBDALINT_DEBUG="")

    def pre_commit() -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(hooks_repo), "lambdalint"],
                              cwd=project, env=env, capture_output=True, text=True, timeout=300)

    # Only handler.js changes; the async function it forgets to await lives in the unchanged lib/notify.js.
    (project / "handler.js").write_text(HANDLER.replace("{call}", "notify('order received');"))
    _git(project, "add", "handler.js")
    run = pre_commit()
    assert run.returncode == 1, run.stdout + run.stderr
    assert "handler.js:4:3: FF001" in run.stdout and "notify()" in run.stdout

    (project / "handler.js").write_text(HANDLER.replace("{call}", "await notify('order accepted');"))
    _git(project, "add", "handler.js")
    run = pre_commit()
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Passed" in run.stdout

    # A change to a .mts file alone is checked too.
    (project / "lib/format.mts").write_text((project / "lib/format.mts").read_text()
                                             + "export const handler = async () => {\n  send('x');\n  return 1;\n};\n")
    _git(project, "add", "lib/format.mts")
    run = pre_commit()
    assert run.returncode == 1, run.stdout + run.stderr
    assert "lib/format.mts:5:3: FF001" in run.stdout
