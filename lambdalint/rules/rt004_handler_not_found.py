"""RT004 handler-not-found."""
from __future__ import annotations

from typing import Iterator

from lambdalint.iac.resolve import MISSING
from lambdalint.model import Finding, Severity
from lambdalint.rules import register
from lambdalint.rules.base import ALL_LANGUAGES, ProjectContext, ProjectRule


@register
class HandlerNotFound(ProjectRule):
    """A `Handler` in IaC that names a module or function that does not exist, resolved as the runtime resolves it."""

    id = "RT004"
    name = "handler-not-found"
    severity = Severity.ERROR
    languages = ALL_LANGUAGES

    def check_project(self, ctx: ProjectContext) -> Iterator[Finding]:
        iac = getattr(ctx.index, "iac", None)
        if iac is None:
            return
        for fn in iac.functions:
            if fn.quiet:
                continue
            resolution = iac.resolution(fn)
            if resolution is None or resolution.status != MISSING:
                continue
            where = fn.handler
            if fn.source == "cdk" and fn.entry_located and not (resolution.file and fn.handler):
                where = fn.entry_located  # the entry file itself is missing
            if where is None:
                continue
            inherited = " (inherited from Globals)" if where.path == fn.path and not (
                fn.span.line <= where.span.line <= fn.span.end_line) else ""
            label = f"`{where.value}`{inherited} ({fn.logical_id})" if fn.source != "cdk" else fn.logical_id
            fix = resolution.fix or ("name a module and function that exist" if fn.source != "cdk" else
                                     "point `entry` / `handler` at a file and export that exist")
            yield self.finding_at(where.path, where.span, (
                f"{label}: {resolution.reason}; every invocation fails at init. Fix: {fix}"))
