"""Is a deployed function durable? `DurableConfig` in its template, or a durable handler in its code."""
from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from lambdalint.iac.records import IacFunction, IacProject
from lambdalint.iac.resolve import FOUND
from lambdalint.model import ArgKind, FileModel

if TYPE_CHECKING:
    from lambdalint.index import ProjectIndex


def is_durable_function(index: "ProjectIndex", iac: IacProject, fn: IacFunction) -> bool:
    if fn.durable:
        return True
    resolution = iac.resolution(fn)
    if resolution is None or resolution.status != FOUND or not resolution.file or not resolution.export:
        return False
    model = index.files.get(resolution.file)
    return model is not None and durable_export(index, model, resolution.export)


def durable_export(index: "ProjectIndex", model: FileModel, name: str) -> bool:
    """`export const handler = withDurableExecution(…)` / `@durable_execution def handler(…)`."""
    if model.language.is_js:
        for ex in model.exports:
            if ex.name == name and ex.call is not None and _wraps(index, model, ex.call):
                return True
            if ex.name == name and ex.local:
                for binding in model.bindings:
                    if binding.function is None and binding.name == ex.local and binding.value_call is not None:
                        if _wraps(index, model, binding.value_call):
                            return True
        return False
    for fn in model.functions:
        if fn.parent is None and fn.name == name and _decorated(index, model, fn):
            return True
    for binding in model.bindings:
        if binding.function is None and binding.name == name and binding.value_call is not None:
            if _wraps(index, model, binding.value_call):
                return True
    return False


def _wraps(index: "ProjectIndex", model: FileModel, call_id: Optional[int]) -> bool:
    seen = 0
    while call_id is not None and seen < 8:
        call = model.calls[call_id]
        if index.api(model, call, "durable_handler"):
            return True
        inner = next((a.call for a in call.args if a.kind is ArgKind.CALL), None)
        call_id = inner if inner is not None else call.receiver_call
        seen += 1
    return False


def durable_callee(index: "ProjectIndex", model: FileModel, call) -> bool:
    """Whether `call` runs a durable handler: a name bound to `withDurableExecution(…)` or to a
    `@durable_execution` function, here or imported from another project file."""
    if call.receiver is not None or call.receiver_call is not None or "?" in call.callee:
        return False
    symbol = index.scopes(model.path).lookup(call.function, call.callee)
    if symbol is None:
        return False
    kind, value = symbol
    if kind == "function":
        return _decorated(index, model, model.functions[value])
    if kind == "binding":
        return value.value_call is not None and _wraps(index, model, value.value_call)
    if kind == "import" and value.name not in (None, "*"):
        if model.language.is_js:
            target = index.resolve_js_module(model.path, value.module)
        else:
            target = index.resolve_py_module(model.path, value.module, value.level)
        return target is not None and durable_export(index, index.files[target], value.name)
    return False


def _decorated(index: "ProjectIndex", model: FileModel, fn) -> bool:
    for decorator in fn.decorators:
        ref = index.resolve_path(model, fn.parent, decorator.callee)
        if index.catalog.categories.first("durable_handler", model.language.is_js, index.qualified(ref)):
            return True
    return False
