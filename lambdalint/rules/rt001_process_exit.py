"""RT001 process-exit."""
from __future__ import annotations

from typing import Iterator

from lambdalint.file_apis import may_call
from lambdalint.model import ArgKind, Call, Finding, Severity
from lambdalint.rules import register
from lambdalint.rules.base import ALL_LANGUAGES, Context, Rule
from lambdalint.rules.describe import call_name
from lambdalint.rules.runtime_roles import in_hook


@register
class ProcessExit(Rule):
    """A call that ends the process in handler code or at a handler module's init: the runtime exits with it."""

    id = "RT001"
    name = "process-exit"
    severity = Severity.ERROR
    languages = ALL_LANGUAGES

    def check(self, ctx: Context) -> Iterator[Finding]:
        model, index = ctx.file, ctx.index
        if model.is_test or not index.handlers:
            return  # with no handler known, nothing says this is Lambda code rather than a script
        if not may_call(index, model, "process_exit"):
            return
        for call in model.calls:
            entry = index.api(model, call, "process_exit")
            if entry is None or call.in_main_guard:
                continue
            if entry.get("self_only") and not self._targets_itself(ctx, call):
                continue
            if in_hook(index, model, call.function):
                continue  # a signal / exit hook: the process is ending anyway
            fix = ("raise an exception or return an error response" if model.language.value == "python" else
                   "throw an error or return an error response")
            if call.function is None:
                if not index.in_lambda_scope(model.path, None):
                    continue
                yield self.finding(ctx, call.span, (
                    f"{call_name(call)} at module level of a handler module runs at init: the runtime exits "
                    f"before any invocation (Runtime.ExitError). Fix: {fix}"))
                continue
            handler = index.handler_for(model.path, call.function)
            if handler is None:
                continue  # code no handler reaches (a CLI script): exiting is its business
            yield self.finding(ctx, call.span, (
                f"{call_name(call)} ends the runtime process: the invocation fails (Runtime.ExitError) and the "
                f"next one cold-starts; reached from handler `{handler.name}`. Fix: {fix}"),
                handler=handler.name)

    def _targets_itself(self, ctx: Context, call: Call) -> bool:
        """`process.kill(process.pid)` / `os.kill(os.getpid(), …)`: killing another process is not an exit."""
        positional = [a for a in call.args if a.keyword is None]
        if not positional:
            return False
        arg = positional[0]
        if arg.kind is ArgKind.NAME:
            return ctx.index.api_of_path(ctx.file, call.function, arg.text, "own_process_id") is not None
        if arg.kind is ArgKind.CALL and arg.call is not None:
            return ctx.index.api(ctx.file, ctx.file.calls[arg.call], "own_process_id") is not None
        return False
