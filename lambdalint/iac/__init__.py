"""The IaC reader: the functions a project deploys, read from its templates, `serverless.yml` and CDK code.

Read once per run, before the project index is built, so that the handlers
the IaC names join the handler set (with their runtimes). Nothing is
executed; a template that cannot be parsed is one E901 finding and the rest
of the run goes on.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Optional

from lambdalint.discovery import display_path
from lambdalint.iac.cdk import read_cdk
from lambdalint.iac.cloudformation import is_cloudformation, read_cloudformation
from lambdalint.iac.discover import MAX_TEMPLATE_BYTES, find_templates, kind_of
from lambdalint.iac.records import IacFunction, IacProject, Layer, Located
from lambdalint.iac.resolve import FOUND, Resolution, Resolver
from lambdalint.iac.serverless import is_serverless, read_serverless
from lambdalint.iac.yaml_reader import TemplateError, parse_template
from lambdalint.model import FileModel, Finding, Severity, Span

if TYPE_CHECKING:
    from lambdalint.config import Config

__all__ = ["IacFunction", "IacProject", "Layer", "Located", "Resolution", "load_iac", "read_template"]


def load_iac(paths: Iterable[Path], config: "Config", models: list[FileModel],
             sources: dict[str, str]) -> IacProject:
    tops = [Path(p) for p in paths if str(p) != "-"] or [config.root]
    project = IacProject()
    for template in find_templates(tops, config):
        read_template(project, template)
    by_path = {m.path: m for m in models}
    try:
        project.functions.extend(read_cdk(by_path, sources))
    except RecursionError:  # pragma: no cover - defensive: CDK code is read from models only
        pass
    resolver = Resolver(by_path)
    for fn in project.functions:
        project.resolutions[id(fn)] = resolver.resolve(fn)
    return project


def read_template(project: IacProject, absolute: str) -> None:
    display = display_path(absolute)
    try:
        if os.path.getsize(absolute) > MAX_TEMPLATE_BYTES:
            return
        with open(absolute, "rb") as handle:
            data = handle.read()
        text = data.decode("utf-8-sig").replace("\r\n", "\n")
    except (OSError, UnicodeDecodeError):
        return
    folder = os.path.dirname(absolute)
    name = os.path.basename(absolute).lower()
    try:
        root = parse_template(text, is_json=name.endswith(".json"))
    except TemplateError as error:
        if _looks_like_iac(text, name):
            project.errors.append(Finding(
                "E901", f"template could not be parsed: {error}; its functions were not checked",
                Severity.ERROR, display, Span(error.line, error.column, error.line, error.column)))
        return
    project.templates.append(display)
    if kind_of(name) == "serverless":
        if is_serverless(root):
            project.functions.extend(read_serverless(root, display, folder))
        return
    if is_cloudformation(root):
        functions, layers = read_cloudformation(root, display, folder)
        project.functions.extend(functions)
        for logical_id, layer in layers.items():
            project.layers[(display, logical_id)] = layer


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
