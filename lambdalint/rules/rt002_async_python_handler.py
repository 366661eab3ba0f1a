"""RT002 async-python-handler."""
from __future__ import annotations

from typing import Iterator, Optional

from lambdalint.index import Ref
from lambdalint.model import FileModel, Finding, Function, Severity
from lambdalint.rules import register
from lambdalint.rules.base import PYTHON_ONLY, Context, Rule
from lambdalint.rules.runtime_roles import (called_by_project_code, deployed_as_other_code, handler_functions,
                                            export_name, iac_runtimes)

ADAPTER, SYNC, UNKNOWN = "adapter", "sync", "unknown"


@register
class AsyncPythonHandler(Rule):
    """An `async def` Lambda handler without an adapter: the runtime calls it synchronously and the body never runs."""

    id = "RT002"
    name = "async-python-handler"
    severity = Severity.ERROR
    languages = PYTHON_ONLY

    def check(self, ctx: Context) -> Iterator[Finding]:
        model, index = ctx.file, ctx.index
        for handler, fn in handler_functions(model, index):
            if not fn.is_async or fn.is_generator:
                continue
            named = bool(iac_runtimes(index, handler)) or self._configured(ctx, handler)
            if not named and (not _looks_like_lambda_handler(fn) or called_by_project_code(index, model, fn)
                              or deployed_as_other_code(index, handler)):
                continue  # found by its name only, and other code calls it: a coroutine a real handler runs
            verdicts = [self._decorator(ctx, fn, d.callee) for d in fn.decorators]
            if any(v != SYNC for v in verdicts):
                continue  # an adapter runs the coroutine, or a decorator we cannot judge
            yield self.finding(ctx, fn.name_span or fn.span, (
                f"`async def {fn.name}` is a Lambda handler, but the Python runtime calls it synchronously: it gets "
                "a coroutine, the body never runs and the invocation fails. Fix: make it `def` and run the async "
                "code with `asyncio.run()`"), handler=handler.name)

    def _configured(self, ctx: Context, handler) -> bool:
        name = export_name(handler)
        return any(entry == name or entry.endswith(("." + name, ":" + name)) for entry in ctx.config.handlers)

    def _decorator(self, ctx: Context, fn: Function, callee: str) -> str:
        index, model = ctx.index, ctx.file
        ref = index.resolve_path(model, fn.parent, callee)
        if ref is None:
            return UNKNOWN
        if ref.kind == "function":
            return ADAPTER if _runs_event_loop(ctx, ref) else UNKNOWN
        name = index.qualified(ref)
        categories = index.catalog.categories
        if categories.first("async_handler_adapter", False, name):
            return ADAPTER
        if categories.first("sync_handler_decorator", False, name):
            return SYNC
        return UNKNOWN


def _runs_event_loop(ctx: Context, ref: Ref) -> bool:
    """A project decorator that runs the coroutine: some call in it (or its inner wrapper) is an event-loop runner."""
    index = ctx.index
    target: FileModel = index.files[ref.path]
    inside = {ref.fid}
    for fn in target.functions:
        if any(parent.id in inside for parent in target.enclosing_functions(fn.parent)):
            inside.add(fn.id)
    categories = index.catalog.categories
    for call in target.calls:
        if call.function in inside and (index.api(target, call, "event_loop_runner") is not None or
                                        categories.first("event_loop_runner", False, f"?#{call.method}")):
            return True
    return False


def _looks_like_lambda_handler(fn: Function) -> Optional[bool]:
    """Found by name only: `lambda_handler`, or the `(event, context)` signature (not `handler(websocket, path)`)."""
    if fn.name == "lambda_handler":
        return True
    names = [p.name.lower() for p in fn.params]
    return len(names) >= 2 and ("event" in names[0] or "context" in names[1] or names[1] in ("ctx", "_ctx", "_"))
