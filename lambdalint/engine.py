"""Runs one check: list every file of the project, answer from the findings cache or read and analyse.

Bad input never stops the run: a file that cannot be read becomes E902, one
that cannot be parsed E901 (`analysis`), and every other file is still linted.
"""
from __future__ import annotations

import gc
import os
from pathlib import Path
from typing import Optional

from lambdalint import observe, project
from lambdalint.cache_files import cache_folder
from lambdalint.config import Config
from lambdalint.discovery import discover, display_path, language_for, one_walk
from lambdalint.file_states import FileStates
from lambdalint.findings import Language
from lambdalint.iac import read_template_text, templates_of_run
from lambdalint.listing import Listing
from lambdalint.result import RunProblems, RunResult
from lambdalint.run_cache import FOLDER as RUNS_FOLDER
from lambdalint.run_cache import RunCache, StoredRun, state_digest, text_digest


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
    remember = use_cache and (stdin_source is None or stdin_filename)  # a buffer without a name has no project
    with one_walk(cache_folder(config) / RUNS_FOLDER if remember else None):  # sources, the rest, templates: one walk
        listing = _list(paths, config, stdin_source, stdin_filename, problems)
        templates = _templates(paths if stdin_source is None else [], config, problems)
    named_as = _invocation(paths if stdin_source is None else [stdin_filename] if stdin_filename else [])
    template_paths = [t for t, _shown in templates]
    states, looked_up = None, None
    if remember:
        states = FileStates(cache_folder(config) / RUNS_FOLDER)
        rows = listing.known_rows(states)
        if rows is not None:  # every file looks as it did when last read: its digest is known unread
            looked_up = state_digest(config, rows, [], template_paths)
            stored = RunCache(cache_folder(config), looked_up).load()
            if stored is not None and _reuse(stored, named_as, listing.reported(), templates, result, problems):
                listing.read_texts_of(result)
                return result, problems
    inputs, unreadable, context = listing.read(states)
    for display, _language, source in inputs:
        result.sources[display] = source
    reported = [i[0] for i in inputs] + [f.path for f in unreadable]
    result.reported = reported
    runs = None
    if states is not None:
        states.store()
        runs = RunCache(cache_folder(config), state_digest(
            config, [(d, lang.value, text_digest(text)) for d, lang, text in inputs + context],
            [f"{f.path}: {f.message}" for f in unreadable], template_paths))
        stored = runs.load() if runs.state != looked_up else None  # (what was looked up did not answer)
        if stored is not None and _reuse(stored, named_as, reported, templates, result, problems):
            return result, problems
    if not reported and not any(shown for _template, shown in templates) and not config.handlers:
        return result, problems  # only test files named (indexed, never reported): nothing to find
    from lambdalint.cache import ModelCache, settings_hash  # only now: the model records and their codec
    from lambdalint.lowering import Lowering

    cache = ModelCache(cache_folder(config), settings_hash(config)) if use_cache else None
    lowering = Lowering(inputs + context, cache, jobs)
    same_facts = None
    if runs is not None:
        # Texts this state of the project never had, but maybe its facts: an edit of comments or layout.
        rows = lowering.facts_rows()
        if rows is not None:
            same_facts = RunCache(cache_folder(config), state_digest(
                config, rows, [f"{f.path}: {f.message}" for f in unreadable], template_paths, basis="facts"))
            stored = same_facts.load()
            if stored is not None and _reuse(stored, named_as, reported, templates, result, problems):
                lowering.release()
                runs.store(stored)  # the next run with these texts need not lower anything
                return result, problems
    warned = len(problems.warnings)
    from lambdalint.analysis import check_all  # only now: the index and the rules

    with observe.recording() as seen:
        durable_rows = check_all(paths if stdin_source is None else [], config, lowering, inputs, unreadable,
                                 listing.named, templates, jobs, result, problems)
    result.durable_functions = [row for row in durable_rows if row[0] in result.sources]
    if runs is not None and not problems.internal_errors:
        run = StoredRun(
            invocation=named_as, reported=reported, files_checked=result.files_checked,
            findings=result.findings, notifications=result.notifications, durable_functions=durable_rows,
            warnings=problems.warnings[warned:], observations=observe.as_list(seen))
        for entry in (runs, same_facts):
            if entry is not None:
                entry.store(run)
    result.execution_successful = not problems.internal_errors
    gc.unfreeze()
    return result, problems


def _list(paths, config: Config, stdin_source, stdin_filename, problems: RunProblems) -> "Listing":
    """The files to report on (or the standard input's text) and the rest of their project, unread."""
    if stdin_source is not None:
        name = display_path(stdin_filename) if stdin_filename else "-"
        language = language_for(name) or Language.PYTHON
        named: list = [stdin_filename] if stdin_filename else []
        known = [os.path.abspath(stdin_filename), os.path.realpath(stdin_filename)] if stdin_filename else []
        listing = Listing(files=[], text=(name, language, stdin_source), named=named)
    else:
        files, warnings = discover(paths, config)
        problems.warnings.extend(warnings)
        known = (p for f in files for p in (os.path.abspath(f.path), os.path.realpath(f.path)))  # asked only if need be
        listing = Listing(files=files, text=None, named=list(paths))
    listing.elsewhere = project.context_files(listing.named, config, known)
    reportable = project.reportable(config)
    listing.text_reported = listing.text is None or reportable(listing.text[0])
    listing.tests = [f for f in listing.files if not reportable(f.display)]  # indexed, not reported
    listing.files = [f for f in listing.files if reportable(f.display)]
    return listing


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
    sources = set(reported)
    result.durable_functions = [row for row in stored.durable_functions if row[0] in sources]
    problems.warnings.extend(stored.warnings)
    shown = {display_path(t): t for t, _shown in templates}
    for finding in findings:  # templates with findings get code frames too
        if finding.path not in sources and finding.path in shown:
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
