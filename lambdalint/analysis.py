"""The analysis of one run: lower every file (in parallel, cached), build the index, run the rules.

Loaded only when a run has something to analyse: a run the findings cache
answers never imports the parsers, the index or the rules.
"""
from __future__ import annotations

import gc
import os
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Optional, Union

from lambdalint import project, source_text
from lambdalint.cache import ModelCache
from lambdalint.checking import check_files, relative
from lambdalint.catalog import default_catalog
from lambdalint.config import Config
from lambdalint.durable.scope import classification
from lambdalint.frontends import ParseError, lower
from lambdalint.iac import IacProject, add_cdk, handler_specs, load_iac
from lambdalint.index import ProjectIndex
from lambdalint.model import FileModel, Finding, Language, Severity, Span
from lambdalint.result import RunProblems, RunResult
from lambdalint.rules import ALL_RULES, ProjectContext, ProjectRule

_PARALLEL_THRESHOLD = 24
_CHUNKS_PER_WORKER = 12


@dataclass
class Unreadable:
    """A file that produced no model: the E901/E902 finding that stands for it."""

    finding: Finding


def check_all(paths, config: Config, inputs, context, unreadable: list[Finding], named, templates,
               cache: Optional[ModelCache], jobs: int, result: RunResult, problems: RunProblems) -> list[list]:
    """Lower, index and check; fills `result` and gives the project's durable functions (for `--verbose`)."""
    reportable = project.reportable(config)
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
    iac = _read_iac(paths, templates, config, models + elsewhere, result, problems)
    everything = sorted(models + elsewhere, key=lambda m: m.path)
    index = ProjectIndex(everything, catalog, list(config.handlers) + handler_specs(iac), iac=iac)
    if _read_cdk(iac, index, {**{d: s for d, _, s in context}, **result.sources}, problems):
        index = ProjectIndex(everything, catalog, list(config.handlers) + handler_specs(iac), iac=iac)
    problems.warnings.extend(f"handlers: {entry!r} names no function in the project"
                             for entry in index.unmatched_handler_names(config.handlers))

    # Another cloud's code (`provider.name: google`) is judged by no Lambda rule, and its syntax is that
    # cloud's runtime's (Python 2.7 on Kubeless): only its unreadable files are reported.
    findings: list[Finding] = [f for f in unreadable if _enabled(config, f)
                               and not (f.code == "E901" and index.other_cloud(f.path))]
    findings.extend(f for f in iac.errors if _enabled(config, f))
    findings.extend(check_files(models, index, config, result, problems, jobs))
    scope = project.Scope(named)
    findings.extend(f for f in _check_project(models + elsewhere, index, config, result, problems)
                    if (f.path in result.sources or scope.covers(f.path)) and reportable(f.path)
                    and not index.other_cloud(f.path))
    result.findings = sorted(findings, key=lambda f: (f.path, f.span.line, f.span.column, f.code))
    for finding in result.findings:  # templates with findings get code frames too
        if finding.path not in result.sources and finding.path in iac.texts:
            result.sources[finding.path] = iac.texts[finding.path]
    if not any(config.is_enabled(rule.id) for rule in ALL_RULES if rule.id.startswith("DF")):
        return []
    return [list(row) for row in classification(index)]


def _read_iac(paths, templates, config: Config, models, result: RunResult, problems: RunProblems) -> IacProject:
    """Templates, `serverless.yml` and CDK apps, read once: their handlers join the index."""
    try:
        return load_iac(paths, config, models, result.sources, templates)
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
    return config.is_enabled(finding.code) and not config.ignored_for_path(finding.code, relative(config, finding.path))


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
    return [f for f in found if not config.ignored_for_path(f.code, relative(config, f.path))]


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
            _lower_in_parallel(inputs, shipped, local, results, workers)
        except (OSError, RuntimeError):  # no process support here: what is left is lowered in this process
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


def _lower_in_parallel(inputs, shipped: list[int], local: list[int], results: list, workers: int) -> None:
    """Python files over `workers - 1` processes and this one, JS/TS files here.

    This process is one of the `workers`: what it lowers itself is never
    pickled, and the processes never outnumber the cores asked for. The
    largest Python files go first, in small chunks, to the workers; this
    process takes the JS/TS files and then the smallest chunks, so all of
    them finish together.
    """
    chunks = deque(_chunks(sorted(shipped, key=lambda i: -len(inputs[i][2])), inputs, workers))
    own = deque(local)
    pending: deque = deque()
    with ProcessPoolExecutor(max_workers=workers - 1, initializer=_worker_init) as pool:
        while chunks or own or pending:
            while chunks and len(pending) < 2 * (workers - 1):  # each worker has its next chunk waiting
                chunk = chunks.popleft()
                pending.append((chunk, pool.submit(_lower_chunk, [inputs[i] for i in chunk])))
            while pending and pending[0][1].done():
                chunk, future = pending.popleft()
                _results_of(chunk, future.result(), results)
            if own:
                i = own.popleft()
                results[i] = _lower_one(*inputs[i])
            elif chunks:
                for i in chunks.pop():
                    results[i] = _lower_one(*inputs[i])
            elif pending:
                chunk, future = pending.popleft()
                _results_of(chunk, future.result(), results)


def _chunks(ordered: list[int], inputs, workers: int) -> list[list[int]]:
    """Runs of files of about the same size in bytes (a chunk of the largest files holds only a few)."""
    target = max(1, sum(len(inputs[i][2]) for i in ordered) // (workers * _CHUNKS_PER_WORKER))
    chunks, current, size = [], [], 0
    for i in ordered:
        current.append(i)
        size += len(inputs[i][2])
        if size >= target:
            chunks.append(current)
            current, size = [], 0
    if current:
        chunks.append(current)
    return chunks


def _results_of(chunk: list[int], outcomes: list, results: list) -> None:
    for i, outcome in zip(chunk, outcomes):
        results[i] = outcome


def _lower_chunk(items: list) -> list:
    return [_lower_one(*item) for item in items]


def _worker_init() -> None:
    """A worker keeps only the file it is lowering: collecting its little heap is cheap, and without it
    the small cycles each lowering leaves pile up (the workers inherit the paused collector)."""
    gc.set_threshold(10_000, 10, 10)
    gc.enable()
