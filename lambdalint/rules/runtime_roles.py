"""Facts about handlers the runtime-contract rules share: which handler is a function written directly,
which functions are signal or exit hooks, and the runtimes the IaC deploys a handler with."""
from __future__ import annotations

import weakref
from typing import Iterator, Optional

from lambdalint.file_apis import may_call
from lambdalint.index import Handler, ProjectIndex
from lambdalint.model import ArgKind, FileModel, Function

_HOOKS: "weakref.WeakKeyDictionary[ProjectIndex, frozenset]" = weakref.WeakKeyDictionary()


def export_name(handler: Handler) -> str:
    return handler.name.rsplit(".", 1)[-1]


def handler_functions(model: FileModel, index: ProjectIndex) -> Iterator[tuple[Handler, Function]]:
    """The handlers of this (non-test) file whose function the runtime calls as written."""
    if model.is_test:
        return
    for handler in _handlers_by_path(index).get(model.path, ()):
        fn = direct_handler_function(model, handler)
        if fn is not None:
            yield handler, fn


def _handlers_by_path(index: ProjectIndex) -> dict:
    """The index's handlers grouped by file, in their order (every file asks for its own)."""
    def build(ix):
        table: dict = {}
        for handler in ix.handlers:
            table.setdefault(handler.path, []).append(handler)
        return table
    return index.derived("handlers_by_path", build)


def direct_handler_function(model: FileModel, handler: Handler) -> Optional[Function]:
    """The handler's function when the runtime calls it as written (not through a wrapper call)."""
    if handler.path != model.path:
        return None
    fn = model.functions[handler.fid]
    name = export_name(handler)
    if model.language.is_js:
        for ex in model.exports:
            if ex.function == fn.id:
                return fn
            if ex.local and ex.call is None:
                for binding in model.bindings:
                    if binding.function is None and binding.name == ex.local and binding.value_function == fn.id:
                        return fn
                if fn.name == ex.local and fn.parent is None and fn.class_name is None and ex.name == name:
                    return fn
        return None
    if fn.parent is not None or fn.class_name is not None or fn.name != name:
        return None
    if any(b.function is None and b.name == name and b.value_call is not None for b in model.bindings):
        return None  # rebound to a wrapper's result: the runtime calls the wrapper
    return fn


def called_by_project_code(index: ProjectIndex, model: FileModel, fn: Function) -> bool:
    """Whether some call in the project resolves to `fn` (or passes it on): then it is a helper, not an entry point."""
    for other in index.files.values():
        for call in other.calls:
            if call.method == fn.name:
                ref = index.resolve_callee(other, call)
                if ref is not None and ref.kind == "function" and (ref.path, ref.fid) == (model.path, fn.id):
                    return True
            for arg in call.args:
                if arg.kind is ArgKind.NAME and arg.text.rsplit(".", 1)[-1] == fn.name:
                    ref = index.function_ref(other, call.function, arg.text)
                    if ref is not None and (ref.path, ref.fid) == (model.path, fn.id):
                        return True
    return False


def hook_functions(index: ProjectIndex) -> frozenset:
    """(path, fid) of every function registered as a signal / process-event / exit hook, and what they contain."""
    found = _HOOKS.get(index)
    if found is not None:
        return found
    hooks = set()
    for model in index.files.values():
        if not may_call(index, model, "signal_registration"):
            continue
        for call in model.calls:
            entry = index.api(model, call, "signal_registration")
            if entry is None:
                continue
            position = int(entry.get("callback", 1))
            positional = [a for a in call.args if a.keyword is None]
            if len(positional) <= position:
                continue
            arg = positional[position]
            if arg.kind is ArgKind.FUNCTION and arg.function is not None:
                hooks.add((model.path, arg.function))
            elif arg.kind is ArgKind.NAME:
                ref = index.function_ref(model, call.function, arg.text)
                if ref is not None:
                    hooks.add((ref.path, ref.fid))
    found = frozenset(hooks)
    _HOOKS[index] = found
    return found


def in_hook(index: ProjectIndex, model: FileModel, fid: Optional[int]) -> bool:
    hooks = hook_functions(index)
    return any((model.path, fn.id) in hooks for fn in model.enclosing_functions(fid))


def iac_runtimes(index: ProjectIndex, handler: Handler) -> list[Optional[str]]:
    """The runtimes the IaC deploys this handler with; empty when no IaC names it."""
    from lambdalint.iac import runtimes_of

    return runtimes_of(getattr(index, "iac", None), handler.path, export_name(handler))


def deployed_as_other_code(index: ProjectIndex, handler: Handler) -> bool:
    """A handler found by its name in code the IaC deploys with other, resolved handlers: a file in the package,
    not an entry point (an unreferenced `tokenauthorizer.js` beside the template's `app.js`)."""
    import os

    from lambdalint.iac.resolve import FOUND

    iac = getattr(index, "iac", None)
    if iac is None:
        return False
    where = os.path.abspath(handler.path)
    covering = [fn for fn in iac.functions if fn.code_root and where.startswith(fn.code_root.rstrip(os.sep) + os.sep)]
    if not covering:
        return False
    for fn in covering:
        resolution = iac.resolution(fn)
        if resolution is None or resolution.status != FOUND:
            return False  # a function whose handler we cannot see might be this one
    return True


def runtime_at_least(runtime: Optional[str], family: str, major: int) -> bool:
    if not runtime or not runtime.startswith(family):
        return False
    digits = "".join(ch for ch in runtime[len(family):].split(".", 1)[0] if ch.isdigit())
    return bool(digits) and int(digits) >= major
