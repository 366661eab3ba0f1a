"""Whether a call starts asynchronous work, and of which kind: the index's async-ness answers.

A call is async when it resolves to a project function that is declared
`async`, annotated as a promise / coroutine, or returns an async value on
every path; to a catalogue API; or when its shape says so (`new Promise`,
`.then` on a promise, a v2 SDK `.promise()`). Anything else is unknown, and
unknown is silent.
"""
from __future__ import annotations

import enum
from typing import Optional

from lambdalint.decorated import makes_sync
from lambdalint.model import ArgKind, Binding, Call, FileModel, Function, Language
from lambdalint.refs import user_spellings

_MISSING = object()


class AsyncKind(str, enum.Enum):
    PROMISE = "promise"      # JS: runs until its first await, the rest after the freeze
    COROUTINE = "coroutine"  # Python: does not run at all until awaited
    TASK = "task"            # Python: scheduled on the loop; cancelled or frozen when nobody waits
    FUTURE = "future"        # Python: `asyncio.gather(...)`: its coroutines become tasks nobody waits for



class AsyncResolution:
    """The async-ness queries of `ProjectIndex` (a mixin: they resolve through the index's own lookups)."""

    def async_kind(self, model: FileModel, call: Call) -> Optional[AsyncKind]:
        """Whether `call` definitely starts asynchronous work, and of which kind."""
        found = self._async_memo.get((model.path, call.id), _MISSING)
        if found is not _MISSING:
            return found
        return self._memoised(self._async_memo, "async", (model.path, call.id),
                              lambda: self._async_kind(model, call), None)

    def is_safe_call(self, model: FileModel, call: Call) -> bool:
        if call.callee in self.catalog.user_safe:
            return True
        return model.is_test and call.callee in self.catalog.test_safe_calls

    def _async_kind(self, model: FileModel, call: Call) -> Optional[AsyncKind]:
        if self.is_safe_call(model, call):
            return None
        python = model.language is Language.PYTHON
        if not python:
            shape = self._js_shape(model, call)
            if shape is not None:
                return shape
        ref = self.resolve_callee(model, call)
        if not python and _node_callback(model, call) and (ref is None or ref.kind != "function"):
            return None  # node-style callback API: no promise
        if call.callee in self.catalog.user_async:
            return AsyncKind.COROUTINE if python else AsyncKind.PROMISE
        if ref is None:
            if python and call.method == "create_task" and (
                (call.receiver or "").rsplit(".", 1)[-1] in self.catalog.loop_receivers
            ):
                return AsyncKind.TASK
            return None
        if ref.kind == "function":
            if self.returns_async(ref.path, ref.fid):
                return AsyncKind.COROUTINE if self.files[ref.path].language is Language.PYTHON else AsyncKind.PROMISE
            return None
        if ref.kind == "external":
            q = ref.qualified or ""
            spellings = user_spellings(q)
            if any(name in self.catalog.user_safe for name in spellings):
                return None
            if any(name in self.catalog.user_async for name in spellings):
                return AsyncKind.COROUTINE if python else AsyncKind.PROMISE
            if python:
                if q in self.catalog.py_tasks:
                    return AsyncKind.TASK
                if q in self.catalog.py_futures:
                    return AsyncKind.FUTURE
                if q in self.catalog.py_coroutines:
                    return AsyncKind.COROUTINE
                return None
            return AsyncKind.PROMISE if q in self.catalog.js_functions else None
        if ref.kind == "external_method":
            q, member = ref.qualified or "", ref.member or ""
            simple = f"{q.replace(':', '.').rsplit('.', 1)[-1]}.{member}"
            if simple in self.catalog.user_safe:
                return None
            if simple in self.catalog.user_async or f"{q}.{member}" in self.catalog.user_async:
                return AsyncKind.COROUTINE if python else AsyncKind.PROMISE
            if python:
                if self.catalog.py_task_methods.has(q, member):
                    return AsyncKind.TASK
                return AsyncKind.COROUTINE if self.catalog.py_methods.has(q, member) else None
            if self.catalog.js_methods.has(q, member):
                return AsyncKind.PROMISE
            if ref.constructed and self.catalog.js_constructed_methods.has(q, member):
                return AsyncKind.PROMISE
            return None
        return None

    def _js_shape(self, model: FileModel, call: Call) -> Optional[AsyncKind]:
        """Promise sources recognisable by their shape alone."""
        scopes = self.scopes(model.path)
        if call.callee == "Promise" and call.is_new and scopes.lookup(call.function, "Promise") is None:
            return AsyncKind.PROMISE
        if call.receiver == "Promise" and call.method in self.catalog.promise_statics:
            return AsyncKind.PROMISE
        method = call.method
        if method in self.catalog.promise_chain and not call.is_new:
            if call.receiver_call is not None:
                return self.async_kind(model, model.calls[call.receiver_call])
            origin = self.value_origin(model, call.function, call.receiver or "")
            return self.async_kind(model, origin) if origin is not None else None
        if method == "promise" and call.receiver_call is not None and not call.args:
            return AsyncKind.PROMISE
        if method == "send" and call.args and call.args[0].kind is ArgKind.CALL:
            inner = model.calls[call.args[0].call]
            if inner.is_new and inner.callee.endswith(self.catalog.sdk_command_suffix):
                return AsyncKind.PROMISE
        return None

    def value_origin(self, model: FileModel, scope: Optional[int], name: str) -> Optional[Call]:
        """The call whose result a local name holds (`const p = fetch(u)` -> the fetch call)."""
        if not name or "." in name:
            return None
        symbol = self.scopes(model.path).lookup(scope, name)
        if symbol is None or symbol[0] != "binding":
            return None
        binding: Binding = symbol[1]
        if binding.value_call is None:
            return None
        return model.calls[binding.value_call]

    def returns_async(self, path: str, fid: int) -> bool:
        """Whether calling function `fid` gives a promise / coroutine."""
        model = self.files[path]
        return self._memoised(self._returns_memo, "returns", (path, fid),
                              lambda: self._returns_async(model, model.functions[fid]), False)

    def _returns_async(self, model: FileModel, fn: Function) -> bool:
        """Declared `async`, annotated as a promise / coroutine, or *every* return gives an async value.

        A function that returns a promise on some paths and a plain value on others is not
        "definitely async": unknown, and unknown is silent.
        """
        if fn.is_async:
            if fn.decorators and model.language is Language.PYTHON and makes_sync(self, model, fn):
                return False  # `@run_sync`: the decorator's plain wrapper runs the coroutine itself
            return not fn.is_generator
        annotation = (fn.return_annotation or "").strip()
        if annotation:
            if model.language.is_js:
                return annotation == "Promise" or annotation.startswith("Promise<")
            return self._py_async_annotation(model, fn.parent, annotation)
        if fn.is_generator or fn.returns == 0 or fn.plain_returns:
            return False
        scopes = self.scopes(model.path)
        returned = scopes.returned_calls.get(fn.id, ())
        names = scopes.returned_names.get(fn.id, ())
        if not returned and not names:
            return False
        if not all(self.async_kind(model, call) is not None for call in returned):
            return False
        for ref in names:
            origin = self.value_origin(model, fn.id, ref.name)
            if origin is None or self.async_kind(model, origin) is None:
                return False
        return True

    def _py_async_annotation(self, model: FileModel, scope: Optional[int], annotation: str) -> bool:
        """`Coroutine[...]` / `Awaitable[...]` / `asyncio.Task` / `asyncio.Future`, resolved through imports.

        `concurrent.futures.Future` is not one: its work is already running in a thread (FF006's business).
        """
        head = annotation.strip("'\"").split("[", 1)[0].strip()
        if not head or not (head[0].isalpha() or head[0] == "_"):
            return False
        ref = self.resolve_path(model, scope, head)
        qualified = ref.qualified if ref is not None and ref.kind == "external" else None
        if qualified is None:
            return False
        return qualified in self.catalog.py_async_annotations


def _node_callback(model: FileModel, call: Call) -> bool:
    """`api.op(params, (err, data) => {...})`: the last argument is a sync function taking arguments."""
    if not call.args or call.args[-1].kind is not ArgKind.FUNCTION:
        return False
    callback = model.functions[call.args[-1].function]
    return not callback.is_async and bool(callback.params)

