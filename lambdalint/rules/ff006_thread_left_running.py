"""FF006 thread-left-running."""
from __future__ import annotations

from typing import Iterator, Optional

from lambdalint.model import ArgKind, Call, Finding, Severity, Use
from lambdalint.rules import register
from lambdalint.rules.base import PYTHON_ONLY, Context, Rule
from lambdalint.rules.describe import call_name
from lambdalint.rules.paths import waited_on_every_path
from lambdalint.rules.pending import (
    compose,
    handler_name,
    handler_note,
    lost_at_return,
    returner,
)

_FREEZES = "it freezes with the environment"


@register
class ThreadLeftRunning(Rule):
    """A thread, process or executor job started in handler code and not joined before the handler returns."""

    id = "FF006"
    name = "thread-left-running"
    severity = Severity.ERROR
    languages = PYTHON_ONLY

    def check(self, ctx: Context) -> Iterator[Finding]:
        for call in ctx.file.calls:
            if call.in_main_guard or not lost_at_return(ctx, call.function):
                continue
            entry = ctx.index.api(ctx.file, call, "thread_start")
            if entry is not None:
                message = self._thread(ctx, call, entry)
            else:
                entry = ctx.index.api(ctx.file, call, "executor_submit")
                message = self._job(ctx, call, entry) if entry is not None else None
            if message:
                yield self.finding(ctx, call.span, message, handler=handler_name(ctx, call.function))

    # `t.start()` / `Thread(...).start()`
    def _thread(self, ctx: Context, call: Call, entry) -> Optional[str]:
        model = ctx.file
        what = str(entry.get("what", "thread"))
        receiver = call.receiver
        joins: list = []
        if call.receiver_call is not None:
            constructor = model.calls[call.receiver_call]
        elif receiver and "?" not in receiver and not receiver.endswith("()"):
            if self._escapes(ctx, call, receiver):
                return None
            join_methods = entry.get("joins", ())
            joins = [c for c in model.calls if c.function == call.function and c.receiver == receiver
                     and c.method in join_methods]
            if "." in receiver and self._owned_elsewhere(ctx, call, receiver, join_methods):
                return None
            if joins and waited_on_every_path(model, call, joins):
                return None
            constructor = ctx.index.value_origin(model, call.function, receiver)
        else:
            return None
        daemon = self._daemon(ctx, call, constructor, receiver, str(entry.get("daemon", "")))
        where = "on every path before returning" if joins else f"before {returner(ctx)} returns"
        if daemon:
            head = f"{call_name(call)} starts a daemon {what} not joined {where}: daemons freeze too"
        else:
            head = f"{call_name(call)} starts a {what} not joined {where}: {_FREEZES}"
        return compose(head, handler_note(ctx, call.function), "`join()` it before returning (in `finally`)")

    def _owned_elsewhere(self, ctx: Context, call: Call, receiver: str, join_methods) -> bool:
        """`self._thread` joined by another method (`close()`, `stop()`), or `lane._thread` of an object
        handed on (`return lane`): the owner's caller decides when it is joined."""
        attr = receiver.rsplit(".", 1)[1]
        for c in ctx.file.calls:
            if c.method in join_methods and c.receiver and c.receiver.rsplit(".", 1)[-1] == attr and c is not call:
                if c.function != call.function:
                    return True
        return self._escapes(ctx, call, receiver.split(".", 1)[0])

    def _daemon(self, ctx: Context, call: Call, constructor: Optional[Call], receiver: Optional[str],
                keyword: str) -> bool:
        if not keyword:
            return False
        if constructor is not None and any(a.keyword == keyword and a.kind is ArgKind.BOOL and a.value is True
                                           for a in constructor.args):
            return True
        if receiver:
            return any(b.name == f"{receiver}.{keyword}" and b.has_literal and b.value_literal is True
                       and b.function == call.function for b in ctx.file.bindings)
        return False

    def _escapes(self, ctx: Context, call: Call, receiver: str) -> bool:
        """The thread object is handed to other code (a list joined later, a helper, the caller)."""
        for ref in ctx.file.names:
            if ref.name != receiver or ref.function != call.function:
                continue
            use = ref.disposition.use
            if use is Use.ARGUMENT and ctx.file.calls[ref.disposition.consumer].callee in (
                    ctx.index.catalog.inspecting_calls):
                continue  # `print(t)`, `logger.info(t)` only look at it
            if use in (Use.RETURNED, Use.YIELDED, Use.ARGUMENT, Use.ITERATED):
                return True
            if use is Use.ASSIGNED and ref.disposition.target != receiver:
                return True
        return False

    # `pool.submit(f)` / `pool.map(f, xs)` / `loop.run_in_executor(None, f)`
    def _job(self, ctx: Context, call: Call, entry) -> Optional[str]:
        model = ctx.file
        partly = False
        if ctx.settlement.of_call(call).settled:
            if not self._waited_on_some_path_only(ctx, call):
                return None
            partly = True
        receiver = call.receiver
        slot = entry.get("executor")
        if isinstance(slot, int):
            pool = call.args[slot] if slot < len(call.args) else None
            if pool is None or pool.kind is ArgKind.NONE:
                return None  # the default executor: `asyncio.run` waits for it when the coroutine returns
            receiver = pool.text if pool.kind is ArgKind.NAME else None
        if receiver:
            if self._waits_at_block_end(ctx, call, receiver):
                return None
            shutdowns = [c for c in model.calls if c.receiver == receiver
                         and self._waiting_shutdown(ctx, c)]
            if any(c.function == call.function for c in shutdowns) and waited_on_every_path(
                    model, call, [c for c in shutdowns if c.function == call.function]):
                return None
            if "." in receiver and shutdowns:
                return None
        if entry.get("awaitable"):
            head = f"{call_name(call)} runs a job on an executor and its future is not awaited: {_FREEZES}"
            fix = "`await` it"
        elif partly:
            head = f"{call_name(call)} queues a job whose future is not waited for on every path: {_FREEZES}"
            fix = "`.result()` it before every return (in `finally`)"
        else:
            head = f"{call_name(call)} queues a job on a pool that nothing waits for: {_FREEZES}"
            fix = "`.result()` or `wait()` it, or submit inside `with ThreadPoolExecutor() as pool:`"
        return compose(head, handler_note(ctx, call.function), fix)

    def _waited_on_some_path_only(self, ctx: Context, call: Call) -> bool:
        """`fut = pool.submit(f)` whose only uses are its own methods (`fut.result()`), and those on some paths."""
        d = call.disposition
        if d.use is not Use.ASSIGNED or not d.target or "." in d.target or d.container is not None:
            return False
        waits = []
        for ref in ctx.file.names:
            if ref.name != d.target or not call.span.before(ref.span):
                continue
            if ref.function != call.function or ref.disposition.use is not Use.RECEIVER:
                return False  # handed on, returned, or used by a closure: not ours to judge
            waits.append(ctx.file.calls[ref.disposition.consumer])
        return bool(waits) and not waited_on_every_path(ctx.file, call, waits)

    def _waiting_shutdown(self, ctx: Context, call: Call) -> bool:
        entry = ctx.index.api(ctx.file, call, "executor_shutdown")
        if entry is None:
            return False
        keyword = entry.get("keyword")
        for i, arg in enumerate(call.args):
            if (arg.keyword == keyword or (arg.keyword is None and i == 0)) and arg.kind is ArgKind.BOOL:
                return arg.value is True
        return True

    def _waits_at_block_end(self, ctx: Context, call: Call, receiver: str) -> bool:
        """`with ThreadPoolExecutor() as pool:` waits for the pool's jobs when the block ends."""
        symbol = ctx.index.scopes(ctx.file.path).lookup(call.function, receiver)
        if symbol is None or symbol[0] != "binding":
            return False
        binding = symbol[1]
        if binding.kind not in ("with", "async_with"):
            return False
        if binding.value_call is None:
            return True  # `with self.pool as pool:`
        return ctx.index.api(ctx.file, ctx.file.calls[binding.value_call], "executor_class") is not None
