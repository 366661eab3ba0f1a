"""DF015 step-callable-invoked."""
from __future__ import annotations

from typing import Iterator, Optional

from lambdalint.model import Arg, ArgKind, Call, Container, Finding, Language, Severity, Use
from lambdalint.rules import register
from lambdalint.rules.base import ALL_LANGUAGES, Context, Rule
from lambdalint.rules.durable_ops import (callback_function, operations, positional_arity, returns_callable, scope_of,
                                         short)

_OPERATION_PREFIX = "DurableContext#"
_NOT_CALLABLE = {ArgKind.STRING: "a string", ArgKind.NUMBER: "a number", ArgKind.BOOL: "a boolean",
                 ArgKind.OBJECT: "an object", ArgKind.ARRAY: "a list"}


@register
class StepCallableInvoked(Rule):
    """A durable operation's function slot given a call's result (the call runs eagerly, on every replay) or an unfit function."""

    id = "DF015"
    name = "step-callable-invoked"
    severity = Severity.ERROR
    languages = ALL_LANGUAGES

    def check(self, ctx: Context) -> Iterator[Finding]:
        python = ctx.file.language is Language.PYTHON
        categories = ctx.index.catalog.categories
        for call, op in operations(ctx):
            entry = categories.first("durable_callable", not python, _OPERATION_PREFIX + op.method)
            if entry is None:
                continue
            slots = [op.callback_arg] if op.callback_arg is not None else []
            inner_calls: list[Call] = []
            branches = op.args.get("branches")
            if python and branches is not None and branches.kind is ArgKind.ARRAY:
                inner_calls = [c for c in ctx.file.calls if c.disposition.use is Use.ARGUMENT
                               and c.disposition.consumer == call.id and c.disposition.container is Container.ARRAY]
                slots += [Arg(ArgKind.FUNCTION, "", function=fn.id) for fn in ctx.file.functions
                          if fn.disposition is not None and fn.disposition.use is Use.ARGUMENT
                          and fn.disposition.consumer == call.id and fn.disposition.container is Container.ARRAY]
            elif branches is not None:
                slots.append(branches)
            literal = op.callback_arg
            if literal is not None and literal.kind in _NOT_CALLABLE:
                yield self._literal(ctx, call, op, literal)
            for arg in slots:
                if arg.kind is ArgKind.CALL:
                    inner_calls.append(ctx.file.calls[arg.call])
                elif arg.kind is ArgKind.NAME and callback_function(ctx, call, arg) is None:
                    origin = ctx.index.value_origin(ctx.file, call.function, arg.text)
                    if origin is not None and scope_of(ctx).operation(ctx.file, origin) is None:
                        inner_calls.append(origin)  # `const p = charge(order); ctx.step("c", p)`
                elif python:
                    finding = self._uncalled_factory(ctx, call, op, arg) or self._arity(ctx, call, op, arg, entry)
                    if finding is not None:
                        yield finding
            for inner in inner_calls:
                finding = self._eager(ctx, call, op, inner, entry, python)
                if finding is not None:
                    yield finding

    def _eager(self, ctx: Context, call: Call, op, inner: Call, entry, python: bool) -> Optional[Finding]:
        """`context.step(charge(order))`: `charge` runs now; the step receives what it returns."""
        if ctx.index.async_kind(ctx.file, inner) is not None:
            gives = "a promise" if not python else "a coroutine"
        else:
            ref = ctx.index.resolve_callee(ctx.file, inner)
            if ref is None or ref.kind != "function" or returns_callable(ctx.index, ref.path, ref.fid) is not False:
                return None
            gives = "a value that is not a function"
        name = short(inner.callee, 30)
        if python:
            decorator = entry.get("decorator")
            fix = (f"decorate `{name}` with `{decorator}`, or pass `lambda _: {name}(…)`" if decorator
                   else f"pass a function that calls `{name}(…)`")
        else:
            fix = f"pass a function: `() => {name}(…)`"
        message = (f"`{name}(…)` runs now, outside the `{op.method}` and on every replay, and hands it {gives}, "
                   f"so it fails. Fix: {fix}")
        return self.finding(ctx, inner.span, message, handler=ctx.handler_name(call.function))

    def _literal(self, ctx: Context, call: Call, op, arg: Arg) -> Finding:
        """`ctx.waitForCallback("approval", 86400)`, Python `context.step("charge", charge)`: not a function."""
        what = _NOT_CALLABLE[arg.kind]
        python = ctx.file.language is Language.PYTHON
        fix = ("pass the function first and the name as `name=`" if python and arg.kind is ArgKind.STRING
               else "pass the function the operation runs")
        message = (f"`{op.method}` is given {what} where it expects the function to run, so it fails when it "
                   f"calls it. Fix: {fix}")
        return self.finding(ctx, arg.span or call.span, message, handler=ctx.handler_name(call.function))

    def _uncalled_factory(self, ctx: Context, call: Call, op, arg: Arg) -> Optional[Finding]:
        """`context.step(stamp)` with `@durable_step def stamp(…)`: the decorator makes `stamp` a factory, so
        the operation runs the factory and gets a function back instead of the result."""
        if arg.kind is not ArgKind.NAME:
            return None
        target = callback_function(ctx, call, arg)
        if target is None:
            return None
        decorator = next((label for fid, _kind, label in scope_of(ctx).bodies(target[0])
                          if fid == target[1] and label.startswith("@")), None)
        if decorator is None:
            return None
        name = short(arg.text, 30)
        message = (f"`{name}` is a `{decorator}` factory: `{op.method}` calls it as its function and gets a "
                   f"function back instead of the result, so it fails. Fix: call it, `{name}(…)`")
        return self.finding(ctx, arg.span or call.span, message, handler=ctx.handler_name(call.function))

    def _arity(self, ctx: Context, call: Call, op, arg: Arg, entry) -> Optional[Finding]:
        """`context.step(lambda: 5)`: the SDK calls the function with arguments it cannot take."""
        expected = entry.get("arity")
        target = callback_function(ctx, call, arg)
        if expected is None or target is None:
            return None
        fn = ctx.index.files[target[0]].functions[target[1]]
        if fn.decorators:
            return None
        params = list(fn.params)
        if fn.class_name and params and params[0].name in ("self", "cls"):
            return None  # a bound method: lambdalint does not know how it is bound
        required, maximum = positional_arity(fn)
        expected = int(expected)
        if required <= expected and (maximum is None or maximum >= expected):
            return None
        what = "a lambda" if fn.name is None or fn.kind.value == "lambda" else f"`{fn.name}`"
        takes = f"{maximum}" if maximum == required else f"{required}–{maximum}"
        message = (f"{what} taking {takes} argument(s) is given to `{op.method}`, which calls it with {expected}: "
                   f"it fails with a TypeError at run time. Fix: accept {expected} argument(s) "
                   f"(`lambda {self._params(expected)}: …`)")
        span = arg.span or fn.span
        return self.finding(ctx, span, message, handler=ctx.handler_name(call.function))

    @staticmethod
    def _params(n: int) -> str:
        return ", ".join(["_"] + [f"_{i}" for i in range(1, n)]) if n else ""
