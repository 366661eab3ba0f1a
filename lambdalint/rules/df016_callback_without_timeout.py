"""DF016 callback-without-timeout."""
from __future__ import annotations

from typing import Iterator, Optional

from lambdalint.model import Finding, Language, Severity
from lambdalint.rules import register
from lambdalint.rules.base import ALL_LANGUAGES, Context, Rule
from lambdalint.rules.durable_ops import op_name, operations
from lambdalint.values import ABSENT, UNKNOWN, CallValue, ObjectValue, call_argument, call_of, resolve_value

_OPERATION_PREFIX = "DurableContext#"


@register
class CallbackWithoutTimeout(Rule):
    """A callback (`waitForCallback`, `createCallback`, Python `create_callback` / `wait_for_callback`) without a timeout."""

    id = "DF016"
    name = "callback-without-timeout"
    severity = Severity.WARNING
    languages = ALL_LANGUAGES

    def check(self, ctx: Context) -> Iterator[Finding]:
        python = ctx.file.language is Language.PYTHON
        categories = ctx.index.catalog.categories
        for call, op in operations(ctx):
            entry = categories.first("callback_operation", not python, _OPERATION_PREFIX + op.method)
            if entry is None or any(a.spread for a in call.args):
                continue
            key = str(entry.get("key", "timeout"))
            config = op.config_arg
            if config is None:
                why = "has no config"
            else:
                resolved = resolve_value(ctx.index, ctx.file, call.function, config)
                why = self._python_config(ctx, resolved, key) if python else self._js_config(resolved, key)
                if why is None:
                    continue
            if python:
                fix = "pass `config=CallbackConfig(timeout=Duration.from_hours(24))`"
            else:
                fix = "pass a config with `timeout: { hours: 24 }`"
            message = (f"{op_name(call)} {why}: it waits until the execution times out (up to a year) if no "
                       f"answer comes. Fix: {fix}")
            yield self.finding(ctx, call.span, message, handler=ctx.handler_name(call.function))

    @staticmethod
    def _js_config(resolved, key: str) -> Optional[str]:
        if not isinstance(resolved, ObjectValue):
            return None
        value = resolved.get(key)
        if value is ABSENT:
            return f"has a config without `{key}`"
        if value is None:
            return f"has `{key}: undefined`"
        return None

    def _python_config(self, ctx: Context, resolved, key: str) -> Optional[str]:
        if resolved is None:
            return "has `config=None`"
        if not isinstance(resolved, CallValue):
            return None
        model, config_call = call_of(ctx.index, resolved)
        entry = ctx.index.api(model, config_call, "callback_config")
        if entry is None:
            return None
        position = entry.get("position")
        timeout = call_argument(ctx.index, model, config_call, position=None if position is None else int(position),
                                keyword=key)
        if timeout is ABSENT:
            return f"has a config without `{key}` (the default means none)"
        if timeout is UNKNOWN:
            return None
        if self._is_zero(ctx, timeout):
            return f"has a zero `{key}`, which means none"
        return None

    @staticmethod
    def _is_zero(ctx: Context, value) -> bool:
        """`Duration()`, `Duration(seconds=0)`, `Duration.from_hours(0)`."""
        if not isinstance(value, CallValue):
            return False
        model, call = call_of(ctx.index, value)
        entry = ctx.index.api(model, call, "durable_duration")
        if entry is None:
            return False
        if entry.get("arg") is not None:
            amount = call_argument(ctx.index, model, call, position=int(entry.get("arg")))
        else:
            amount = call_argument(ctx.index, model, call, position=0, keyword=entry.get("keyword"))
            if amount is ABSENT and entry.get("default_zero"):
                return True
        return isinstance(amount, (int, float)) and not isinstance(amount, bool) and amount == 0
