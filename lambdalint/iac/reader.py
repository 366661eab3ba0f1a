"""Reading the IaC: the functions a project deploys, from its templates, `serverless.yml` and CDK code.

Nothing is executed; a template that cannot be parsed is one E901 finding and
the rest of the run goes on.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Optional

from lambdalint.discovery import display_path
from lambdalint.iac.cdk import read_cdk
from lambdalint.iac.cloudformation import is_cloudformation, read_cloudformation
from lambdalint.iac.discover import kind_of, read_template_text, templates_of_run
from lambdalint.iac.providers import claim_lambda_code
from lambdalint.iac.records import IacProject
from lambdalint.iac.resolve import FOUND, Resolution, Resolver
from lambdalint.iac.serverless import AWS, is_serverless, read_serverless, service_provider
from lambdalint.iac.yaml_reader import TemplateError, parse_template
from lambdalint.model import FileModel, Finding, Severity, Span

if TYPE_CHECKING:
    from lambdalint.config import Config


def load_iac(paths: Iterable[Path], config: "Config", models: list[FileModel],
             sources: dict[str, str], templates: Optional[list[tuple[str, bool]]] = None) -> IacProject:
    """Read the run's templates (`templates_of_run`, unless given) and resolve their handlers."""
    project = IacProject()
    for template, shown in templates_of_run(paths, config) if templates is None else templates:
        read_template(project, template, quiet=not shown)
    resolver = Resolver({m.path: m for m in models})
    for fn in project.functions:
        project.resolutions[id(fn)] = resolver.resolve(fn)
    claim_lambda_code(project, project.functions)
    return project


def add_cdk(project: IacProject, index, sources: dict[str, str]) -> bool:
    """Read the CDK apps among the indexed files (their props through the index's value resolution).

    True when they name handlers the index does not have yet, or claim code the index took for another
    cloud's: the index must then be built again with them.
    """
    functions = read_cdk(index, sources)
    if not functions:
        return False
    before = set(handler_specs(project))
    resolver = Resolver(index.files)
    for fn in functions:
        project.functions.append(fn)
        project.resolutions[id(fn)] = resolver.resolve(fn)
    if claim_lambda_code(project, functions):
        return True
    known = {(h.path, h.name.rsplit(".", 1)[-1]) for h in index.handlers}
    return any(tuple(spec.rsplit(":", 1)) not in known for spec in set(handler_specs(project)) - before)


def read_template(project: IacProject, absolute: str, quiet: bool = False) -> None:
    display = display_path(absolute)
    text = read_template_text(absolute)
    if text is None:
        return
    folder = os.path.dirname(absolute)
    name = os.path.basename(absolute).lower()
    project.texts[display] = text
    try:
        root = parse_template(text, is_json=name.endswith(".json"))
    except TemplateError as error:
        if _looks_like_iac(text, name) and not quiet:
            project.errors.append(Finding(
                "E901", f"template could not be parsed: {error}; its functions were not checked",
                Severity.ERROR, display, Span(error.line, error.column, error.line, error.column)))
        return
    project.templates.append(display)
    functions, layers = [], {}
    try:
        if kind_of(name) == "serverless":
            if is_serverless(root):
                provider = service_provider(root)
                if provider != AWS:
                    project.other_clouds.setdefault(folder, provider)  # its code is no Lambda code
                else:
                    project.aws_folders.add(folder)
                functions = read_serverless(root, display, folder)
        elif is_cloudformation(root):
            project.aws_folders.add(folder)
            functions, layers = read_cloudformation(root, display, folder)
    except (TemplateError, RecursionError) as error:  # values are read lazily: a budget may run out here
        if not quiet:
            project.errors.append(Finding("E901", f"template could not be read: {error}", Severity.ERROR, display,
                                          Span(1, 1, 1, 1)))
        return
    for logical_id, layer in layers.items():
        project.layers[(display, logical_id)] = layer
    for fn in functions:
        fn.quiet = quiet
    project.functions.extend(functions)


def _looks_like_iac(text: str, name: str) -> bool:
    if kind_of(name) == "serverless":
        return "functions" in text or "service" in text
    return "AWSTemplateFormatVersion" in text or "AWS::" in text or "Resources" in text


def handler_specs(project: IacProject) -> list[str]:
    """`path/to/file.py:name` entries for the project index: the handlers the IaC names."""
    specs = []
    for fn in project.functions:
        resolution: Optional[Resolution] = project.resolution(fn)
        if resolution is not None and resolution.file and resolution.export and resolution.status == FOUND:
            specs.append(f"{resolution.file}:{resolution.export}")
    return sorted(set(specs))


def runtimes_of(project: Optional[IacProject], path: str, export: str) -> list[Optional[str]]:
    """The runtimes the IaC deploys `export` of file `path` with (None for an unknown runtime)."""
    if project is None:
        return []
    out = []
    for fn in project.functions:
        resolution = project.resolution(fn)
        if resolution is not None and resolution.file == path and resolution.export == export:
            out.append(fn.runtime_name)
    return out
