"""DF003 env-read-in-orchestration."""
from __future__ import annotations

from typing import Iterator

from lambdalint.durable.apis import api, api_of_path, call_text
from lambdalint.durable.facts import step_call, where
from lambdalint.durable.scope import Kind, durable_scope
from lambdalint.model import Finding, Severity, Use
from lambdalint.rules import register
from lambdalint.rules.base import ALL_LANGUAGES, Context, Rule


@register
class EnvReadInOrchestration(Rule):
    """An environment read inside orchestration code can see a different value on a later replay."""

    id = "DF003"
    name = "env-read-in-orchestration"
    severity = Severity.WARNING
    languages = ALL_LANGUAGES

    def check(self, ctx: Context) -> Iterator[Finding]:
        scope = durable_scope(ctx.index)
        model = ctx.file
        if not scope.touches(model.path):
            return
        reported_calls = set()
        for ref in model.names:
            if ref.function is None or scope.kind_of(model.path, ref.function) is not Kind.ORCHESTRATION:
                continue
            if api_of_path(ctx.index, model, ref.function, ref.name, "env") is None:
                continue
            if ref.disposition.use is Use.RECEIVER and ref.disposition.consumer is not None:
                reported_calls.add(ref.disposition.consumer)
            yield self._finding(ctx, ref.span, f"`{ref.name}`", ref.function)
        for call in model.calls:
            if call.function is None or call.id in reported_calls:
                continue
            if scope.kind_of(model.path, call.function) is not Kind.ORCHESTRATION:
                continue
            if api(ctx.index, model, call, "env") is not None:
                yield self._finding(ctx, call.span, call_text(call), call.function)

    def _finding(self, ctx: Context, span, text: str, fid: int) -> Finding:
        message = (f"{text} reads the environment {where(ctx.index, ctx.file.path, fid)}; a replay after the "
                   "configuration changes sees the new value and can take another path. "
                   f"Fix: capture it with {step_call(ctx.index, ctx.file, fid)} (or read it once at module level)")
        return self.finding(ctx, span, message, handler=ctx.handler_name(fid))
