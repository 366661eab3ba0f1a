"""RT003 callback-style-handler."""
from __future__ import annotations

from typing import Iterator

from lambdalint.model import Finding, Function, Severity
from lambdalint.rules import register
from lambdalint.rules.base import JS_ONLY, Context, Rule
from lambdalint.rules.runtime_roles import (deployed_as_other_code, handler_functions, iac_runtimes,
                                            runtime_at_least)

_REJECTING_MAJOR = 24


def arity(fn: Function) -> int:
    """`Function.length`: the parameters before the first one with a default or a rest parameter."""
    count = 0
    for param in fn.params:
        if param.has_default or param.is_rest:
            break
        count += 1
    return count


_WEB_FIRST = frozenset({"req", "request", "_req"})
_WEB_SECOND = frozenset({"res", "response", "reply", "_res", "h"})


def _web_framework_signature(fn: Function) -> bool:
    names = [p.name for p in fn.params]
    return len(names) >= 2 and (names[0] in _WEB_FIRST or names[1] in _WEB_SECOND)


@register
class CallbackStyleHandler(Rule):
    """A non-streaming Node handler declared with 3+ parameters: the nodejs24.x runtime rejects it."""

    id = "RT003"
    name = "callback-style-handler"
    severity = Severity.ERROR
    languages = JS_ONLY

    def check(self, ctx: Context) -> Iterator[Finding]:
        model, index = ctx.file, ctx.index
        for handler, fn in handler_functions(model, index):
            if arity(fn) < 3:
                continue  # a wrapper (`streamifyResponse`, middy) decides the arity the runtime sees
            runtimes = iac_runtimes(index, handler)
            if not runtimes and (_web_framework_signature(fn) or deployed_as_other_code(index, handler)):
                continue  # found by name only: a web framework's `handler(req, res, next)`, or not an entry point
            rejected = [r for r in runtimes if runtime_at_least(r, "nodejs", _REJECTING_MAJOR)]
            fix = "Fix: make it `async (event, context)` and return the result"
            name = f"`{handler.name}`"
            where = fn.name_span or fn.span
            if rejected:
                yield self.finding(ctx, where, (
                    f"handler {name} takes a callback (3+ parameters): the {rejected[0]} runtime rejects callback "
                    f"handlers and every invocation fails. {fix}"), handler=handler.name)
            else:
                runtime = next((r for r in runtimes if r), None)
                on = f" on {runtime}" if runtime else ""
                yield self.finding(ctx, where, (
                    f"handler {name} takes a callback (3+ parameters){on}: Node.js 24+ rejects callback handlers, "
                    f"so a runtime upgrade breaks every invocation. {fix}"),
                    handler=handler.name, severity=Severity.WARNING)
