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

from lambdalint import project, source_text
from lambdalint.cache import ModelCache, cache_folder, settings_hash
from lambdalint.catalog import default_catalog
from lambdalint.config import Config
from lambdalint.discovery import SourceFile, discover, display_path, language_for
from lambdalint.frontends import ParseError, lower
from lambdalint.iac import IacProject, add_cdk, handler_specs, load_iac
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
    catalog = default_catalog().with_user_settings(config.async_apis, config.safe_calls, config.apis)
    iac = _read_iac(paths if stdin_source is None else [], config, models + elsewhere, result, problems)
    everything = sorted(models + elsewhere, key=lambda m: m.path)
    index = ProjectIndex(everything, catalog, list(config.handlers) + handler_specs(iac), iac=iac)
    if _read_cdk(iac, index, {**{d: s for d, _, s in context}, **result.sources}, problems):
        index = ProjectIndex(everything, catalog, list(config.handlers) + handler_specs(iac), iac=iac)
    problems.warnings.extend(f"handlers: {entry!r} names no function in the project"
                             for entry in index.unmatched_handler_names(config.handlers))

    findings: list[Finding] = [f for f in unreadable + iac.errors if _enabled(config, f)]
    for model in models:
        findings.extend(_check_file(model, index, config, result, problems))
    scope = project.Scope(named)
    findings.extend(f for f in _check_project(models + elsewhere, index, config, result, problems)
                    if (f.path in result.sources or scope.covers(f.path)) and reportable(f.path))
    if any(config.is_enabled(rule.id) for rule in ALL_RULES if rule.id.startswith("DF")):
        from lambdalint.durable.scope import classification

        result.durable_functions = [row for row in classification(index) if row[0] in result.sources]
    result.findings = sorted(findings, key=lambda f: (f.path, f.span.line, f.span.column, f.code))
    for finding in result.findings:  # templates with findings get code frames too
        if finding.path not in result.sources and finding.path in iac.texts:
            result.sources[finding.path] = iac.texts[finding.path]
    result.execution_successful = not problems.internal_errors
    gc.unfreeze()
    return result, problems


def _reportable(config: Config):
    """Test files are indexed but reported only with `check-tests` (they run in no Lambda)."""
    if config.check_tests:
        return lambda path: True
    return lambda path: not project.is_project_test_file(path, config.root)


def _read_iac(paths, config: Config, models, result: RunResult, problems: RunProblems) -> IacProject:
    """Templates, `serverless.yml` and CDK apps, read once: their handlers join the index."""
    try:
        return load_iac(paths, config, models, result.sources)
    except Exception as error:  # an IaC reader bug must not cost the user the rest of the run
        problems.internal_errors.append(f"infrastructure code could not be read: {type(error).__name__}: {error}")
        return IacProject()


def _read_cdk(iac: IacProject, index: ProjectIndex, sources: dict[str, str], problems: RunProblems) -> bool:
    """CDK apps, read once the index can evaluate their props; True when they name handlers it lacks."""
    try:
        return add_cdk(iac, index, sources)
    except Exception as error:  # an IaC reader bug must not cost the user the rest of the run
        problems.internal_errors.append(f"CDK code could not be read: {type(error).__name__}: {error}")
        return False


def _enabled(config: Config, finding: Finding) -> bool:
    return config.is_enabled(finding.code) and not config.ignored_for_path(finding.code, _relative(config, finding.path))


def _relative(config: Config, path: str) -> str:
    try:
        return Path(os.path.relpath(os.path.realpath(path), os.path.realpath(config.root))).as_posix()
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
    """The file's text, or the E902 finding that explains why there is none (see `source_text`)."""
    try:
        return source_text.decode(source_text.read_bytes(path, MAX_FILE_BYTES), language_for(str(path)))
    except source_text.Unreadable as error:
        return _e902(display, str(error))


def _e902(display: str, reason: str) -> Finding:
    return Finding("E902", f"unreadable file: {reason}", Severity.ERROR, display, Span(1, 1, 1, 1))


# ----------------------------------------------------------------- lowering
def _lower_one(display: str, language: Language, source: str) -> Union[FileModel, Unreadable, str]:
    try:
        return lower(source, display, language)
    except ParseError as error:
        message, line, column = str(error), error.line or 1, error.column or 1
        cpython = source_text.python_syntax_error(source, display) if language is Language.PYTHON else None
        if cpython is not None:
            message, line, column = cpython
        return Unreadable(Finding("E901", f"syntax error: {message}", Severity.ERROR, display,
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
            # The models live for the whole run: frozen, no collection walks them again (with collection
            # paused they all sit in the youngest generation, and the next collections would walk them
            # three times over). `run` unfreezes them at the end.
            gc.freeze()
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
    # Workers pay for themselves on Python (libcst's parse dominates); a JS/TS model costs more to ship
    # back than tree-sitter takes to build it, so JS/TS is lowered here, meanwhile.
    shipped = [i for i in todo if inputs[i][1] is Language.PYTHON]
    local = [i for i in todo if inputs[i][1] is not Language.PYTHON]
    if workers > 1 and len(shipped) >= _PARALLEL_THRESHOLD:
        try:
            with ProcessPoolExecutor(max_workers=workers, initializer=_worker_init) as pool:
                chunk = max(1, len(shipped) // (workers * 4))
                lowered = pool.map(_lower_one, *zip(*(inputs[i] for i in shipped)), chunksize=chunk)
                for i in local:
                    results[i] = _lower_one(*inputs[i])
                local = []
                for i, outcome in zip(shipped, lowered):
                    results[i] = outcome
            shipped = []
        except (OSError, RuntimeError):  # no process support here: fall back to one process
            pass
    for i in shipped + local:
        if results[i] is None:
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


def _worker_init() -> None:
    """A worker keeps only the file it is lowering: collecting its little heap is cheap, and without it
    the small cycles each lowering leaves pile up (the workers inherit the paused collector)."""
    gc.set_threshold(10_000, 10, 10)
    gc.enable()
