"""The durable scope's questions about objects: a context handed to a constructor (or to a base class's, or
to any method) and stored on the object holds for the object's methods (`context_attributes`).

A mixin of `DurableScope`: it reads the scope's build state (`_kinds`, `_ctx_params`, `_attributes_memo`).
"""
from __future__ import annotations

from lambdalint.durable.context_attributes import constructor_of, context_attributes, seeing_method, self_name
from lambdalint.durable.operations import Kind
from lambdalint.model import ArgKind, Call, FileModel, Function, Language
from lambdalint.refs import Ref


class ObjectContexts:
    """Context attributes (`self.ctx`) of the methods of the project's classes, for `DurableScope`."""

    def _captured_attributes(self, model: FileModel, fid: int, scoping) -> frozenset:
        method = seeing_method(model, fid, scoping)
        return self._context_attributes(model, method) if method is not None else frozenset()

    def _context_attributes(self, model: FileModel, fn: Function) -> frozenset:
        """`self.ctx` / `this.ctx` when method `fn`'s class keeps a context there (`context_attributes`)."""
        own = self_name(model, fn)
        if own is None:
            return frozenset()
        key = (model.path, fn.class_name)
        attributes = self._attributes_memo.get(key)
        if attributes is None:
            attributes = self._attributes_memo[key] = self._class_attributes(model, fn.class_name, 0)
        return frozenset(f"{own}.{attribute}" for attribute in attributes)

    def _construct(self, key, kind: Kind, call: Call, ref, contexts: frozenset, mark) -> None:
        """`new OrderFlow(ctx)`, `OrderFlow(context)`: the constructor runs here, as a call would; given the
        context, what it stores the context in holds it for the object's methods (`context_attributes`)."""
        tmodel = self.index.files.get(ref.path) if ref.path is not None else None
        ctor = constructor_of(tmodel, ref.class_name) if tmodel is not None else None
        if ctor is None or self._in_sdk(ref.path):
            return
        passed = mapped_contexts(call, ctor, contexts, tmodel.language is Language.PYTHON, constructed=True)
        mark((ref.path, ctor.id), kind, key, f"`{ref.class_name}()`", passed)

    def _base_initialised(self, model: FileModel, call: Call):
        """Python `super().__init__(…)`: the base class whose constructor it runs, or None."""
        if call.method != "__init__" or call.receiver_call is None:
            return None
        receiver = model.calls[call.receiver_call]
        if receiver.callee != "super":
            return None
        ref = self.index.resolve_callee(model, receiver)
        return Ref("class", ref.path, class_name=ref.class_name) if ref is not None and ref.kind == "instance" else None

    def _method_changed(self, key: tuple[str, int]) -> list:
        """When a method is given a context (a constructor, most often), its class's attributes (and its
        subclasses') may hold one: the methods already visited are visited again."""
        path, fid = key
        fn = self.index.files[path].functions[fid]
        if not fn.class_name or fn.class_name == "{}":
            return []
        affected = self._with_subclasses(fn.class_name)
        self._attributes_memo.clear()
        return [(p, f) for (p, f) in self._kinds
                if (p, f) != key and self.index.files[p].functions[f].class_name in affected]

    def _with_subclasses(self, class_name: str) -> set:
        """`class_name` and the names of the project classes that extend it, directly or not (by name: a
        few more methods visited again cost nothing but time)."""
        if self._extended_by is None:
            self._extended_by = {}
            for model in self.index.files.values():
                for info in model.classes:
                    for base in info.bases:
                        self._extended_by.setdefault(base.rsplit(".", 1)[-1], set()).add(info.name)
        found, todo = {class_name}, [class_name]
        while todo:
            for sub in self._extended_by.get(todo.pop(), ()):
                if sub not in found:
                    found.add(sub)
                    todo.append(sub)
        return found

    def _class_attributes(self, model: FileModel, class_name: str, depth: int) -> frozenset:
        """The context attributes of a class and of the project classes it extends."""
        found = context_attributes(model, class_name, self._known_contexts, self._is_context_type)
        info = next((c for c in model.classes if c.name == class_name), None)
        if info is None or depth > 4:
            return found
        for base in info.bases:
            ref = self.index.resolve_path(model, info.parent, base)
            if ref is not None and ref.kind == "class" and ref.path in self.index.files:
                found |= self._class_attributes(self.index.files[ref.path], ref.class_name, depth + 1)
        return found

    def _known_contexts(self, model: FileModel, fn: Function) -> set:
        """A function's context parameters known so far: typed ones, and those it was passed."""
        return self._typed_contexts(model, fn) | self._ctx_params.get((model.path, fn.id), set())


def mapped_contexts(call: Call, fn: Function, contexts: frozenset, python: bool, constructed: bool = False) -> set:
    """The parameters of `fn` that receive a context name passed by `call` (positional or keyword);
    `constructed`: `fn` is the constructor `call` runs (`self` is not among the arguments)."""
    if not contexts:
        return set()
    params = [p for p in fn.params if not p.is_rest]
    bound = call.receiver or constructed
    offset = 1 if python and fn.class_name and params and params[0].name in ("self", "cls") and bound else 0
    found = set()
    position = 0
    for arg in call.args:
        if arg.spread:
            break
        if arg.keyword is not None:
            if arg.kind is ArgKind.NAME and arg.text in contexts and any(p.name == arg.keyword for p in params):
                found.add(arg.keyword)
            continue
        i = position + offset
        position += 1
        if arg.kind is ArgKind.NAME and arg.text in contexts and i < len(params):
            if params[i].name not in ("{}", "[]"):
                found.add(params[i].name)
    return found
