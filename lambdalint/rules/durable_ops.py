"""What the durable-operation rules (DF008–DF018) ask of the scope model, in one place.

The scope model (`lambdalint.durable`) says which functions replay and which
run inside a step, and which calls are durable operations. These helpers add
the few questions several operation rules share: the operations of a file,
which callback a call runs later (array helpers, timers, listeners, threads),
and whether a function hands back something callable.
"""
from __future__ import annotations

import weakref
from typing import Iterator, Optional

from lambdalint.durable import Kind, Operation, durable_scope
from lambdalint.model import Arg, ArgKind, Call, FileModel, Function, Language, Use
from lambdalint.rules.return_annotations import annotation_callable

_MAX_DEPTH = 8
_STEP_ONLY = frozenset({Kind.STEP})
_MEMO: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def _memo(index, key: tuple, compute):
    """One answer per project index and key: the operation rules ask the same questions of a file."""
    table = _MEMO.get(index)
    if table is None:
        table = _MEMO[index] = {}
    if key not in table:
        table[key] = compute()
    return table[key]


def scope_of(ctx):
    return durable_scope(ctx.index)


def operations(ctx, *, in_steps: bool = False) -> Iterator[tuple[Call, Operation]]:
    """The durable operation calls of the file, in source order. Those inside a step body are DF009's
    alone (an operation there is wrong whatever else is), unless `in_steps`."""
    scope = scope_of(ctx)
    if not scope.may_operate(ctx.file.path):
        return
    for call in ctx.file.calls:
        op = scope.operation(ctx.file, call)
        if op is not None and (in_steps or not in_step_body(ctx, call.function)):
            yield call, op


def returned_operation(ctx, call: Call) -> Optional[Call]:
    """The durable operation a plain (not `async`) project function hands back on every path, when `call`
    calls one: `function charge(ctx) { return ctx.step(...) }`. An `async` one is a promise of its own,
    which FF001 judges."""
    if ctx.file.language is Language.PYTHON or call.receiver_call is not None:
        return None
    ref = ctx.index.resolve_callee(ctx.file, call)
    if ref is None or ref.kind != "function":
        return None

    def compute() -> Optional[Call]:
        model = ctx.index.files[ref.path]
        fn = model.functions[ref.fid]
        annotation = (fn.return_annotation or "").strip()
        if fn.is_async or fn.is_generator or fn.returns == 0 or fn.plain_returns or annotation.startswith("Promise"):
            return None
        scopes = ctx.index.scopes(ref.path)
        returned = scopes.returned_calls.get(fn.id, ())
        if not returned or scopes.returned_names.get(fn.id):
            return None
        scope = scope_of(ctx)
        if not all(scope.operation(model, op) is not None for op in returned):
            return None
        return returned[0]
    return _memo(ctx.index, ("returned_operation", ref.path, ref.fid), compute)


def op_name(call: Call) -> str:
    """`ctx.wait()`, `context.create_callback()` — as written (long paths shortened from the left)."""
    callee = call.callee if len(call.callee) <= 40 else "…" + call.callee[-40:]
    return f"`{callee}()`"


def short(text: str, limit: int = 48) -> str:
    """A name or target for a message, cut in the middle when long."""
    return text if len(text) <= limit else text[: limit // 2 - 1] + "…" + text[-(limit // 2):]


def is_descendant(model: FileModel, fid: Optional[int], ancestor: int) -> bool:
    """Whether function `fid` is `ancestor` or nested in it."""
    return any(fn.id == ancestor for fn in model.enclosing_functions(fid))


def callback_function(ctx, call: Call, arg: Optional[Arg]) -> Optional[tuple[str, int]]:
    """The function an argument passes: a function expression, or a name that resolves to one."""
    if arg is None:
        return None
    if arg.kind is ArgKind.FUNCTION:
        return ctx.file.path, arg.function
    if arg.kind is ArgKind.NAME:
        ref = ctx.index.function_ref(ctx.file, call.function, arg.text)
        if ref is not None:
            return ref.path, ref.fid
    return None


def arg_at(call: Call, index: Optional[int], keyword: Optional[str] = None) -> Optional[Arg]:
    if keyword is not None:
        for arg in call.args:
            if arg.keyword == keyword:
                return arg
    if index is None:
        return None
    positional = [a for a in call.args if a.keyword is None and not a.spread]
    return positional[index] if 0 <= index < len(positional) else None


def first_operation_in(ctx, path: str, fid: int) -> Optional[Call]:
    """The first durable operation issued in function `fid` or a closure nested in it (not crossing into
    the body of another durable operation, which has its own context and its own rules)."""
    return _memo(ctx.index, ("first", path, fid), lambda: _first_operation_in(ctx, path, fid))


def _first_operation_in(ctx, path: str, fid: int) -> Optional[Call]:
    model = ctx.index.files[path]
    scope = scope_of(ctx)
    if not scope.may_operate(path):
        return None
    bodies = _operation_bodies(ctx, model)
    for call in model.calls:
        if call.function is None or not is_descendant(model, call.function, fid):
            continue
        if any(is_descendant(model, call.function, body) and body != fid and is_descendant(model, body, fid)
               for body in bodies):
            continue
        if scope.operation(model, call) is not None:
            return call
    return None


def _operation_bodies(ctx, model: FileModel) -> set:
    return _memo(ctx.index, ("bodies", model.path), lambda: _compute_bodies(ctx, model))


def _compute_bodies(ctx, model: FileModel) -> set:
    scope = scope_of(ctx)
    bodies = set()
    for call in model.calls:
        op = scope.operation(model, call)
        if op is not None:
            bodies.update(fid for path, fid in op.callbacks if path == model.path)
    return bodies


# --------------------------------------------------------------- deferred callbacks
def deferred_callbacks(ctx) -> Iterator[tuple[Call, tuple[str, int], str]]:
    """Calls that run a function later, outside the orchestration's own sequence, with that function and
    the kind of deferral: `forEach`-like helpers (`ignored`), un-gathered `.map` (`ungathered`), timers,
    listeners and threads (the `deferred_callback` category)."""
    model = ctx.file
    catalog = ctx.index.catalog
    python = model.language is Language.PYTHON
    for call in model.calls:
        if call.function is None:
            continue
        if not python and call.receiver is not None and call.args:
            if call.method in catalog.ignore_result_callbacks:
                target = callback_function(ctx, call, call.args[0])
                if target is not None:
                    yield call, target, "ignored"
                continue
            index = catalog.collect_result_callbacks.get(call.method)
            if index is not None and index < len(call.args):
                target = callback_function(ctx, call, call.args[index])
                if target is not None and not ctx.settlement.of_call(call, array=True).settled:
                    yield call, target, "ungathered"
                continue
        if not python and call.callee in catalog.collect_result_static:
            index = catalog.collect_result_static[call.callee]
            target = callback_function(ctx, call, arg_at(call, index))
            if target is not None and not ctx.settlement.of_call(call, array=True).settled:
                yield call, target, "ungathered"
            continue
        entry = ctx.index.api(model, call, "deferred_callback")
        if entry is None:
            continue
        arg = arg_at(call, entry.get("callback"), entry.get("keyword"))
        target = callback_function(ctx, call, arg)
        if target is not None:
            yield call, target, str(entry.get("kind", "timer"))


def deferred_operations(ctx) -> list[tuple[Call, str, Call]]:
    """(the deferring call, its kind, the first durable operation its callback issues)."""
    return _memo(ctx.index, ("deferred", ctx.file.path), lambda: list(_deferred_operations(ctx)))


def _deferred_operations(ctx) -> Iterator[tuple[Call, str, Call]]:
    for call, (path, fid), kind in deferred_callbacks(ctx):
        if in_step_body(ctx, call.function):
            continue  # operations issued there are DF009's
        op_call = first_operation_in(ctx, path, fid)
        if op_call is not None:
            yield call, kind, op_call


def inside_deferred_callback(ctx, call: Call) -> bool:
    """Whether `call` sits in a callback that DF013 reports (so other rules leave it to DF013)."""
    for holder, _kind, _op in deferred_operations(ctx):
        for arg in holder.args:
            if arg.kind is ArgKind.FUNCTION and is_descendant(ctx.file, call.function, arg.function):
                return True
    return False


# --------------------------------------------------------------- callables
def returns_callable(index, path: str, fid: int, depth: int = 0) -> Optional[bool]:
    """Whether calling function `fid` gives back a function: True (a factory), False (a plain value: a
    promise, a literal, nothing, an operation's result), None (cannot tell)."""
    if depth > _MAX_DEPTH:
        return None
    model = index.files[path]
    fn = model.functions[fid]
    if fn.decorators or fn.is_generator:
        return None
    if fn.is_async:
        return False  # a promise / a coroutine
    if fn.return_annotation:
        return annotation_callable(index.catalog.categories, model.language.is_js, fn.return_annotation)
    scope = durable_scope(index)
    verdict: Optional[bool] = False
    for other in model.functions:
        d = other.disposition
        if other.parent == fid and d is not None and d.use is Use.RETURNED and d.container is None:
            return True
    for ref in model.names:
        if ref.function != fid or ref.disposition.use is not Use.RETURNED or ref.disposition.container:
            continue
        target = index.function_ref(model, fid, ref.name)
        if target is not None:
            return True
        origin = index.value_origin(model, fid, ref.name)
        if origin is None:
            verdict = None
            continue
        inner = _call_returns_callable(index, scope, model, origin, depth)
        if inner:
            return True
        if inner is None:
            verdict = None
    for call in model.calls:
        d = call.disposition
        if call.function != fid or d.use is not Use.RETURNED or d.container is not None:
            continue
        inner = _call_returns_callable(index, scope, model, call, depth)
        if inner:
            return True
        if inner is None:
            verdict = None
    return verdict


def _call_returns_callable(index, scope, model: FileModel, call: Call, depth: int) -> Optional[bool]:
    if scope.operation(model, call) is not None:
        return False  # an operation's result is a checkpointed value
    if index.async_kind(model, call) is not None:
        return False
    ref = index.resolve_callee(model, call)
    if ref is None or ref.kind != "function":
        return None
    return returns_callable(index, ref.path, ref.fid, depth + 1)


def positional_arity(fn: Function) -> tuple[int, Optional[int]]:
    """(required, maximum) positional parameters; maximum None with `*args` / `...rest`."""
    required, maximum = 0, 0
    for param in fn.params:
        if param.is_rest:
            if param.name and not _is_kwargs(fn, param):
                return required, None
            continue
        maximum += 1
        if not param.has_default:
            required = maximum
    return required, maximum


def _is_kwargs(fn: Function, param) -> bool:
    """Python `**kw` is a rest parameter that takes no positional argument (it comes last)."""
    rest = [p for p in fn.params if p.is_rest]
    return len(rest) == 2 and param is rest[-1]


def in_step_body(ctx, fid: Optional[int]) -> bool:
    """Whether code in `fid` runs only inside a step (a step body or a helper only steps call)."""
    return scope_of(ctx).kinds(ctx.file.path, fid) == _STEP_ONLY


def issues_durable_operations(ctx, call: Call, arg: Arg) -> bool:
    """Whether the callback `arg` of `call` issues durable operations (the fire-and-forget rules then leave
    the call to DF013, which explains what it does to a durable execution)."""
    target = callback_function(ctx, call, arg)
    return target is not None and first_operation_in(ctx, *target) is not None


def operation_reached(ctx, path: str, fid: int, depth: int = 0, seen: Optional[set] = None) -> Optional[Call]:
    """The first durable operation that calling function `fid` issues, itself or through the project
    functions it calls (a few levels deep)."""
    seen = set() if seen is None else seen
    if depth > 4 or (path, fid) in seen:
        return None
    seen.add((path, fid))
    found = first_operation_in(ctx, path, fid)
    if found is not None:
        return found
    model = ctx.index.files[path]
    for call in model.calls:
        if call.function != fid:
            continue
        ref = ctx.index.resolve_callee(model, call)
        if ref is not None and ref.kind == "function":
            found = operation_reached(ctx, ref.path, ref.fid, depth + 1, seen)
            if found is not None:
                return found
    return None
