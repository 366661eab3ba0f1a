"""Runs one check: read, lower (in parallel, cached), index, rules, suppressions.

Bad input never stops the run: a file that cannot be read becomes E902, one
that cannot be parsed E901, and every other file is still linted.
"""
from __future__ import annotations

import gc
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Union

from lambdalint import project
from lambdalint.cache import ModelCache, cache_folder, settings_hash
from lambdalint.catalog import default_catalog
from lambdalint.config import Config
from lambdalint.discovery import SourceFile, discover, display_path, language_for
from lambdalint.frontends import ParseError, lower
from lambdalint.index import ProjectIndex
from lambdalint.model import FileModel, Finding, Language, Notification, Severity, Span
from lambdalint.result import RunResult
from lambdalint.rules import ALL_RULES, Context, ProjectContext, ProjectRule
from lambdalint.suppress import apply_suppressions, parse_suppressions

MAX_FILE_BYTES = 10 * 1024 * 1024
_PARALLEL_THRESHOLD = 24


@dataclass
class Unreadable:
    """A file that produced no model: the E901/E902 finding that stands for it."""

    finding: Finding


@dataclass
class RunProblems:
    warnings: list[str] = field(default_factory=list)        # e.g. a path that does not exist
    internal_errors: list[str] = field(default_factory=list)  # a rule or front end failed on some file


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
        known = [p for f in files for p in (os.path.abspath(f.path), os.path.realpath(f.path))]
    context, _unreadable_elsewhere = _read_all(project.context_files(named, config, known))
    reportable = _reportable(config)
    context.extend(i for i in inputs if not reportable(i[0]))  # test files: indexed, not reported
    inputs = [i for i in inputs if reportable(i[0])]
    unreadable = [f for f in unreadable if reportable(f.path)]
    for display, _language, source in inputs:
        result.sources[display] = source
    cache = ModelCache(cache_folder(config), settings_hash(config)) if use_cache else None
    lowering = RunProblems()  # one pool for all files; only the reported ones' problems are the user's
    lowered, failed = _lower_all(inputs + context, cache, jobs, lowering)
    if cache is not None:
        cache.prune()
    models = [m for m in lowered if m.path in result.sources]
    elsewhere = [m for m in lowered if m.path not in result.sources]
    failed = [f for f in failed if f.path in result.sources]
    problems.internal_errors.extend(e for e in lowering.internal_errors
                                    if e.split(": could not be analysed: ", 1)[0] in result.sources)
    unreadable.extend(failed)
    result.files_checked = len(inputs) + len(unreadable) - len(failed)

    for model in models + elsewhere:
        model.is_test = project.is_project_test_file(model.path, config.root)
    catalog = default_catalog().with_user_settings(config.async_apis, config.safe_calls)
    index = ProjectIndex(sorted(models + elsewhere, key=lambda m: m.path), catalog, config.handlers)

    findings: list[Finding] = [f for f in unreadable if _enabled(config, f)]
    for model in models:
        findings.extend(_check_file(model, index, config, result, problems))
    scope = project.Scope(named)
    findings.extend(f for f in _check_project(models + elsewhere, index, config, result, problems)
                    if (f.path in result.sources or scope.covers(f.path)) and reportable(f.path))
    result.findings = sorted(findings, key=lambda f: (f.path, f.span.line, f.span.column, f.code))
    result.execution_successful = not problems.internal_errors
    return result, problems


def _reportable(config: Config):
    """Test files are indexed but reported only with `check-tests` (they run in no Lambda)."""
    if config.check_tests:
        return lambda path: True
    return lambda path: not project.is_project_test_file(path, config.root)


def _enabled(config: Config, finding: Finding) -> bool:
    return config.is_enabled(finding.code) and not config.ignored_for_path(finding.code, _relative(config, finding.path))


def _relative(config: Config, path: str) -> str:
    try:
        return Path(os.path.relpath(Path(path).resolve(), config.root.resolve())).as_posix()
    except ValueError:
        return Path(path).as_posix()


def _check_file(model: FileModel, index: ProjectIndex, config: Config, result: RunResult,
                problems: RunProblems) -> list[Finding]:
    ctx = Context(model, index, config)
    found: list[Finding] = []
    for rule_class in ALL_RULES:
        if (issubclass(rule_class, ProjectRule) or model.language not in rule_class.languages
                or not config.is_enabled(rule_class.id)):
            continue
        try:
            found.extend(rule_class().check(ctx))
        except Exception as error:  # a rule bug must not cost the user the rest of the run
            problems.internal_errors.append(f"{model.path}: rule {rule_class.id} failed: {type(error).__name__}: {error}")
    for region in model.error_regions:
        result.notifications.append(Notification(
            model.path,
            "this region could not be parsed (the grammar may not support this syntax yet); "
            "it was not analysed and findings inside it are dropped",
            region,
        ))
    found = [f for f in found if not any(f.span.overlaps(r) for r in model.error_regions)]
    found = [f for f in found if not config.ignored_for_path(f.code, _relative(config, f.path))]
    return apply_suppressions(found, parse_suppressions(model.comments))


def _check_project(models: list[FileModel], index: ProjectIndex, config: Config, result: RunResult,
                   problems: RunProblems) -> list[Finding]:
    """Project-level rules, once per run; their findings may point into non-source files (templates)."""
    ctx = ProjectContext(config.root, {m.path: m for m in models}, index, config)
    found: list[Finding] = []
    for rule_class in ALL_RULES:
        if not issubclass(rule_class, ProjectRule) or not config.is_enabled(rule_class.id):
            continue
        try:
            found.extend(rule_class().check_project(ctx))
        except Exception as error:  # a rule bug must not cost the user the rest of the run
            problems.internal_errors.append(f"rule {rule_class.id} failed: {type(error).__name__}: {error}")
    return [f for f in found if not config.ignored_for_path(f.code, _relative(config, f.path))]


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
    """The file's text, or the E902 finding that explains why there is none."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return _e902(display, f"file is too large ({size // (1024 * 1024)} MiB; the limit is "
                                  f"{MAX_FILE_BYTES // (1024 * 1024)} MiB)")
        data = path.read_bytes()
    except OSError as error:
        return _e902(display, f"cannot read file: {error.strerror or error}")
    if b"\0" in data[:8192]:
        return _e902(display, "binary file (it contains NUL bytes), not source text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return _e902(display, f"not valid UTF-8 text: byte 0x{data[error.start]:02x} at offset {error.start}")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _e902(display: str, reason: str) -> Finding:
    return Finding("E902", f"unreadable file: {reason}", Severity.ERROR, display, Span(1, 1, 1, 1))


# ----------------------------------------------------------------- lowering
def _lower_one(display: str, language: Language, source: str) -> Union[FileModel, Unreadable, str]:
    try:
        return lower(source, display, language)
    except ParseError as error:
        line, column = error.line or 1, error.column or 1
        return Unreadable(Finding("E901", f"syntax error: {error}", Severity.ERROR, display,
                                  Span(line, column, line, column)))
    except RecursionError:
        return Unreadable(Finding("E901", "syntax error: the file is too deeply nested to analyse",
                                  Severity.ERROR, display, Span(1, 1, 1, 1)))
    except Exception as error:  # a front-end bug: report it, keep going
        return f"{display}: could not be analysed: {type(error).__name__}: {error}"


def _lower_all(inputs, cache: Optional[ModelCache], jobs: int, problems: RunProblems):
    """Lower every input once; the garbage collector is paused meanwhile (the models hold no cycles worth
    collecting, and libcst's many short-lived nodes make collections frequent and slow)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _lower_inputs(inputs, cache, jobs, problems)
    finally:
        if collecting:
            gc.enable()


def _lower_inputs(inputs, cache: Optional[ModelCache], jobs: int, problems: RunProblems):
    results: list = [None] * len(inputs)
    todo = []
    for i, (display, language, source) in enumerate(inputs):
        cached = cache.get(display, language, source) if cache else None
        if cached is not None:
            results[i] = cached
        else:
            todo.append(i)
    workers = jobs or (os.cpu_count() or 1)
    if workers > 1 and len(todo) >= _PARALLEL_THRESHOLD:
        try:
            with ProcessPoolExecutor(max_workers=workers, initializer=gc.disable) as pool:
                chunk = max(1, len(todo) // (workers * 4))
                lowered = pool.map(_lower_one, *zip(*(inputs[i] for i in todo)), chunksize=chunk)
                for i, outcome in zip(todo, lowered):
                    results[i] = outcome
        except (OSError, RuntimeError):  # no process support here: fall back to one process
            for i in todo:
                results[i] = _lower_one(*inputs[i])
    else:
        for i in todo:
            results[i] = _lower_one(*inputs[i])
    models, failed = [], []
    todo_set = set(todo)
    for i, outcome in enumerate(results):
        if isinstance(outcome, FileModel):
            models.append(outcome)
            if cache and i in todo_set:
                cache.put(*inputs[i], outcome)
        elif isinstance(outcome, Unreadable):
            failed.append(outcome.finding)
        else:
            problems.internal_errors.append(outcome)
    return models, failed
