"""DF014 suspension-swallowed."""
from __future__ import annotations

from typing import Iterator, Optional

from lambdalint.model import Call, Finding, Region, RegionKind, Severity
from lambdalint.rules import register
from lambdalint.rules.base import PYTHON_ONLY, Context, Rule
from lambdalint.rules.durable_ops import in_step_body, op_name, operation_reached, scope_of, short


@register
class SuspensionSwallowed(Rule):
    """A bare `except:` / `except BaseException` around durable operations, without a re-raise, swallows the SDK's suspension."""

    id = "DF014"
    name = "suspension-swallowed"
    severity = Severity.ERROR
    languages = PYTHON_ONLY

    def check(self, ctx: Context) -> Iterator[Finding]:
        reported: set = set()
        scope = scope_of(ctx)
        if not scope.touches(ctx.file.path):
            return
        for call in ctx.file.calls:
            if call.function is None or scope.kind_of(ctx.file.path, call.function) is None:
                continue
            if in_step_body(ctx, call.function):
                continue  # an operation there is DF009's; a step body's own exceptions are ordinary ones
            through = None
            if scope.operation(ctx.file, call) is None:
                ref = ctx.index.resolve_callee(ctx.file, call)
                if ref is None or ref.kind != "function":
                    continue
                through = operation_reached(ctx, ref.path, ref.fid)
                if through is None:
                    continue
            clause = self._swallowing(ctx, call)
            if clause is None or clause.id in reported:
                continue
            reported.add(clause.id)
            yield self._finding(ctx, call, clause, through)

    def _swallowing(self, ctx: Context, call: Call) -> Optional[Region]:
        """The innermost `except` clause that catches the suspension raised at `call` and does not re-raise it."""
        structure = ctx.structure
        for region in structure.enclosing_regions(call):
            if region.kind is RegionKind.WITH and self._suppressor(ctx, region) is not None:
                return region
            if region.kind is not RegionKind.TRY:
                continue
            for rid in ctx.file.constructs[region.construct].regions:
                clause = ctx.file.regions[rid]
                if clause.kind is not RegionKind.HANDLER or not self._catches(ctx, clause):
                    continue
                if not clause.handler.reraises:
                    return clause
                break  # re-raised: the suspension goes on to the next try out
        return None

    @staticmethod
    def _catches(ctx: Context, clause: Region) -> bool:
        handler = clause.handler
        if handler is None or handler.star:
            return False
        if handler.bare:
            return True
        for written in handler.types:
            ref = ctx.index.resolve_path(ctx.file, clause.function, written)
            name = ctx.index.qualified(ref)
            if name and ctx.index.catalog.categories.first("suspension_catching", False, name) is not None:
                return True
        return False

    def _suppressor(self, ctx: Context, region: Region) -> Optional[Call]:
        """`with contextlib.suppress(BaseException):`: the suppressing call, when it is given a type that
        catches the suspension."""
        model = ctx.file
        for item in model.constructs[region.construct].items:
            for cid in item.calls:
                candidate = model.calls[cid]
                if ctx.index.api(model, candidate, "exception_suppressor") is None:
                    continue
                for arg in candidate.args:
                    ref = ctx.index.resolve_path(model, candidate.function, arg.text) if arg.text else None
                    name = ctx.index.qualified(ref)
                    if name and ctx.index.catalog.categories.first("suspension_catching", False, name) is not None:
                        return candidate
        return None

    def _finding(self, ctx: Context, call: Call, clause: Region, through: Optional[Call]) -> Finding:
        handler = clause.handler
        what = op_name(call) if through is None else f"{op_name(call)} (through {op_name(through)})"
        if handler is None:  # `with suppress(BaseException):`
            suppressor = self._suppressor(ctx, clause)
            shown = short(f"{suppressor.callee}({', '.join(a.text for a in suppressor.args)})", 50)
            message = (f"`with {shown}` around {what} swallows the SDK's `SuspendExecution`: the operation "
                       "never suspends and the execution goes on as if it had finished. Fix: suppress `Exception`")
            return self.finding(ctx, call.span, message, handler=ctx.handler_name(call.function))
        types = ", ".join(handler.types) if len(handler.types) == 1 else f"({', '.join(handler.types)})"
        caught = "a bare `except:`" if handler.bare else f"`except {short(types, 40)}`"
        if handler.raises:
            effect = "the suspension becomes another exception and the execution fails"
        else:
            effect = "the operation never suspends and the execution goes on as if it had finished"
        message = (f"{caught} around {what} catches the SDK's `SuspendExecution`: {effect}. "
                   "Fix: catch `Exception`, or re-raise")
        return self.finding(ctx, call.span, message, handler=ctx.handler_name(call.function))
