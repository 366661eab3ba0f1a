"""Whether a project decorator keeps an `async def` a coroutine function.

`@run_sync` whose wrapper is a plain `def` that runs the coroutine itself
(`return asyncio.run(fn(*a))`) turns the decorated function into a plain
one: calling it gives a result, not a coroutine, so an un-awaited call is
correct code. A wrapper that hands back the wrapped function's own call
(`return fn(*a)`), an async wrapper, or a decorator returning the function
unchanged keep it async. A decorator whose shape is not one of those is
left as it was (async): the question is only asked to avoid false alarms.
"""
from __future__ import annotations

import weakref
from typing import Optional

from lambdalint.model import FileModel, Function

_MAX_LEVELS = 3  # decorator factory -> decorator -> wrapper


_VERDICTS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()  # index -> {(path, fid): verdict}


def makes_sync(index, model: FileModel, fn: Function) -> bool:
    """True when some project decorator of `fn` wraps it in a plain function that does not return its coroutine."""
    verdicts = _VERDICTS.setdefault(index, {})
    for decorator in fn.decorators:
        ref = index.function_ref(model, fn.parent, decorator.callee)
        if ref is None:
            continue
        key = (ref.path, ref.fid)
        if key not in verdicts:  # one answer per decorator, however many functions it decorates
            owner = index.files[ref.path]
            verdicts[key] = _preserves(index, owner, owner.functions[ref.fid], frozenset(), 0)
        if verdicts[key] is False:
            return True
    return False


def _preserves(index, model: FileModel, level: Function, wrapped: frozenset, depth: int) -> Optional[bool]:
    """Whether what `level` returns, called, still gives a coroutine (None: cannot tell)."""
    if depth >= _MAX_LEVELS:
        return None
    scopes = index.scopes(model.path)
    names = {p.name for p in level.params} | wrapped
    returned = scopes.returned_names.get(level.id, ())
    if not returned:
        return None
    verdicts = []
    for ref in returned:
        if ref.name in names:
            verdicts.append(True)  # `return fn`: the function itself
            continue
        inner = _inner_function(model, level, ref.name)
        if inner is None:
            return None
        verdicts.append(_wrapper_preserves(index, model, inner, names, depth))
    if any(v is None for v in verdicts):
        return None
    return all(verdicts)


def _wrapper_preserves(index, model: FileModel, inner: Function, wrapped: frozenset, depth: int) -> Optional[bool]:
    if inner.is_async:
        return not inner.is_generator
    scopes = index.scopes(model.path)
    if scopes.returned_names.get(inner.id):
        nested = _preserves(index, model, inner, wrapped, depth + 1)  # a factory's decorator returning its wrapper
        if nested is not None:
            return nested
    if index.returns_async(model.path, inner.id):
        return True
    calls = scopes.returned_calls.get(inner.id, ())
    if any(call.callee in wrapped for call in calls):
        return True  # `return fn(*args)`: the coroutine is handed back
    if not calls:
        return None
    return False


def _inner_function(model: FileModel, level: Function, name: str) -> Optional[Function]:
    for candidate in model.functions:
        if candidate.parent == level.id and candidate.name == name:
            return candidate
    return None
