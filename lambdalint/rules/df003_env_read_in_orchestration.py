"""DF003 env-read-in-orchestration."""
from __future__ import annotations

from typing import Iterator, Optional

from lambdalint.durable.apis import api, api_of_path, call_text
from lambdalint.durable.facts import step_call, where
from lambdalint.durable.logged_values import log_calls, logged_at
from lambdalint.durable.scope import Kind, durable_scope
from lambdalint.model import ArgKind, Call, Finding, NameRef, Severity, Use
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
        loggers: dict = {}
        for ref in model.names:
            if ref.function is None or scope.kind_of(model.path, ref.function) is not Kind.ORCHESTRATION:
                continue
            if api_of_path(ctx.index, model, ref.function, ref.name, "env") is None:
                continue
            if ref.disposition.use is Use.RECEIVER and ref.disposition.consumer is not None:
                reported_calls.add(ref.disposition.consumer)
            if self._constant(ctx, self._read_variable(ctx, ref)) or self._logged(ctx, loggers, ref.function, ref.span):
                continue
            yield self._finding(ctx, ref.span, f"`{ref.name}`", ref.function)
        for call in model.calls:
            if call.function is None or call.id in reported_calls:
                continue
            if scope.kind_of(model.path, call.function) is not Kind.ORCHESTRATION:
                continue
            if api(ctx.index, model, call, "env") is not None:
                if self._constant(ctx, self._call_variable(ctx, call)) or \
                        self._logged(ctx, loggers, call.function, call.span):
                    continue
                yield self._finding(ctx, call.span, call_text(call), call.function)

    @staticmethod
    def _constant(ctx: Context, variable: Optional[str]) -> bool:
        """A runtime variable that is the same on every replay (`AWS_REGION`)."""
        return variable is not None and ctx.index.catalog.categories.first(
            "replay_constant_env", ctx.file.language.is_js, variable) is not None

    def _read_variable(self, ctx: Context, ref: NameRef) -> Optional[str]:
        """The variable a read names: `process.env.X`, `os.environ["X"]`, `os.environ.get("X")`."""
        model = ctx.file
        if ref.key:
            return ref.key
        if ref.disposition.use is Use.RECEIVER and ref.disposition.consumer is not None:
            return self._call_variable(ctx, model.calls[ref.disposition.consumer])
        entry = api_of_path(ctx.index, model, ref.function, ref.name, "env_variable")
        prefix = entry.get("prefix") if entry is not None else None
        if not prefix:
            return None
        qualified = ctx.index.qualified(ctx.index.resolve_path(model, ref.function, ref.name)) or ""
        rest = qualified[len(prefix):] if qualified.startswith(prefix) else ""
        return rest if rest and "." not in rest else None

    @staticmethod
    def _call_variable(ctx: Context, call: Call) -> Optional[str]:
        entry = ctx.index.api(ctx.file, call, "env_variable")
        if entry is None or entry.get("arg") is None:
            return None
        position = int(entry.get("arg"))
        positional = [a for a in call.args if a.keyword is None]
        if position >= len(positional) or positional[position].kind is not ArgKind.STRING:
            return None
        value = positional[position].value
        return value if isinstance(value, str) else None

    def _logged(self, ctx: Context, loggers: dict, fid: int, span) -> bool:
        """A value only written to a log line (a plain or the context's own logger) decides nothing on replay."""
        if fid not in loggers:
            loggers[fid] = log_calls(ctx.index, ctx.file, fid)
        return logged_at(ctx.index, ctx.file, fid, span, loggers[fid])

    def _finding(self, ctx: Context, span, text: str, fid: int) -> Finding:
        message = (f"{text} reads the environment {where(ctx.index, ctx.file.path, fid)}: a replay after a "
                   "configuration change sees the new value and can take another path. "
                   f"Fix: capture it with {step_call(ctx.index, ctx.file, fid)} or read it at module level")
        return self.finding(ctx, span, message, handler=ctx.handler_name(fid))
