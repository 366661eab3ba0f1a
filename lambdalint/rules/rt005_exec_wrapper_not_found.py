"""RT005 exec-wrapper-not-found."""
from __future__ import annotations

import os
from typing import Iterator, Optional

from lambdalint.iac.records import IacFunction, IacProject
from lambdalint.model import Finding, Language, Severity
from lambdalint.rules import register
from lambdalint.rules.base import ProjectContext, ProjectRule
from lambdalint import observe

WRAPPER = "AWS_LAMBDA_EXEC_WRAPPER"
TASK, OPT = "/var/task/", "/opt/"


@register
class ExecWrapperNotFound(ProjectRule):
    """`AWS_LAMBDA_EXEC_WRAPPER` names a file the deployed function will not have: the runtime exits at init."""

    id = "RT005"
    name = "exec-wrapper-not-found"
    severity = Severity.ERROR
    languages = frozenset(Language)

    def check_project(self, ctx: ProjectContext) -> Iterator[Finding]:
        iac: Optional[IacProject] = getattr(ctx.index, "iac", None)
        if iac is None:
            return
        for fn in iac.functions:
            if fn.quiet:
                continue
            wrapper = fn.environment.get(WRAPPER)
            runtime = fn.runtime_name
            if wrapper is None or not runtime or runtime.startswith("provided") or fn.image:
                continue  # OS-only runtimes ignore the variable
            value = wrapper.value
            if value.startswith(TASK):
                verdict = self._in_code(fn, value[len(TASK):])
            elif value.startswith(OPT):
                verdict = self._in_layers(iac, fn, value[len(OPT):])
            else:
                continue
            if verdict is None:
                continue
            problem, file = verdict
            if problem == "missing":
                yield self.finding_at(wrapper.path, wrapper.span, (
                    f"{WRAPPER} `{value}` ({fn.logical_id}) {file}: the bootstrap exits 127 (\"does not exist\") "
                    "at init and every invocation fails. Fix: ship the script or fix the path"))
            else:
                yield self.finding_at(wrapper.path, wrapper.span, (
                    f"{WRAPPER} `{value}` ({fn.logical_id}): `{file}` is not executable, so the bootstrap exits 126 "
                    "at init. Fix: `chmod +x` it and commit the mode (`git update-index --chmod=+x`)"),
                    severity=Severity.WARNING)

    def _in_code(self, fn: IacFunction, rel: str):
        if fn.code_root is None or fn.inline or fn.build or not observe.isdir(fn.code_root) or not rel:
            return None  # built code: the package is not the folder
        path = os.path.join(fn.code_root, rel)
        return self._check(path, "is not in the function's code folder")

    def _in_layers(self, iac: IacProject, fn: IacFunction, rel: str):
        if fn.layers_unknown:
            return None
        if not fn.layers:
            return "missing", "points into /opt but the function has no layers"
        folders = []
        for logical_id in fn.layers:
            layer = iac.layers.get((fn.path, logical_id)) if logical_id else None
            if layer is None or layer.content_dir is None or not observe.isdir(layer.content_dir):
                return None  # a layer we cannot see into could provide it
            folders.append(layer.content_dir)
        for folder in reversed(folders):  # later layers overwrite earlier ones
            path = os.path.join(folder, rel)
            if observe.exists(path):
                return self._check(path, "")
        return "missing", "is in none of the function's layers"

    def _check(self, path: str, missing: str):
        if not observe.isfile(path):
            return ("missing", missing) if not observe.exists(path) else None
        executable = observe.executable(path)
        if executable is False:
            return "not-executable", os.path.basename(path)
        return None
