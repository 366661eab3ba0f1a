"""Durable contexts kept on an object, so that its methods issue operations through `self.ctx` / `this.ctx`.

An attribute holds a context when a method of the class stores a context
parameter in it (`self.ctx = ctx`, `this.ctx = ctx`): one typed as the SDK's
context (`def __init__(self, ctx: DurableContext)`), or one durable code passes
a context to (`new OrderFlow(ctx)`, `OrderFlow(context)` in the handler); or,
in TypeScript, when the class declares it with that type (a field, or a
parameter property: `constructor(private ctx: DurableContext)`).
"""
from __future__ import annotations

from typing import Callable, Optional

from lambdalint.model import FileModel, Function, FunctionKind

CONSTRUCTORS = ("__init__", "constructor")


def constructor_of(model: FileModel, class_name: str) -> Optional[Function]:
    return next((fn for fn in model.functions if fn.class_name == class_name and fn.name in CONSTRUCTORS), None)


def self_name(model: FileModel, fn: Function) -> Optional[str]:
    """How method `fn` names its own object: `this`, or its first parameter (`self`); None for a
    function that is no method, or a static one."""
    if not fn.class_name or fn.class_name == "{}":
        return None
    if model.language.is_js:
        return "this"
    if any(d.callee in ("staticmethod", "classmethod") for d in fn.decorators) or not fn.params:
        return None
    return fn.params[0].name


def seeing_method(model: FileModel, fid: int, scoping) -> Optional[Function]:
    """The method `fid` is, or sits in and sees the object of: JS arrow functions keep the method's
    `this` (a `function` has its own); a Python function sees `self` unless it rebinds the name."""
    for fn in model.enclosing_functions(fid):
        if fn.class_name:
            own = self_name(model, fn)
            if fn.id == fid or model.language.is_js or (own is not None and scoping.scope_of(fid, own) == fn.id):
                return fn
            return None
        if model.language.is_js and fn.kind is not FunctionKind.ARROW:
            return None
    return None


def context_attributes(model: FileModel, class_name: str, known_contexts: Callable[[FileModel, Function], set],
                       is_context_type: Callable[[FileModel, int, str], bool]) -> frozenset:
    """The attributes of class `class_name` of `model` that hold a durable context (`known_contexts(model, fn)`:
    the context parameters of method `fn`)."""
    methods = [fn for fn in model.functions if fn.class_name == class_name]
    if not methods:
        return frozenset()
    found = set()
    if model.language.is_js:
        for info in model.classes:
            if info.name == class_name:
                found.update(attr for attr, type_text in info.fields.items()
                             if is_context_type(model, methods[0].id, type_text))
    for fn in methods:
        own = self_name(model, fn)
        contexts = known_contexts(model, fn) if own else set()
        if not contexts:
            continue
        prefix = own + "."
        for binding in model.bindings:
            if (binding.function == fn.id and binding.kind == "assign" and binding.value_name in contexts
                    and binding.name.startswith(prefix) and binding.name.count(".") == 1):
                found.add(binding.name[len(prefix):])
    return frozenset(found)
