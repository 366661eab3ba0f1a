"""Runs one check: read every file of the project, answer from the findings cache or analyse.

Bad input never stops the run: a file that cannot be read becomes E902, one
that cannot be parsed E901 (`analysis`), and every other file is still linted.
"""
from __future__ import annotations

import gc
import os
from pathlib import Path
from typing import Optional, Union

from lambdalint import observe, project, source_text
from lambdalint.cache_files import cache_folder
from lambdalint.config import Config
from lambdalint.discovery import SourceFile, discover, display_path, language_for, one_walk
from lambdalint.iac import read_template_text, templates_of_run
from lambdalint.findings import Finding, Language, Severity, Span
from lambdalint.result import RunProblems, RunResult
from lambdalint.run_cache import RunCache, StoredRun, state_digest, text_digest

MAX_FILE_BYTES = 10 * 1024 * 1024


def run(
    paths: list[Path],
    config: Config,
    *,
    stdin_source: Optional[str] = None,
    stdin_filename: Optional[str] = None,
    use_cache: bool = True,
    jobs: int = 0,
) -> tuple[RunResult, RunProblems]:
    """Lint `paths` (or the standard input) with the index of their whole project.

    Findings, E901/E902 and `files_checked` cover only the files named, those
    below named folders, or the standard input; the project's other files are
    read and indexed, never reported (see `lambdalint.project`).
    """
    problems = RunProblems()
    result = RunResult(root=config.root)
    with one_walk():  # the sources, the project's other sources and the templates: one walk
        inputs, unreadable, context, named = _gather(paths, config, stdin_source, stdin_filename, problems)
        templates = _templates(paths if stdin_source is None else [], config, problems)
    for display, _language, source in inputs:
        result.sources[display] = source
    reported = [i[0] for i in inputs] + [f.path for f in unreadable]
    named_as = _invocation(paths if stdin_source is None else [stdin_filename] if stdin_filename else [])
    runs = None
    if use_cache and (stdin_source is None or stdin_filename):  # a buffer without a name has no project
        runs = RunCache(cache_folder(config), state_digest(
            config, [(d, lang.value, text_digest(text)) for d, lang, text in inputs + context],
            [f"{f.path}: {f.message}" for f in unreadable], [t for t, _shown in templates]))
        stored = runs.load()
        if stored is not None and _reuse(stored, named_as, reported, templates, result, problems):
            return result, problems
    from lambdalint.cache import ModelCache, settings_hash  # only now: the model records and their codec

    cache = ModelCache(cache_folder(config), settings_hash(config)) if use_cache else None
    warned = len(problems.warnings)
    from lambdalint.analysis import check_all  # only now: the parsers, the index and the rules

    with observe.recording() as seen:
        durable_rows = check_all(paths if stdin_source is None else [], config, inputs, context, unreadable,
                                  named, templates, cache, jobs, result, problems)
    result.durable_functions = [row for row in durable_rows if row[0] in result.sources]
    if runs is not None and not problems.internal_errors:
        runs.store(StoredRun(
            invocation=named_as, reported=reported, files_checked=result.files_checked,
            findings=result.findings, notifications=result.notifications, durable_functions=durable_rows,
            warnings=problems.warnings[warned:], observations=observe.as_list(seen)))
    result.execution_successful = not problems.internal_errors
    gc.unfreeze()
    return result, problems


def _gather(paths, config: Config, stdin_source, stdin_filename, problems: RunProblems):
    """The reported files' texts (or E902s) and the texts of the rest of their project."""
    if stdin_source is not None:
        name = display_path(stdin_filename) if stdin_filename else "-"
        language = language_for(name) or Language.PYTHON
        inputs = [(name, language, stdin_source)]
        unreadable: list[Finding] = []
        named: list = [stdin_filename] if stdin_filename else []
        known = [os.path.abspath(stdin_filename), os.path.realpath(stdin_filename)] if stdin_filename else []
    else:
        files, warnings = discover(paths, config)
        problems.warnings.extend(warnings)
        inputs, unreadable = _read_all(files)
        named = list(paths)
        known = (p for f in files for p in (os.path.abspath(f.path), os.path.realpath(f.path)))  # asked only if need be
    context, _unreadable_elsewhere = _read_all(project.context_files(named, config, known))
    reportable = project.reportable(config)
    context.extend(i for i in inputs if not reportable(i[0]))  # test files: indexed, not reported
    inputs = [i for i in inputs if reportable(i[0])]
    unreadable = [f for f in unreadable if reportable(f.path)]
    return inputs, unreadable, context, named


def _invocation(paths) -> list[str]:
    """What was named, as the findings cache compares runs (a folder ends in the separator)."""
    return sorted(os.path.abspath(p) + (os.sep if os.path.isdir(p) else "") for p in paths)


def _reuse(stored: StoredRun, invocation: list[str], reported: list[str], templates, result: RunResult,
           problems: RunProblems) -> bool:
    """Fill `result` from a stored run when it answers this one (see `run_cache`); False when it does not."""
    if stored.invocation == invocation:
        findings, notifications, files_checked = stored.findings, stored.notifications, stored.files_checked
    elif (invocation and len(set(reported)) == len(invocation) and not any(p.endswith(os.sep) for p in invocation)
          and set(reported) <= set(stored.reported)):
        # Source files named alone (no folder, template or test file among them): their findings are
        # those of the run that covered them.
        wanted = set(reported)
        findings = [f for f in stored.findings if f.path in wanted]
        notifications = [n for n in stored.notifications if n.path in wanted]
        files_checked = len(reported)
    else:
        return False
    result.findings, result.notifications, result.files_checked = findings, notifications, files_checked
    result.durable_functions = [row for row in stored.durable_functions if row[0] in result.sources]
    problems.warnings.extend(stored.warnings)
    shown = {display_path(t): t for t, _shown in templates}
    for finding in findings:  # templates with findings get code frames too
        if finding.path not in result.sources and finding.path in shown:
            text = read_template_text(shown[finding.path])
            if text is not None:
                result.sources[finding.path] = text
    return True


def _templates(paths, config: Config, problems: RunProblems) -> list[tuple[str, bool]]:
    try:
        return templates_of_run(paths, config)
    except Exception as error:  # an IaC reader bug must not cost the user the rest of the run
        problems.internal_errors.append(f"infrastructure code could not be read: {type(error).__name__}: {error}")
        return []


# ------------------------------------------------------------------ reading
def _read_all(files: list[SourceFile]) -> tuple[list[tuple[str, Language, str]], list[Finding]]:
    inputs, unreadable = [], []
    for file in files:
        text = read_source(file.path, file.display)
        if isinstance(text, Finding):
            unreadable.append(text)
        else:
            inputs.append((file.display, file.language, text))
    return inputs, unreadable


def read_source(path: Path, display: str) -> Union[str, Finding]:
    """The file's text, or the E902 finding that explains why there is none (see `source_text`)."""
    try:
        return source_text.decode(source_text.read_bytes(path, MAX_FILE_BYTES), language_for(str(path)))
    except source_text.Unreadable as error:
        return _e902(display, str(error))


def _e902(display: str, reason: str) -> Finding:
    return Finding("E902", f"unreadable file: {reason}", Severity.ERROR, display, Span(1, 1, 1, 1))
