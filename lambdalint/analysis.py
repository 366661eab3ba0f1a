"""The analysis of one run: build the index from every file's model (`lowering`), run the rules.

Loaded only when a run has something to analyse: a run the findings cache
answers never imports the parsers, the index or the rules.
"""
from __future__ import annotations

from lambdalint import project
from lambdalint.checking import check_files, relative
from lambdalint.catalog import default_catalog
from lambdalint.config import Config
from lambdalint.durable.scope import classification
from lambdalint.iac import IacProject, add_cdk, handler_specs, load_iac
from lambdalint.index import ProjectIndex
from lambdalint.lowering import Lowering
from lambdalint.model import FileModel, Finding
from lambdalint.result import RunProblems, RunResult
from lambdalint.rules import ALL_RULES, ProjectContext, ProjectRule


def check_all(paths, config: Config, lowering: Lowering, inputs, unreadable: list[Finding], named, templates,
              jobs: int, result: RunResult, problems: RunProblems) -> list[list]:
    """Index and check the models of `lowering` (`inputs` and the project's other files); fills `result`
    and gives the project's durable functions (for `--verbose`)."""
    reportable = project.reportable(config)
    lowered_problems = RunProblems()  # only the reported files' problems are the user's
    lowered, failed = lowering.models(lowered_problems)
    if lowering.cache is not None:
        lowering.cache.prune()
    models = [m for m in lowered if m.path in result.sources]
    elsewhere = [m for m in lowered if m.path not in result.sources]
    failed = [f for f in failed if f.path in result.sources]
    problems.internal_errors.extend(e for e in lowered_problems.internal_errors
                                    if e.split(": could not be analysed: ", 1)[0] in result.sources)
    unreadable.extend(failed)
    result.files_checked = len(inputs) + len(unreadable) - len(failed)

    for model in models + elsewhere:
        model.is_test = project.is_project_test_file(model.path, config.root)
    catalog = default_catalog().with_user_settings(config.async_apis, config.safe_calls, config.apis)
    iac = _read_iac(paths, templates, config, models + elsewhere, result, problems)
    everything = sorted(models + elsewhere, key=lambda m: m.path)
    index = ProjectIndex(everything, catalog, list(config.handlers) + handler_specs(iac), iac=iac)
    if _read_cdk(iac, index, {d: s for d, _, s in lowering.inputs}, problems):
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
