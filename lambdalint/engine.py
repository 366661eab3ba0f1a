"""Runs one check: read, lower (in parallel, cached), index, rules, suppressions.

Bad input never stops the run: a file that cannot be read becomes E902, one
that cannot be parsed E901, and every other file is still linted.
"""
from __future__ import annotations

import gc
import hashlib
import os
import pickle
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Union

from lambdalint import __version__, source_text
from lambdalint.catalog import default_catalog
from lambdalint.config import Config
from lambdalint.discovery import SourceFile, discover, is_test_file, language_for
from lambdalint.frontends import ParseError, lower
from lambdalint.index import ProjectIndex
from lambdalint.model import FileModel, Finding, Language, Notification, Severity, Span
from lambdalint.result import RunResult
from lambdalint.rules import ALL_RULES, Context, ProjectContext, ProjectRule
from lambdalint.suppress import apply_suppressions, parse_suppressions

MAX_FILE_BYTES = 10 * 1024 * 1024
_PARALLEL_THRESHOLD = 24
_CACHE_DIR = ".lambdalint_cache"


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
    problems = RunProblems()
    result = RunResult(root=config.root)
    if stdin_source is not None:
        name = stdin_filename or "-"
        language = language_for(name) or Language.PYTHON
        inputs = [(name, language, stdin_source)]
        unreadable: list[Finding] = []
    else:
        files, warnings = discover(paths, config)
        problems.warnings.extend(warnings)
        inputs, unreadable = _read_all(files)
    for display, _language, source in inputs:
        result.sources[display] = source
    models, failed = _lower_all(inputs, config.root, use_cache, jobs, problems)
    unreadable.extend(failed)
    result.files_checked = len(inputs) + len(unreadable) - len(failed)

    for model in models:
        model.is_test = is_test_file(model.path)
    catalog = default_catalog().with_user_settings(config.async_apis, config.safe_calls, config.apis)
    index = ProjectIndex(models, catalog, config.handlers)
    problems.warnings.extend(f"handlers: {entry!r} names no function in the project"
                             for entry in index.unmatched_handler_names())

    findings: list[Finding] = [f for f in unreadable if _enabled(config, f)]
    for model in models:
        findings.extend(_check_file(model, index, config, result, problems))
    findings.extend(_check_project(models, index, config, result, problems))
    result.findings = sorted(findings, key=lambda f: (f.path, f.span.line, f.span.column, f.code))
    result.execution_successful = not problems.internal_errors
    return result, problems


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


def _lower_all(inputs, root: Path, use_cache: bool, jobs: int, problems: RunProblems):
    """Lower every input once; the garbage collector is paused meanwhile (the models hold no cycles worth
    collecting, and libcst's many short-lived nodes make collections frequent and slow)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _lower_inputs(inputs, root, use_cache, jobs, problems)
    finally:
        if collecting:
            gc.enable()


def _lower_inputs(inputs, root: Path, use_cache: bool, jobs: int, problems: RunProblems):
    cache = _Cache(root) if use_cache else None
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
    for i, outcome in enumerate(results):
        if isinstance(outcome, FileModel):
            models.append(outcome)
            if cache and i in todo:
                cache.put(*inputs[i], outcome)
        elif isinstance(outcome, Unreadable):
            failed.append(outcome.finding)
        else:
            problems.internal_errors.append(outcome)
    return models, failed


class _Cache:
    """File models keyed by content hash, so an unchanged file is never parsed twice.

    Lives in `.lambdalint_cache/` under the project root; any problem with it
    (read-only folder, corrupt entry) silently falls back to parsing.
    """

    def __init__(self, root: Path):
        self.folder = root / _CACHE_DIR / __version__

    def _key(self, display: str, language: Language, source: str) -> Path:
        digest = hashlib.sha256(f"{display}\0{language.value}\0".encode() + source.encode("utf-8", "surrogatepass"))
        return self.folder / f"{digest.hexdigest()}.pickle"

    def get(self, display: str, language: Language, source: str) -> Optional[FileModel]:
        try:
            with open(self._key(display, language, source), "rb") as handle:
                model = pickle.load(handle)
            return model if isinstance(model, FileModel) else None
        except Exception:
            return None

    def put(self, display: str, language: Language, source: str, model: FileModel) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            ignore = self.folder.parent / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# created by lambdalint\n*\n", encoding="utf-8")
            fd, tmp = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(model, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self._key(display, language, source))
        except Exception:
            pass
