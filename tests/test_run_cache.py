"""The findings cache: a run over an unchanged project answers from it, and only when nothing it rests on changed."""
from __future__ import annotations

import json
import os
import stat
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from lambdalint import analysis, file_states, listing, run_cache
from lambdalint.cli import main

HANDLER = "import asyncio\n\nasync def handler(event, context):\n    asyncio.create_task(asyncio.sleep(1))\n    return 1\n"
TEMPLATE = """AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Environment:
        Variables:
          AWS_LAMBDA_EXEC_WRAPPER: /var/task/wrapper
"""


@pytest.fixture
def project(tmp_path, monkeypatch):
    root = tmp_path / "svc"
    (root / "src").mkdir(parents=True)
    (root / "pyproject.toml").write_text("[project]\nname = 'svc'\n")
    (root / "template.yaml").write_text(TEMPLATE)
    (root / "src" / "app.py").write_text(HANDLER)
    (root / "src" / "util.py").write_text("def helper():\n    return 2\n")
    wrapper = root / "src" / "wrapper"
    wrapper.write_text("#!/bin/sh\nexec \"$@\"\n")
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
    monkeypatch.chdir(root)
    return root


@pytest.fixture
def analysed(monkeypatch):
    """The runs that had to analyse (the others were answered by the findings cache)."""
    runs = []
    real = analysis.check_all

    def counting(*args, **kwargs):
        runs.append(1)
        return real(*args, **kwargs)
    monkeypatch.setattr(analysis, "check_all", counting)
    return runs


def check(*args: str, input: str = None) -> list[tuple[str, int, str]]:
    result = CliRunner().invoke(main, ["check", "--jobs", "1", "--format", "json", *args], input=input,
                                catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    return [(f["filename"], f["location"]["row"], f["code"]) for f in json.loads(result.stdout)]


def test_nothing_changed_nothing_analysed(project, analysed):
    first = check(".")
    assert ("src/app.py", 4, "FF005") in first and len(analysed) == 1
    assert check(".") == first and len(analysed) == 1


def test_a_changed_source_is_analysed_again(project, analysed):
    check(".")
    (project / "src" / "util.py").write_text("def helper():\n    return 2\n\n\ndef other():\n    return 3\n")
    check(".")
    assert len(analysed) == 2


def test_an_edit_no_model_sees_is_answered_from_the_run_with_the_same_facts(project, analysed):
    first = check(".")
    app = project / "src" / "app.py"
    app.write_text(HANDLER + "# a comment at the end\n")
    assert check(".") == first and len(analysed) == 1
    # Its texts are remembered too: the next run with them looks nothing up in the models.
    assert check(".") == first and len(analysed) == 1


def test_files_with_one_text_share_their_facts(project, analysed):
    """Two copies of a file share one model entry: its facts must not depend on which copy wrote it."""
    for copy in ("a", "b"):
        (project / "src" / copy).mkdir()
        (project / "src" / copy / "__init__.py").write_text("VALUE = 1\n")
    first = check(".")
    (project / "src" / "app.py").write_text(HANDLER + "# a comment at the end\n")
    assert check(".") == first and len(analysed) == 1


def test_comments_that_move_code_or_suppress_a_finding_are_analysed(project, analysed):
    first = check(".")
    assert ("src/app.py", 4, "FF005") in first
    app = project / "src" / "app.py"
    app.write_text("# moved down a line\n" + HANDLER)
    assert check(".") == [(path, line + 1, code) for path, line, code in first] and len(analysed) == 2
    app.write_text(HANDLER.replace("sleep(1))", "sleep(1))  # lambdalint: ignore[FF005]"))
    assert check(".") == [f for f in first if f[2] != "FF005"] and len(analysed) == 3


def test_a_file_named_alone_gets_the_findings_of_the_run_that_covered_it(project, analysed):
    whole = check(".")
    assert check("src/app.py") == [f for f in whole if f[0] == "src/app.py"]
    assert check("src/util.py") == []
    assert len(analysed) == 1


def test_a_fact_outside_the_sources_is_asked_again(project, analysed):
    """The wrapper script is no source file, but RT005 looked at it: removing it must show."""
    assert not [f for f in check(".") if f[2] == "RT005"]
    os.remove(project / "src" / "wrapper")
    assert [f for f in check(".") if f[2] == "RT005"] == [("template.yaml", 12, "RT005")]
    assert len(analysed) == 2


def test_template_settings_and_code_are_part_of_the_state(project, analysed, monkeypatch):
    check(".")
    (project / "template.yaml").write_text(TEMPLATE.replace("/var/task/wrapper", "/var/task/nope"))
    assert ("template.yaml", 12, "RT005") in check(".")
    (project / "lambdalint.toml").write_text('ignore = ["RT005"]\n')
    assert ("template.yaml", 12, "RT005") not in check(".")
    monkeypatch.setattr(run_cache, "package_digest", lambda: "another build")
    check(".")
    assert len(analysed) == 4


@pytest.mark.parametrize("junk", [b"", b"{", b"null", b"[]", b'{"format": "lambdalint-findings/1"}'])
def test_junk_entries_are_ignored(project, analysed, junk):
    first = check(".")
    for entry in (project / ".lambdalint_cache" / run_cache.FOLDER).iterdir():
        entry.write_bytes(junk)
    assert check(".") == first and len(analysed) == 2


def test_an_entry_of_another_state_is_not_trusted(project, analysed):
    """Copied under the name of today's state, yesterday's findings are refused: the entry names its state."""
    first = check(".")
    folder = project / ".lambdalint_cache" / run_cache.FOLDER
    saved = next(folder.iterdir()).read_bytes()  # (a run is stored under its texts and under its facts)
    (project / "src" / "app.py").write_text("def handler(event, context):\n    return 1\n")
    assert check(".") == []
    for entry in folder.iterdir():
        entry.write_bytes(saved)
    assert check(".") == [] and first and len(analysed) == 3


def test_no_cache_reads_and_writes_no_findings(project, analysed):
    check("--no-cache", ".")
    check("--no-cache", ".")
    assert len(analysed) == 2 and not (project / ".lambdalint_cache").exists()


def test_entries_are_bounded(project, analysed, monkeypatch):
    monkeypatch.setattr(run_cache, "KEEP_ENTRIES", 2)
    for i in range(4):
        (project / "src" / "util.py").write_text(f"def helper():\n    return {i}\n")
        check(".")
    assert len(list((project / ".lambdalint_cache" / run_cache.FOLDER).iterdir())) == 2


def _entries(project: Path) -> list[dict]:
    return [json.loads(path.read_text()) for path in (project / ".lambdalint_cache" / run_cache.FOLDER).iterdir()]


def test_an_entry_is_data_naming_what_it_rests_on(project):
    check(".")
    by_texts, by_facts = _entries(project)  # the same run, under its texts' state and its facts' state
    assert by_texts["state"] != by_facts["state"] and by_texts["findings"] == by_facts["findings"]
    for entry in (by_texts, by_facts):
        assert entry["format"] == run_cache.FORMAT and len(entry["state"]) == 64
        assert any(kind == "executable" and path.endswith("wrapper") for kind, path, _ in entry["observations"])


def test_a_template_named_alone_is_not_answered_from_the_files_findings(project, analysed):
    (project / "template.yaml").write_text(TEMPLATE.replace("/var/task/wrapper", "/var/task/nope"))
    whole = check(".")
    assert check("template.yaml") == [f for f in whole if f[0] == "template.yaml"] != []
    assert len(analysed) == 2


def test_output_settings_do_not_change_the_state(project, analysed):
    check(".")
    CliRunner().invoke(main, ["check", "--jobs", "2", "--format", "sarif", "."])
    assert len(analysed) == 1


def test_the_standard_input_named_as_a_file_of_the_project(project, analysed):
    whole = check(".")
    text = (project / "src" / "app.py").read_text()
    assert check("--stdin-filename", "src/app.py", "-", input=text) == [f for f in whole if f[0] == "src/app.py"]
    assert len(analysed) == 1   # the same text as the file the whole run checked
    edited = text.replace("asyncio.create_task(asyncio.sleep(1))", "await asyncio.sleep(1)")
    assert check("--stdin-filename", "src/app.py", "-", input=edited) == [("src/app.py", 3, "RT002")]
    assert len(analysed) == 2   # an unsaved buffer: a state no run has seen


@pytest.fixture
def settled(monkeypatch):
    """Files count as settled at once (in a project they do a few seconds after they were written)."""
    monkeypatch.setattr(file_states, "SETTLED_NS", -10**15)


def test_nothing_changed_nothing_read_but_the_files_with_findings(project, analysed, settled, monkeypatch):
    first = check(".")
    read = []
    real = listing.read_source
    monkeypatch.setattr(listing, "read_source", lambda path, display: read.append(display) or real(path, display))
    assert check(".") == first and len(analysed) == 1
    assert read == ["src/app.py"]  # for its code frames; util.py is not read


def test_a_file_rewritten_with_its_size_and_time_kept_is_read_again(project, analysed, settled):
    check(".")
    util = project / "src" / "util.py"
    info = util.stat()
    util.write_text("def helper():\n    return x\n")
    os.utime(util, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert util.stat().st_size == info.st_size
    check(".")
    assert len(analysed) == 2


def test_a_file_changed_moments_before_it_was_read_is_read_again(project, analysed, monkeypatch):
    """A file system whose clock does not move between two writes: the status cannot tell them apart."""
    frozen = time.time_ns()
    status = lambda path: (os.path.getsize(path), frozen, frozen, 1)  # noqa: E731
    monkeypatch.setattr(file_states, "status_of", status)
    monkeypatch.setattr(listing, "status_of", status)
    check(".")
    (project / "src" / "util.py").write_text("def helper():\n    return x\n")
    check(".")
    assert len(analysed) == 2


@pytest.mark.parametrize("junk", [b"", b"{", b"null", b'{"format": "lambdalint-file-states/1", "files": []}',
                                  b'{"format": "lambdalint-file-states/1", "files": {"/x": [1, 2]}}'])
def test_junk_file_states_are_ignored(project, analysed, settled, junk):
    first = check(".")
    (project / ".lambdalint_cache" / run_cache.FOLDER / file_states.FILE_NAME).write_bytes(junk)
    assert check(".") == first and len(analysed) == 1
    assert check(".") == first and len(analysed) == 1


def test_a_run_naming_only_test_files_analyses_nothing(project, analysed):
    """Pre-commit passes test files too: they are indexed for other files' sake, never reported themselves."""
    (project / "tests").mkdir()
    (project / "tests" / "test_app.py").write_text(HANDLER)
    assert check("tests/test_app.py") == [] and len(analysed) == 0
    both = check("tests/test_app.py", "src/app.py")
    assert ("src/app.py", 4, "FF005") in both and {f[0] for f in both} == {"src/app.py"} and len(analysed) == 1
