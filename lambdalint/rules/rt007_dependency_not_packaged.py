"""RT007 dependency-not-packaged."""
from __future__ import annotations

import os
from collections import defaultdict
from typing import Iterator, Optional

from lambdalint.deploy.init_modules import init_imports, init_modules, inside, project_target
from lambdalint.deploy.layers import layer_folders, layer_provides
from lambdalint.deploy.manifests import Manifest, node_manifest, normalise, python_manifest
from lambdalint.deploy.runtime_provided import (node_package, node_provided, python_distributions,
                                                python_parents, python_provided)
from lambdalint.iac.records import IacFunction
from lambdalint.deploy.deployed import deployed_functions
from lambdalint.model import ConstructKind, FileModel, Finding, Import, Language, Severity
from lambdalint.rules import register
from lambdalint.rules.base import ProjectContext, ProjectRule
from lambdalint import observe


@register
class DependencyNotPackaged(ProjectRule):
    """A module imported at init that the deployed function will not have: `Runtime.ImportModuleError`."""

    id = "RT007"
    name = "dependency-not-packaged"
    severity = Severity.ERROR
    languages = frozenset(Language)

    def check_project(self, ctx: ProjectContext) -> Iterator[Finding]:
        missing: dict[tuple[str, int], list[tuple[IacFunction, str, str]]] = defaultdict(list)
        imports: dict[tuple[str, int], tuple[FileModel, Import]] = {}
        handler_of: dict[tuple[str, int], str] = {}
        for deployed in deployed_functions(ctx.index):
            fn, resolution = deployed.function, deployed.resolution
            if fn.code_root is None or fn.build or fn.inline or not observe.isdir(fn.code_root):
                continue  # bundled code carries what it imports (or fails to build, loudly)
            layers = layer_folders(deployed.iac, fn)
            if layers is None:
                continue  # a layer we cannot see into may provide anything
            for path in init_modules(ctx.index, resolution.file, within=fn.code_root):
                model = ctx.index.files[path]
                for imp in init_imports(model):
                    if _guarded(model, imp):
                        continue  # `try: import x except ImportError:` — the code copes without it
                    problem = self._problem(ctx, fn, model, imp, layers)
                    if problem is not None:
                        key = (path, imp.span.line)
                        missing[key].append((fn, *problem))
                        handler_of.setdefault(key, deployed.handler_name)
                        imports[key] = (model, imp)
        for key, entries in sorted(missing.items()):
            model, imp = imports[key]
            fn, module, where = entries[0]
            names = ", ".join(dict.fromkeys(f"`{f.logical_id}`" for f, _, _ in entries))
            message = (f"`{module}` is imported at init but {names} will not have it ({where}): every cold start "
                       f"fails with `Runtime.ImportModuleError`. Fix: add it to the function's dependencies")
            yield self.finding_at(model.path, imp.span, message, handler=handler_of[key])

    def _problem(self, ctx: ProjectContext, fn: IacFunction, model: FileModel, imp: Import,
                 layers: list[str]) -> Optional[tuple[str, str]]:
        target = project_target(ctx.index, model, imp)
        if target is not None and inside(target, fn.code_root):
            return None
        if model.language is Language.PYTHON:
            return self._python(ctx, fn, imp, layers)
        return self._node(ctx, fn, imp, layers)

    def _python(self, ctx: ProjectContext, fn: IacFunction, imp: Import, layers: list[str]):
        if imp.level or not imp.module:
            return None
        top = imp.module.split(".", 1)[0]
        if python_provided(top) or top in fn.plugin_modules or _in_code_folder(fn.code_root, top, python=True):
            return None
        manifest = python_manifest(fn.code_root, _deploy_root(ctx, fn))
        if manifest is None or manifest.opaque or _listed(manifest, python_distributions(top)):
            return None
        if _resembles(top, manifest):
            return None  # a distribution named like the module probably provides it (`aurora-dsql-…`)
        if any(parent in manifest.dependencies for parent in python_parents(top)):
            return None  # installed as a dependency of a listed distribution
        if layer_provides(layers, top, python=True):
            return None
        return top, f"not in {manifest.name}, not in the runtime"

    def _node(self, ctx: ProjectContext, fn: IacFunction, imp: Import, layers: list[str]):
        package = node_package(imp.module)
        if package is None:
            return None
        provided = node_provided(package, fn.runtime_name)
        if provided is None or provided:
            return None
        if _in_code_folder(fn.code_root, package, python=False):
            return None
        manifest = node_manifest(fn.code_root, _deploy_root(ctx, fn))
        if manifest is None or manifest.opaque or package in manifest.dependencies:
            return None
        if manifest.installs(package):
            return None  # a dependency of a dependency: installed all the same
        if layer_provides(layers, package, python=False):
            return None
        if package in manifest.dev:
            return package, "only in devDependencies, which are not deployed"
        runtime = f" on {fn.runtime_name}" if fn.runtime_name and package == "aws-sdk" else ""
        return package, f"not in {manifest.name} dependencies, not in the runtime{runtime}"


def _deploy_root(ctx: ProjectContext, fn: IacFunction) -> str:
    """Where the build looks for the function's manifest: SAM, CloudFormation and CDK assets use the code
    folder's own; the Serverless Framework the service folder (the template's) and up to it."""
    if fn.source != "serverless":
        return fn.code_root
    template = fn.path if os.path.isabs(fn.path) else os.path.join(str(ctx.root), fn.path)
    return os.path.dirname(os.path.abspath(template))


def _guarded(model: FileModel, imp: Import) -> bool:
    """The import sits inside a module-level `try` or `if` (an optional or version-dependent dependency)."""
    for construct in model.constructs:
        if construct.function is None and construct.kind in (ConstructKind.TRY, ConstructKind.IF) and _contains(
                construct.span, imp.span):
            return True
    return False


def _contains(outer, inner) -> bool:
    return not inner.before(outer) and (inner.end_line, inner.end_column) <= (outer.end_line, outer.end_column)


def _resembles(module: str, manifest: Manifest) -> bool:
    """Import names and distribution names often differ; a listed distribution that shares the module's
    name or its first word (`jwt` / `pyjwt`, `aurora_dsql_psycopg2` / `aurora-dsql-python-connector`),
    or whose words the module runs together (`linebot` / `line-bot-sdk`), may be the one that provides
    it, so the verdict is unknown."""
    wanted = normalise(module)
    first = wanted.split("-", 1)[0]
    joined = wanted.replace("-", "")
    for name in manifest.dependencies:
        if wanted in name or name in wanted or (len(first) >= 4 and name.split("-", 1)[0] == first):
            return True
        if len(joined) >= 4 and joined in name.replace("-", ""):
            return True  # the words run together in the module: `linebot` / `line-bot-sdk`
    return False


def _listed(manifest: Manifest, names: list[str]) -> bool:
    return any(name in manifest.dependencies for name in names)


def _in_code_folder(code_root: str, module: str, python: bool) -> bool:
    """Vendored into the package: a folder or module of that name beside the handler."""
    if python:
        return (observe.isdir(os.path.join(code_root, module)) or observe.isfile(os.path.join(code_root, module + ".py"))
                or any(name.startswith(module) and name.endswith((".so", ".pyd"))
                       for name in _listing(code_root)))
    return False


def _listing(folder: str) -> list[str]:
    try:
        return observe.listdir(folder)
    except OSError:
        return []
