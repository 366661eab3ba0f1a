"""Who listens to which event, across the whole project (FF004, FF008).

An emit in one file runs listeners registered in others: a NestJS service
emits `user.registered` and the `@OnEvent` method that sends the email lives
in a listener file. This index is built once per run from every file model
and answers, for one emit call, which listeners it runs and which of them are
async (their work outlives the emit).

A registration is linked to an emit by *bus* (the emitter family, from the
`event_emit` / `event_listen` categories), by event name (a literal, or a
constant the value resolver follows) and, where both sides name a known
object (`const bus = new EventEmitter()` imported by both), by that object.
When a side's object cannot be known it matches any object of the bus; when
an event name cannot be known the registration or the emit is left out:
no guessing.
"""
from __future__ import annotations

import os

import re
from dataclasses import dataclass
from typing import Iterator, Optional

from lambdalint.event_names import event_names
from lambdalint.file_apis import may_call
from lambdalint.index import ProjectIndex
from lambdalint.model import Arg, ArgKind, Call, FileModel, Function

_ANONYMOUS = ""   # the event of an object that is its own event (a blinker `Signal()`): linked by object only


def _near(path: str, here: Optional[str]) -> str:
    """The listener's file as seen from the emitting file's folder, when that is shorter than its own path."""
    if here is None:
        return path
    try:
        relative = os.path.relpath(path, os.path.dirname(here) or ".")
    except ValueError:
        return path
    return min(relative, path, key=len).replace(os.sep, "/")


@dataclass(frozen=True)
class Listener:
    bus: str
    event: Optional[str]             # the event name or pattern; a class key for CQRS; None: the object is the event
    path: str
    fid: int
    emitter: Optional[tuple]         # identity of the emitter object when knowable
    is_async: bool

    def display(self, index: ProjectIndex, here: Optional[str] = None) -> str:
        """`UserListener.handle` (src/user.listener.ts:12); only the line when the listener is in `here`."""
        model = index.files[self.path]
        fn = model.functions[self.fid]
        where = f"line {fn.span.line}" if self.path == here else f"{_near(self.path, here)}:{fn.span.line}"
        if not fn.name:
            return f"(inline, {where})"
        return f"`{function_label(fn)}` ({where})"


@dataclass(frozen=True)
class Emit:
    """One emit call: its bus, its event names (None: not knowable) and its emitter identity."""

    bus: str
    events: Optional[tuple]
    emitter: Optional[tuple]
    runs: str                        # "promise" (JS), "task" / "call" / "refused" (Python)


def function_label(fn: Function) -> str:
    name = fn.name or "(anonymous)"
    if fn.class_name and fn.class_name != "{}":
        return f"{fn.class_name}.{name}"
    return name


class Listeners:
    """Every listener registration in the project, by bus."""

    def __init__(self, index: ProjectIndex):
        self.index = index
        self._by_bus: dict[str, list[Listener]] = {}
        for model in index.files.values():
            for listener in self._registrations(model):
                self._by_bus.setdefault(listener.bus, []).append(listener)

    # ------------------------------------------------------------- queries
    def emit_of(self, model: FileModel, call: Call) -> Optional[Emit]:
        """The emit `call` is, or None when it is no emit of a known emitter."""
        index = self.index
        if not (may_call(index, model, "event_emit") or may_call(index, model, "signal_factory")):
            return None  # the file calls no emitter API and makes no signal
        entry = index.api(model, call, "event_emit")
        if entry is not None:
            if entry.get("unless_keyword") and any(a.keyword == entry.get("unless_keyword") for a in call.args):
                return None
            how = entry.get("event", 0)
            emitter = emitter_identity(index, model, call.function, call.receiver)
            if how == "signal":
                if emitter is None:
                    return None  # an anonymous `Signal()` is linked by its object only
                events = (_ANONYMOUS,)
            else:
                events = self._event_arg(model, call, how)
            return Emit(str(entry.get("bus")), events, emitter, str(entry.get("runs", "promise")))
        signal = self._signal_method(model, call, "emit")
        if signal is not None:
            factory, name = signal
            if factory.get("unless_keyword") and any(a.keyword == factory.get("unless_keyword") for a in call.args):
                return None
            return Emit(str(factory.get("bus")), (name,) if name is not None else None, None, "refused")
        return None

    def listeners_of(self, emit: Emit) -> list[Listener]:
        """The listeners `emit` runs (sync and async), in project order."""
        if not emit.events:
            return []
        wildcard = self.index.catalog.categories.first("event_wildcards", True, emit.bus)
        delimiter = str(wildcard.get("delimiter")) if wildcard else None
        found = []
        for listener in self._by_bus.get(emit.bus, ()):
            if emit.emitter is not None and listener.emitter is not None and emit.emitter != listener.emitter:
                continue
            if listener.event is None or not any(_matches(listener.event, e, delimiter) for e in emit.events):
                continue
            found.append(listener)
        return found

    # ----------------------------------------------------- registrations
    def _registrations(self, model: FileModel) -> Iterator[Listener]:
        index = self.index
        calls = model.calls if (may_call(index, model, "event_listen")
                                or may_call(index, model, "signal_factory")) else ()
        for call in calls:
            entry = index.api(model, call, "event_listen")
            signal = None
            if entry is None:
                signal = self._signal_method(model, call, "listen")
                if signal is None:
                    continue
                bus, events, emitter, slot = str(signal[0].get("bus")), (signal[1],), None, 0
                if signal[1] is None:
                    continue
            else:
                bus = str(entry.get("bus"))
                how = entry.get("event", 0)
                emitter = emitter_identity(index, model, call.function, call.receiver)
                if how == "signal":
                    if emitter is None:
                        continue
                    events = (_ANONYMOUS,)
                else:
                    events = self._event_arg(model, call, how)
                slot = int(entry.get("listener", 1))
            if not events or slot >= len(call.args):
                continue
            target = self._listener_function(model, call, call.args[slot])
            if target is None:
                continue
            path, fid = target
            for event in events:
                yield Listener(bus, event, path, fid, emitter, index.returns_async(path, fid))
        for fn in model.functions:
            for decorator in fn.decorators:
                yield from self._decorated(model, fn, decorator)
        for cls in model.classes:
            for decorator in cls.decorators:
                ref = index.resolve_path(model, cls.parent, decorator.callee)
                entry = index.catalog.categories.first("event_handler_class", model.language.is_js,
                                                       index.qualified(ref))
                if entry is None:
                    continue
                fid = index.scopes(model.path).methods.get((cls.name, str(entry.get("method"))))
                if fid is None:
                    continue
                for arg in decorator.args:
                    key = class_key(index, model, cls.parent, arg)
                    if key is not None:
                        yield Listener(str(entry.get("bus")), key, model.path, fid, None,
                                       index.returns_async(model.path, fid))

    def _decorated(self, model: FileModel, fn: Function, decorator) -> Iterator[Listener]:
        index = self.index
        is_js = model.language.is_js
        ref = index.resolve_path(model, fn.parent, decorator.callee)
        name = index.qualified(ref)
        entry = index.catalog.categories.first("event_listen_decorator", is_js, name)
        emitter = None
        if entry is None:
            entry = index.catalog.categories.first("event_listen", is_js, name)
            receiver = decorator.callee.rsplit(".", 1)[0] if "." in decorator.callee else None
            if entry is not None:
                emitter = emitter_identity(index, model, fn.parent, receiver)
            if entry is not None and entry.get("event") == "signal" and emitter is not None and not decorator.args:
                yield Listener(str(entry.get("bus")), _ANONYMOUS, model.path, fn.id, emitter,
                               index.returns_async(model.path, fn.id))
                return
            if entry is None or entry.get("event") == "signal":
                signal = self._signal_decorator(model, fn, decorator)
                if signal is not None:
                    yield signal
                return
        how = entry.get("event", 0)
        if not isinstance(how, int) or how >= len(decorator.args):
            return
        for event in event_names(index, model, fn.parent, decorator.args[how]) or ():
            yield Listener(str(entry.get("bus")), event, model.path, fn.id, emitter,
                           index.returns_async(model.path, fn.id))

    def _signal_decorator(self, model: FileModel, fn: Function, decorator) -> Optional[Listener]:
        """`@saved.connect` where `saved = signal("saved")`."""
        if "." not in decorator.callee or decorator.args:
            return None
        receiver, method = decorator.callee.rsplit(".", 1)
        origin = self.index.value_origin(model, fn.parent, receiver)
        if origin is None:
            return None
        factory = self.index.api(model, origin, "signal_factory")
        if factory is None or factory.get("listen") != method:
            return None
        name = _first_name(self.index, model, origin)
        if name is None:
            return None
        return Listener(str(factory.get("bus")), name, model.path, fn.id, None,
                        self.index.returns_async(model.path, fn.id))

    def _signal_method(self, model: FileModel, call: Call, role: str):
        """`signal("x").send(...)` / `saved.connect(f)`: (factory entry, signal name) or None."""
        if call.receiver_call is not None:
            origin = model.calls[call.receiver_call]
        else:
            origin = self.index.value_origin(model, call.function, call.receiver or "")
        if origin is None:
            return None
        factory = self.index.api(model, origin, "signal_factory")
        if factory is None or factory.get(role) != call.method:
            return None
        return factory, _first_name(self.index, model, origin)

    def _event_arg(self, model: FileModel, call: Call, how) -> Optional[tuple]:
        if how == "new":
            keys = set()
            for arg in call.args:
                key = class_key(self.index, model, call.function, arg)
                if key is None:
                    return None
                keys.add(key)
            return tuple(sorted(keys)) or None
        if not isinstance(how, int) or how >= len(call.args):
            return None
        return event_names(self.index, model, call.function, call.args[how])

    def _listener_function(self, model: FileModel, call: Call, arg: Arg) -> Optional[tuple[str, int]]:
        """The function a listener argument names: inline, by name, a method reference, `f.bind(this)`."""
        index = self.index
        if arg.kind is ArgKind.FUNCTION:
            return model.path, arg.function
        if arg.kind is ArgKind.NAME:
            ref = index.function_ref(model, call.function, arg.text)
            return (ref.path, ref.fid) if ref is not None else None
        if arg.kind is ArgKind.CALL:
            inner = model.calls[arg.call]
            if model.language.is_js and inner.method == "bind" and inner.receiver and inner.receiver_call is None:
                ref = index.function_ref(model, inner.function, inner.receiver)
                return (ref.path, ref.fid) if ref is not None else None
        return None


def _first_name(index: ProjectIndex, model: FileModel, call: Call) -> Optional[str]:
    if not call.args:
        return None
    names = event_names(index, model, call.function, call.args[0])
    return names[0] if names and len(names) == 1 else None


def class_key(index: ProjectIndex, model: FileModel, scope: Optional[int], arg: Arg) -> Optional[str]:
    """A project class named by `arg` (`UserCreated`, `new UserCreated(...)`): `path:Class`, else None."""
    dotted = None
    if arg.kind is ArgKind.NAME:
        dotted = arg.text
    elif arg.kind is ArgKind.CALL:
        inner = model.calls[arg.call]
        if inner.is_new:
            dotted = inner.callee
    if not dotted:
        return None
    ref = index.resolve_path(model, scope, dotted)
    if ref is None or ref.kind != "class":
        return None
    return f"{ref.path}:{ref.class_name}"


def emitter_identity(index: ProjectIndex, model: FileModel, scope: Optional[int], dotted: Optional[str],
                     depth: int = 0) -> Optional[tuple]:
    """The object a receiver names, when it is a module-level or local `x = new Emitter()` (through imports),
    or a field the class itself constructs (`private events = new EventEmitter()`, `self.ee = EventEmitter()`)."""
    if not dotted or depth > 6 or "?" in dotted:
        return None
    scopes = index.scopes(model.path)
    if "." in dotted:
        root, _, attr = dotted.partition(".")
        cls = scopes.enclosing_class(scope) if root in ("this", "self") and "." not in attr else None
        if cls is None:
            return None
        made = {b.value_call for b in model.bindings if b.name == dotted and b.class_name == cls}
        if len(made) == 1 and None not in made:
            return (model.path, made.pop())
        return None
    symbol = scopes.lookup(scope, dotted)
    if symbol is None:
        return None
    kind, value = symbol
    if kind == "binding":
        if value.value_call is not None:
            return (model.path, value.value_call)
        if value.value_name:
            return emitter_identity(index, model, value.function, value.value_name, depth + 1)
        return None
    if kind == "import" and value.name not in (None, "*"):
        if model.language.is_js:
            target = index.resolve_js_module(model.path, value.module)
            name = value.name
            if target is not None and name != "default":
                for ex in index.files[target].exports:
                    if ex.name == name and ex.local and ex.source is None:
                        return emitter_identity(index, index.files[target], None, ex.local, depth + 1)
            return None
        target = index.resolve_py_module(model.path, value.module, value.level)
        if target is not None:
            return emitter_identity(index, index.files[target], None, value.name, depth + 1)
    return None


def _matches(pattern: str, event: str, delimiter: Optional[str]) -> bool:
    if pattern == event:
        return True
    if delimiter is None or "*" not in pattern:
        return False
    parts = [re.escape(p) for p in pattern.split(delimiter)]
    regex = re.escape(delimiter).join(
        "[^" + re.escape(delimiter) + "]*" if p == r"\*" else (".*" if p == r"\*\*" else p) for p in parts
    )
    return re.fullmatch(regex, event) is not None


def listeners(index: ProjectIndex) -> Listeners:
    """The project's listeners, built once per index."""
    return index.derived("listeners", Listeners)


__all__ = ["Emit", "Listener", "Listeners", "class_key", "emitter_identity", "function_label", "listeners"]
