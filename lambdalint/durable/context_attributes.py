"""Durable contexts kept on an object, so that its methods issue operations through `self.ctx` / `this.ctx`.

An attribute holds a context when the class stores a parameter typed as the
SDK's context in it (`def __init__(self, ctx: DurableContext): self.ctx = ctx`,
`this.ctx = ctx`), or, in TypeScript, declares it with that type (a field, or a
parameter property: `constructor(private ctx: DurableContext)`). Only typed
code is followed: an untyped `self.ctx = context` could hold anything.
"""
from __future__ import annotations

from typing import Callable, Optional

from lambdalint.model import FileModel, Function


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


def context_attributes(model: FileModel, class_name: str, typed_contexts: Callable[[FileModel, Function], set],
                       is_context_type: Callable[[FileModel, int, str], bool]) -> frozenset:
    """The attributes of class `class_name` of `model` that hold a durable context."""
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
        typed = typed_contexts(model, fn) if own else set()
        if not typed:
            continue
        prefix = own + "."
        for binding in model.bindings:
            if (binding.function == fn.id and binding.kind == "assign" and binding.value_name in typed
                    and binding.name.startswith(prefix) and binding.name.count(".") == 1):
                found.add(binding.name[len(prefix):])
    return frozenset(found)
