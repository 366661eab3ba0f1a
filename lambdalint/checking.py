"""The per-file rules over every reported file: in this process, or in a large project in forked ones too.

Forked workers inherit the index (and the models) without copying or shipping
anything, check their share of the files and send back only findings. The
index's answers do not depend on the order files are checked in, so the
findings are those of one process.
"""
from __future__ import annotations

import multiprocessing
import os
from pathlib import Path
from typing import Optional

from lambdalint.config import Config
from lambdalint.index import ProjectIndex
from lambdalint.model import FileModel, Finding, Language, Notification
from lambdalint.result import RunProblems, RunResult
from lambdalint.rules import ALL_RULES, Context, ProjectRule
from lambdalint.suppress import apply_suppressions, parse_suppressions

# Below this many files a second process costs more than it saves: forking copies the pages the
# worker touches, and the rules of a project of some hundred files take a fraction of a second.
PARALLEL_FILES = 2000
# What the forked workers check: set just before forking, read by `_check_share`.
_SHARED: Optional[tuple[list[FileModel], ProjectIndex, Config]] = None
_Outcome = tuple[int, list[Finding], list[Notification], list[str]]


def check_files(models: list[FileModel], index: ProjectIndex, config: Config, result: RunResult,
                problems: RunProblems, jobs: int) -> list[Finding]:
    """The findings of the per-file rules, in `models` order; notifications and rule failures go to
    `result` and `problems` in that order too."""
    workers = jobs or os.cpu_count() or 1
    outcomes = None
    if workers > 1 and len(models) >= PARALLEL_FILES and "fork" in multiprocessing.get_all_start_methods():
        outcomes = _in_processes(models, index, config, workers)
    if outcomes is None:
        outcomes = _check_share(list(range(len(models))), models, index, config)
    found: list[Finding] = []
    for _i, findings, notifications, errors in sorted(outcomes, key=lambda o: o[0]):
        found.extend(findings)
        result.notifications.extend(notifications)
        problems.internal_errors.extend(errors)
    return found


def _in_processes(models, index, config, workers: int) -> Optional[list[_Outcome]]:
    """Check the first file of each language here (the project-wide structures the rules build on first
    use, such as the durable scope, are then built once, before the fork), then share out the rest."""
    global _SHARED
    firsts = sorted({m.language: i for i, m in reversed(list(enumerate(models)))}.values())
    outcomes = _check_share(firsts, models, index, config)
    checked = set(firsts)
    rest = [i for i in range(len(models)) if i not in checked]
    shares = [rest[k::workers] for k in range(workers)]
    _SHARED = (models, index, config)
    try:
        with multiprocessing.get_context("fork").Pool(workers - 1) as pool:
            pending = pool.map_async(_check_forked, shares[1:])
            outcomes += _check_share(shares[0], models, index, config)
            for part in pending.get():
                outcomes += part
    except (OSError, RuntimeError, multiprocessing.ProcessError):  # no processes here: check the rest in this one
        done = {o[0] for o in outcomes}
        outcomes += _check_share([i for i in rest if i not in done], models, index, config)
    finally:
        _SHARED = None
    return outcomes


def _check_forked(share: list[int]) -> list[_Outcome]:
    models, index, config = _SHARED
    return _check_share(share, models, index, config)


def _check_share(share: list[int], models, index, config) -> list[_Outcome]:
    outcomes = []
    rules = file_rules(config)
    for i in share:
        result, problems = RunResult(), RunProblems()
        findings = check_file(models[i], index, config, result, problems, rules)
        outcomes.append((i, findings, result.notifications, problems.internal_errors))
    return outcomes


def file_rules(config: Config) -> dict:
    """Language -> the enabled per-file rules for it, in registry order (asked once per run, not per file)."""
    enabled = [r for r in ALL_RULES if not issubclass(r, ProjectRule) and config.is_enabled(r.id)]
    return {language: [r for r in enabled if language in r.languages] for language in Language}


def check_file(model: FileModel, index: ProjectIndex, config: Config, result: RunResult,
               problems: RunProblems, rules: Optional[dict] = None) -> list[Finding]:
    if index.other_cloud(model.path):
        return []  # a Google / Azure / OpenWhisk… service's code: no Lambda rule applies to it
    ctx = Context(model, index, config)
    found: list[Finding] = []
    for rule_class in (rules or file_rules(config))[model.language]:
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
    found = [f for f in found if not config.ignored_for_path(f.code, relative(config, f.path))]
    return apply_suppressions(found, parse_suppressions(model.comments))




def relative(config: Config, path: str) -> str:
    try:
        return Path(os.path.relpath(os.path.realpath(path), os.path.realpath(config.root))).as_posix()
    except ValueError:
        return Path(path).as_posix()
