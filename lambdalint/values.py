"""Evaluating the model's `Value`s across files: literal strings, numbers, objects, lists — or UNKNOWN.

Rules need what an argument *is*: the event name behind `events.USER_REGISTERED`,
the keys of an options object held in a constant of another module, the
timeout inside `CallbackConfig(timeout=Duration.from_hours(1))`. The front ends
record each argument's and binding's shape (`Arg.expr`, `Binding.value_expr`,
`ClassInfo.values`: see `model.Value`); this module follows its names through
local bindings, module constants, imports and re-exports (ESM, CommonJS,
Python relative / absolute / star imports), TS enums, class constants and
static fields, Python enumerations, and destructured constants.

Never guessed: a name bound more than once in its scope, reassigned from a
nested function (JS) or through `global` (Python), an object or list mutated
through a property (`cfg.x = 1`, `cfg[k] = v`), a parameter, a loop variable,
a conditional, a computation, `this.x` / `self.x` — all are UNKNOWN, and a rule
that meets UNKNOWN stays silent. A spread of something unknown (`{...opts}`,
`**kw`) leaves the listed keys known but marks the object `unknown_keys`, and
the values listed before it UNKNOWN (it may override them).

API (`index` is the `ProjectIndex`, `model` a `FileModel`, `scope` the id of
the function the expression sits in — `call.function` for an argument — or
None for module level):

* `resolve_value(index, model, scope, v)` -> a result below. `v`: a `Value`,
  an `Arg` (its `expr`), a `Binding` (its `value_expr`, in its own scope) or
  a dotted path string (`"events.USER_REGISTERED"`).
* `string_value(index, model, scope, v)` -> `str` or None.
* `call_argument(index, model, call, position=None, keyword=None)` -> the
  resolved argument (positional index counts positional arguments only), or
  ABSENT when the call surely lacks it, UNKNOWN when a spread may supply it.
  `call` is a `Call` or a `CallValue` (then `model` may be None).
* `call_of(index, call_value)` -> `(FileModel, Call)` behind a CallValue
  (ask `index.api(model, call, category)` what it is).
* `template_parts(index, model, scope, v)` -> a template / f-string /
  concatenation as `[str | UNKNOWN, ...]`, or None when `v` is not one.
* Pure helpers on results: `as_string(r)`, `object_keys(r)` (exact key set or
  None), `has_key(r, key)` (True / False / None = unknown),
  `property(r, "timeout", "hours")` (value, ABSENT or UNKNOWN).

Results:

* `str`, `int`, `float`, `bool`, `None` (JS `null` / `undefined`, Python `None`);
* `ObjectValue(entries: {key: result}, unknown_keys: bool)`, with `.get(key)`
  (value, UNKNOWN or ABSENT) and `.has_spread` (= `unknown_keys`);
* `ListValue(items: tuple, unknown_items: bool)`;
* `CallValue(path, call)`: what a call returns, not evaluated (calls are never
  run); `Object.freeze(x)` / `typing.cast(T, x)` give `x` (category
  `value_identity`);
* `FunctionValue(path, fid)`, `ClassValue(path, name)` (a class or TS enum),
  `ModuleValue(path)`;
* `EnumMember(path, class_name, name, value, equals_value, formats_as_value)`:
  a Python enumeration member (`Plain.X.value` gives its value; a `StrEnum` or
  `(str, Enum)` member `equals_value`, so `string_value` gives its string);
  TS enum members are their values;
* `PathValue(path)`: a path computed from the file's own location
  (`path.join(__dirname, '../src/x.ts')`, `os.path.join(os.path.dirname(__file__), "lambda")`), written
  like `FileModel.path` (categories `path_location`, `path_function`); path functions of literals
  only give a plain `str` where the result does not depend on the working directory;
* `ExternalValue(qualified)`: a name outside the project, as the index
  qualifies it (`global:process.env.FN`, `os.environ.FN`,
  `aws-cdk-lib/aws-lambda:Runtime.NODEJS_24_X`, `aws_cdk.aws_lambda.Runtime.PYTHON_3_12`);
* `UNKNOWN`.

Results are plain frozen data and compare by value: two sites naming the same
enum member or class give equal results, so rules can match them without a
string.

Work is bounded: name results are memoised per (file, scope, path); cycles
across imports are cut (a result shaped by a cut is kept for the current
question only, so answers do not depend on the order of questions); depth is
capped; objects and lists are capped in size.
"""
from __future__ import annotations

import os
import posixpath
import weakref
from dataclasses import dataclass, field
from typing import Mapping, Optional, Union

from lambdalint.model import Arg, Binding, Call, ClassInfo, FileModel, FunctionKind, Language, Value, ValueKind

__all__ = [
    "UNKNOWN", "ABSENT", "ObjectValue", "ListValue", "CallValue", "FunctionValue", "ClassValue", "ModuleValue",
    "EnumMember", "ExternalValue", "PathValue", "resolve_value", "string_value", "as_string", "object_keys",
    "has_key", "property", "call_argument", "call_of", "template_parts", "resolver",
]

_MAX_DEPTH = 24
_MAX_KEYS = 256


class _Sentinel:
    __slots__ = ("_name",)

    def __init__(self, name: str):
        self._name = name

    def __repr__(self) -> str:
        return self._name

    def __reduce__(self):
        return self._name


UNKNOWN = _Sentinel("UNKNOWN")
"""The value cannot be known statically. Rules stay silent on it."""
ABSENT = _Sentinel("ABSENT")
"""`property` / `call_argument`: the object (exactly known) has no such key; the call has no such argument."""
_MISSING = _Sentinel("_MISSING")      # internal: a module has no such name (try the next place)


@dataclass(frozen=True)
class ObjectValue:
    """An object literal / dict display, evaluated. `unknown_keys`: a spread, computed key or cap may add keys
    not listed (and values listed before an unknown spread are UNKNOWN, since it may override them)."""

    entries: Mapping[str, object] = field(default_factory=dict)
    unknown_keys: bool = False

    def __hash__(self) -> int:
        return hash((tuple(self.entries.items()), self.unknown_keys))

    @property
    def has_spread(self) -> bool:
        return self.unknown_keys

    def get(self, key: str) -> object:
        """The value of `key`, UNKNOWN when it may exist but is not known, ABSENT when it surely does not."""
        if key in self.entries:
            return self.entries[key]
        return UNKNOWN if self.unknown_keys else ABSENT


@dataclass(frozen=True)
class ListValue:
    """An array / list / tuple / set display. `unknown_items`: a spread of unknown length was in it."""

    items: tuple = ()
    unknown_items: bool = False


@dataclass(frozen=True)
class CallValue:
    """The result of a call (`new InvokeCommand({...})`, `Duration.from_hours(1)`): `index.files[path].calls[call]`."""

    path: str
    call: int


@dataclass(frozen=True)
class FunctionValue:
    path: str
    fid: int


@dataclass(frozen=True)
class ClassValue:
    """A project class or TS enum, by file and name (`index.files[path].classes`)."""

    path: str
    name: str


@dataclass(frozen=True)
class ModuleValue:
    """A project module (`import * as events from './events'`, `from . import events`)."""

    path: str


@dataclass(frozen=True)
class EnumMember:
    """A member of a Python enumeration. `equals_value`: it compares equal to `value` (`StrEnum`, `(str, Enum)`);
    `formats_as_value`: `str()` / f-strings of it give the value (`StrEnum`, `IntEnum`)."""

    path: str
    class_name: str
    name: str
    value: object
    equals_value: bool = False
    formats_as_value: bool = False


@dataclass(frozen=True)
class PathValue:
    """A file system path computed from the analysed file's own location (`path.join(__dirname, '../src/x.ts')`,
    `os.path.join(os.path.dirname(__file__), "lambda")`), written like `FileModel.path`: relative to the
    working directory when the file's path is, normalised, with `/`."""

    path: str


@dataclass(frozen=True)
class ExternalValue:
    """A name outside the project, as the index qualifies it (`global:process.env.X`, `os.environ.X`)."""

    qualified: str


Resolved = object
ValueLike = Union[Value, Arg, Binding, str, None]


# --------------------------------------------------------------------------- public API

def resolver(index) -> "ValueResolver":
    """The resolver of `index` (one per index, created on first use)."""
    found = _RESOLVERS.get(index)
    if found is None:
        found = _RESOLVERS[index] = ValueResolver(index)
    return found


def resolve_value(index, model: FileModel, scope: Optional[int], value: ValueLike) -> Resolved:
    """Evaluate `value` as seen from function `scope` of `model` (None: module level).

    `value` may be a `Value`, an `Arg` (its `expr`), a `Binding` (its `value_expr`, evaluated in the
    binding's own scope; `scope` is then ignored) or a dotted path (`"events.USER_REGISTERED"`).
    """
    return resolver(index).resolve_like(model, scope, value)


def string_value(index, model: FileModel, scope: Optional[int], value: ValueLike) -> Optional[str]:
    """The string `value` surely is (a literal, a constant, an enum member equal to one, a template whose parts
    are all known), else None."""
    return as_string(resolve_value(index, model, scope, value))


def as_string(resolved: Resolved) -> Optional[str]:
    """A resolved value as a string when it is one (or an enum member equal to one), else None."""
    if isinstance(resolved, str):
        return resolved
    if isinstance(resolved, EnumMember) and resolved.equals_value and isinstance(resolved.value, str):
        return resolved.value
    return None


def object_keys(resolved: Resolved) -> Optional[frozenset]:
    """The exact key set of a resolved object; None when it is not an object or may have unknown keys."""
    if isinstance(resolved, ObjectValue) and not resolved.unknown_keys:
        return frozenset(resolved.entries)
    return None


def has_key(resolved: Resolved, key: str) -> Optional[bool]:
    """True / False when it is known whether the object has `key`; None when it is not known."""
    if not isinstance(resolved, ObjectValue):
        return None
    if key in resolved.entries:
        return True
    return None if resolved.unknown_keys else False


def property(resolved: Resolved, *path: str) -> Resolved:  # noqa: A001 - the name rules expect
    """`property(obj, "timeout", "hours")`: the value at that path, ABSENT when a known object lacks a key on
    the way, UNKNOWN when it cannot be known."""
    cur = resolved
    for key in path:
        if not isinstance(cur, ObjectValue):
            return UNKNOWN
        cur = cur.get(key)
        if cur is ABSENT or cur is UNKNOWN:
            return cur
    return cur


def call_of(index, value: CallValue) -> tuple[FileModel, Call]:
    """The file model and `Call` record behind a CallValue."""
    model = index.files[value.path]
    return model, model.calls[value.call]


def call_argument(index, model: FileModel, call: Union[Call, CallValue], position: Optional[int] = None,
                  keyword: Optional[str] = None) -> Resolved:
    """The resolved argument of `call` at `position` (counting positional arguments only) or by `keyword`
    (Python). ABSENT when the call surely has no such argument, UNKNOWN when a spread (`...a`, `*a`, `**kw`)
    may supply it. `model` may be None when `call` is a CallValue."""
    if isinstance(call, CallValue):
        model, call = call_of(index, call)
    arg = _argument(call, position, keyword)
    if arg is ABSENT or arg is UNKNOWN:
        return arg
    return resolve_value(index, model, call.function, arg)


def template_parts(index, model: FileModel, scope: Optional[int], value: ValueLike) -> Optional[list]:
    """A template / f-string / concatenation as its parts: literal strings, and each substitution's string when
    known, else UNKNOWN (`f"user.{kind}"` with an unknown `kind` -> ["user.", UNKNOWN]). None when `value`
    is not one of those. For matching wildcards or prefixes; `string_value` gives the whole string."""
    r = resolver(index)
    expr = _expr_of(value)
    if isinstance(value, Binding):
        scope = value.function
    if expr is None or expr.kind not in (ValueKind.TEMPLATE, ValueKind.CONCAT):
        return None
    js = model.language.is_js
    parts = []
    for item in expr.items or ():
        piece = _stringify(r.resolve(model, scope, item), js)
        parts.append(UNKNOWN if piece is None else piece)
    return parts


# --------------------------------------------------------------------------- resolver

_RESOLVERS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


class ValueResolver:
    """Evaluates Values for one project index; memoises name results."""

    def __init__(self, index):
        self.index = index
        self._tables: dict[str, _FileTable] = {}
        self._memo: dict[tuple, Resolved] = {}
        self._query_memo: dict[tuple, Resolved] = {}   # results cut by a cycle: valid for one question only
        self._active: set = set()
        self._cuts = 0
        self._depth = 0
        self._enum_memo: dict[tuple[str, str], tuple[bool, bool, bool]] = {}

    # ----------------------------------------------------------------- entry
    def resolve_like(self, model: FileModel, scope: Optional[int], value: ValueLike) -> Resolved:
        if isinstance(value, str):
            return self.name(model, scope, value)
        if isinstance(value, Binding):
            if value.kind not in ("assign", "declare") or value.value_expr is None:
                return UNKNOWN
            return self.resolve(model, value.function, value.value_expr)
        expr = _expr_of(value)
        return UNKNOWN if expr is None else self.resolve(model, scope, expr)

    def table(self, model: FileModel) -> "_FileTable":
        table = self._tables.get(model.path)
        if table is None:
            table = self._tables[model.path] = _FileTable(model)
        return table

    def _guarded(self, key: tuple, compute) -> Resolved:
        """Memoised, cycle-safe evaluation of one named thing."""
        found = self._memo.get(key, _MISSING)
        if found is _MISSING:
            found = self._query_memo.get(key, _MISSING)
        if found is not _MISSING:
            return found
        if key in self._active or self._depth >= _MAX_DEPTH:
            self._cuts += 1
            return UNKNOWN
        cuts = self._cuts
        self._active.add(key)
        self._depth += 1
        try:
            result = compute()
        finally:
            self._depth -= 1
            self._active.discard(key)
            if self._depth == 0:
                self._query_memo.clear()
        if self._cuts == cuts:
            self._memo[key] = result
        elif self._depth:
            # A result shaped by a cut depends on where the question started: kept for this question only,
            # so that a structure that refers to a cycle many times is still evaluated once per name.
            self._query_memo[key] = result
        return result

    # ----------------------------------------------------------------- values
    def resolve(self, model: FileModel, scope: Optional[int], value: Value) -> Resolved:
        kind = value.kind
        if kind is ValueKind.STRING or kind is ValueKind.NUMBER or kind is ValueKind.BOOL:
            return value.literal
        if kind is ValueKind.NONE:
            return None
        if kind is ValueKind.NAME:
            return self.name(model, scope, value.literal) if isinstance(value.literal, str) else UNKNOWN
        if kind is ValueKind.CALL:
            return self.call(model, value.ref)
        if kind is ValueKind.FUNCTION:
            return FunctionValue(model.path, value.ref) if value.ref is not None else UNKNOWN
        if kind is ValueKind.OBJECT:
            return self.object(model, scope, value)
        if kind is ValueKind.ARRAY:
            return self.array(model, scope, value)
        if kind is ValueKind.TEMPLATE:
            return self.template(model, scope, value)
        if kind is ValueKind.CONCAT:
            return self.concat(model, scope, value)
        return UNKNOWN

    def call(self, model: FileModel, cid: Optional[int]) -> Resolved:
        if cid is None or cid >= len(model.calls):
            return UNKNOWN
        return self._guarded(("call", model.path, cid), lambda: self._call(model, model.calls[cid]))

    def _call(self, model: FileModel, call: Call) -> Resolved:
        cid = call.id
        entry = self.index.api(model, call, "value_identity")
        if entry is not None:
            arg = _argument(call, int(entry.get("arg", 0)), None)
            if arg is ABSENT or arg is UNKNOWN:
                return UNKNOWN
            return self.resolve_like(model, call.function, arg)
        entry = self.index.api(model, call, "path_function")
        if entry is not None:
            return self.path_function(model, call, str(entry.get("op", "")))
        return CallValue(model.path, cid)

    def path_function(self, model: FileModel, call: Call, op: str) -> Resolved:
        """`path.join(__dirname, 'src')` and the like, with every segment known; never a result that depends on
        the working directory (`path.resolve('src')`, `os.path.abspath('src')`)."""
        segments = []
        for arg in call.args:
            if arg.spread or arg.keyword is not None:
                return UNKNOWN
            segment = self.resolve_like(model, call.function, arg)
            if op == "from_file_url" and isinstance(segment, ExternalValue):
                location = self.index.catalog.categories.first("path_location", True, segment.qualified)
                if location is not None and location.get("kind") == "url":
                    segment = PathValue(model.path.replace(os.sep, "/"))
            if not isinstance(segment, (str, PathValue)):
                return UNKNOWN
            segments.append(segment)
        if not segments:
            return UNKNOWN
        if op == "resolve":
            anchors = [i for i, s in enumerate(segments) if isinstance(s, PathValue)]
            if not anchors or any(isinstance(s, str) and s.startswith("/") for s in segments):
                return UNKNOWN                  # relative to the working directory at run time: not known
            segments = segments[anchors[-1]:]
        elif op == "from_file_url":
            return segments[0] if len(segments) == 1 and isinstance(segments[0], PathValue) else UNKNOWN
        elif op == "dirname" or op == "normalize" or op == "absolute":
            if len(segments) != 1:
                return UNKNOWN
            if op == "absolute" and isinstance(segments[0], str) and not segments[0].startswith("/"):
                return UNKNOWN                  # relative to the working directory at run time
        elif not model.language.is_js:
            # Python's join restarts at an absolute segment; Node's join does not.
            restart = [i for i, s in enumerate(segments) if isinstance(s, str) and s.startswith("/")]
            if restart:
                segments = segments[restart[-1]:]
        texts = [s.path if isinstance(s, PathValue) else s for s in segments]
        if any(isinstance(s, PathValue) for s in segments[1:]):
            return UNKNOWN                      # a location in the middle of a join is not a path we can know
        if op == "dirname":
            result = posixpath.dirname(texts[0]) or "."
        else:
            result = posixpath.normpath("/".join(t for t in texts if t) or ".")
        return PathValue(result) if isinstance(segments[0], PathValue) else result

    def object(self, model: FileModel, scope: Optional[int], value: Value) -> ObjectValue:
        entries: dict = {}
        unknown = False
        js = model.language.is_js
        for key, item in value.entries or ():
            if key is not None:
                entries[key] = self.resolve(model, scope, item)     # a repeated key keeps its place
                continue
            if item.kind is ValueKind.COMPUTED and item.items and len(item.items) == 2:
                computed = _plain(self.resolve(model, scope, item.items[0]))
                if js and _is_int(computed):
                    computed = str(computed)
                if isinstance(computed, str):
                    entries[computed] = self.resolve(model, scope, item.items[1])
                elif not js and (computed is None or isinstance(computed, (int, float))):
                    unknown = True              # a number key is no string key: listed values stay known
                else:
                    entries = dict.fromkeys(entries, UNKNOWN)
                    unknown = True
                continue
            spread = self.resolve(model, scope, item)
            if isinstance(spread, ObjectValue):
                entries.update(spread.entries)
                if spread.unknown_keys:
                    entries = dict.fromkeys(entries, UNKNOWN)
                    unknown = True
            elif spread is None and js and item.kind is not ValueKind.UNKNOWN:
                continue                        # `...undefined` / `...null` adds nothing
            else:
                entries = dict.fromkeys(entries, UNKNOWN)
                unknown = True
            if len(entries) > _MAX_KEYS:
                return ObjectValue({}, True)
        return ObjectValue(entries, unknown)

    def array(self, model: FileModel, scope: Optional[int], value: Value) -> ListValue:
        items = []
        unknown = False
        for item in value.items or ():
            if item.kind is ValueKind.SPREAD:
                inner = self.resolve(model, scope, item.items[0]) if item.items else UNKNOWN
                if isinstance(inner, ListValue):
                    items.extend(inner.items)
                    unknown = unknown or inner.unknown_items
                else:
                    unknown = True
            else:
                items.append(self.resolve(model, scope, item))
            if len(items) > _MAX_KEYS:
                return ListValue(tuple(items[:_MAX_KEYS]), True)
        return ListValue(tuple(items), unknown)

    def template(self, model: FileModel, scope: Optional[int], value: Value) -> Resolved:
        js = model.language.is_js
        pieces = []
        for item in value.items or ():
            resolved = self.resolve(model, scope, item)
            if isinstance(resolved, EnumMember):
                resolved = resolved.value if resolved.formats_as_value else UNKNOWN
            piece = _stringify(resolved, js)
            if piece is None:
                return UNKNOWN
            pieces.append(piece)
        return "".join(pieces)

    def concat(self, model: FileModel, scope: Optional[int], value: Value) -> Resolved:
        """`+` as the language means it: JS joins as soon as one side is a string; Python only adds like types."""
        js = model.language.is_js
        items = value.items or ()
        if not items:
            return UNKNOWN
        acc = _plain(self.resolve(model, scope, items[0]))
        for item in items[1:]:
            right = _plain(self.resolve(model, scope, item))
            if acc is UNKNOWN or right is UNKNOWN:
                return UNKNOWN
            if js:
                if isinstance(acc, str) or isinstance(right, str):
                    left_s, right_s = _stringify(acc, True), _stringify(right, True)
                    if left_s is None or right_s is None:
                        return UNKNOWN
                    acc = left_s + right_s
                elif _is_int(acc) and _is_int(right):
                    acc = acc + right
                else:
                    return UNKNOWN
            elif isinstance(acc, str) and isinstance(right, str):
                acc = acc + right
            elif _is_number(acc) and _is_number(right):
                acc = acc + right
            else:
                return UNKNOWN
        return acc

    # ------------------------------------------------------------------ names
    def name(self, model: FileModel, scope: Optional[int], dotted: str) -> Resolved:
        if not dotted or "?" in dotted or "(" in dotted or "[" in dotted:
            return UNKNOWN
        return self._guarded(("name", model.path, scope, dotted), lambda: self._name(model, scope, dotted))

    def _name(self, model: FileModel, scope: Optional[int], dotted: str) -> Resolved:
        parts = dotted.split(".")
        root = parts[0]
        if root in ("this", "self", "cls", "super"):
            return UNKNOWN
        table = self.table(model)
        for k in range(len(parts), 0, -1):
            prefix = ".".join(parts[:k]) if k > 1 else root
            found = table.lookup(scope, prefix)
            if found is None:
                continue
            where, symbols = found
            base = self.symbol(model, where, prefix, symbols)
            if base is _EXTERNAL:
                return self.external(model, scope, dotted)
            for part in parts[k:]:
                base = self.member(base, part)
                if base is UNKNOWN:
                    return UNKNOWN
            return base
        if model.language.is_js and root == "undefined" and len(parts) == 1:
            return None
        return self.external(model, scope, dotted)

    def external(self, model: FileModel, scope: Optional[int], dotted: str) -> Resolved:
        ref = self.index.resolve_path(model, scope, dotted)
        if ref is not None and ref.kind == "external" and ref.qualified:
            location = self.index.catalog.categories.first("path_location", model.language.is_js, ref.qualified)
            if location is not None and location.get("kind") != "url":
                own = model.path.replace(os.sep, "/")
                return PathValue(own if location.get("kind") == "file" else posixpath.dirname(own) or ".")
            return ExternalValue(ref.qualified)
        return UNKNOWN

    def symbol(self, model: FileModel, where: Optional[int], name: str, symbols: list) -> Resolved:
        """What one declared name holds; a name declared twice in its scope is not a constant."""
        if len(symbols) != 1:
            return UNKNOWN
        kind, obj = symbols[0]
        if kind == "binding":
            return self.binding(model, where, name, obj)
        if kind == "import":
            return self.imported(model, obj)
        if kind == "class":
            return ClassValue(model.path, obj.name)
        if kind == "function":
            return FunctionValue(model.path, obj)
        return UNKNOWN

    def binding(self, model: FileModel, where: Optional[int], name: str, binding: Binding) -> Resolved:
        table = self.table(model)
        if binding.value_expr is None or binding.kind not in ("assign", "declare"):
            return UNKNOWN
        if "." in name:
            if table.dotted_counts.get(name, 0) != 1:
                return UNKNOWN                  # a property set more than once in the file
        elif model.language.is_js:
            if binding.kind == "assign":
                return UNKNOWN                  # an assignment to a name declared elsewhere: not a constant
            if table.reassigned_below(name, where):
                return UNKNOWN
        elif name in table.python_globals:
            return UNKNOWN
        result = self.resolve(model, binding.function, binding.value_expr)
        if isinstance(result, (ObjectValue, ListValue)) and name in table.mutated:
            return UNKNOWN                      # `cfg.timeout = 5` / `cfg[k] = v` elsewhere changes it
        return result

    def imported(self, model: FileModel, imp) -> Resolved:
        index = self.index
        if model.language.is_js:
            target = index.resolve_js_module(model.path, imp.module)
            if target is None:
                return _EXTERNAL
            if imp.name is None:
                return ModuleValue(target)
            return _found(self.exported(target, imp.name))
        if imp.name is None:
            target = index.resolve_py_module(model.path, imp.module, imp.level)
            return ModuleValue(target) if target is not None else _EXTERNAL
        target = index.resolve_py_module(model.path, imp.module, imp.level)
        if target is not None:
            found = self.module_member(target, imp.name)
            if found is not _MISSING:
                return found
        submodule = f"{imp.module}.{imp.name}" if imp.module else imp.name
        sub = index.resolve_py_module(model.path, submodule, imp.level)
        if sub is not None:
            return ModuleValue(sub)
        if target is None and not imp.level:
            return _EXTERNAL
        return UNKNOWN

    def exported(self, path: str, name: str) -> Resolved:
        """What JS module `path` exports as `name` (`_MISSING` when it exports no such name)."""
        return self._guarded(("export", path, name), lambda: self._exported(path, name))

    def _exported(self, path: str, name: str) -> Resolved:
        index = self.index
        model = index.files[path]
        stars = []
        for ex in model.exports:
            if ex.name == "*":
                stars.append(ex)
                continue
            if ex.name != name:
                continue
            if ex.source is not None:
                target = index.resolve_js_module(path, ex.source)
                if target is None:
                    return ExternalValue(_js_external(ex.source, ex.source_name or name))
                if ex.source_name == "*":
                    return ModuleValue(target)
                return _found(self.exported(target, ex.source_name or name))
            if ex.local:
                return self.name(model, None, ex.local)
            if ex.function is not None:
                return FunctionValue(path, ex.function)
            if ex.call is not None:
                return self.call(model, ex.call)
            return self.commonjs_member(model, name)
        for ex in stars:
            target = index.resolve_js_module(path, ex.source or "")
            if target is not None:
                found = self.exported(target, name)
                if found is not _MISSING:
                    return found
        return _MISSING

    def commonjs_member(self, model: FileModel, name: str) -> Resolved:
        """`exports.X = v`, `module.exports.X = v`, `module.exports = { X: v }`."""
        table = self.table(model)
        for dotted in (f"exports.{name}", f"module.exports.{name}"):
            if table.lookup(None, dotted) is not None:
                return self.name(model, None, dotted)
        whole = self.name(model, None, "module.exports")
        if isinstance(whole, ObjectValue):
            value = whole.get(name)
            return UNKNOWN if value is ABSENT else value
        return UNKNOWN

    def module_member(self, path: str, name: str) -> Resolved:
        """What Python module `path` binds as `name` at module level (`_MISSING` when nothing)."""
        return self._guarded(("member", path, name), lambda: self._module_member(path, name))

    def _module_member(self, path: str, name: str) -> Resolved:
        model = self.index.files[path]
        table = self.table(model)
        found = table.symbols.get((None, name))
        if found is not None:
            base = self.symbol(model, None, name, found)
            return self.external(model, None, name) if base is _EXTERNAL else base
        for imp in reversed(model.imports):
            if imp.name == "*" and imp.function is None:
                target = self.index.resolve_py_module(path, imp.module, imp.level)
                if target is not None:
                    found = self.module_member(target, name)
                    if found is not _MISSING:
                        return found
        return _MISSING

    def member(self, base: Resolved, part: str) -> Resolved:
        if isinstance(base, ObjectValue):
            value = base.get(part)
            return UNKNOWN if value is ABSENT else value
        if isinstance(base, ModuleValue):
            model = self.index.files[base.path]
            found = self.exported(base.path, part) if model.language.is_js else self.module_member(base.path, part)
            return _found(found)
        if isinstance(base, ClassValue):
            return self.class_member(base.path, base.name, part)
        if isinstance(base, EnumMember):
            if part == "value":
                return base.value
            if part == "name":
                return base.name
            return UNKNOWN
        if isinstance(base, ExternalValue):
            q = base.qualified
            return ExternalValue(_js_member(q, part) if ":" in q else f"{q}.{part}")
        return UNKNOWN

    def class_member(self, path: str, class_name: str, part: str) -> Resolved:
        return self._guarded(("class", path, class_name, part), lambda: self._class_member(path, class_name, part))

    def _class_member(self, path: str, class_name: str, part: str) -> Resolved:
        model = self.index.files[path]
        info = self.table(model).classes.get(class_name)
        if info is None:
            return UNKNOWN
        values = info.values or {}
        if part in values:
            value = self.resolve(model, info.parent, values[part])
            if model.language is Language.PYTHON:
                is_enum, equals, formats = self.python_enum(model, info)
                if is_enum:
                    return EnumMember(path, class_name, part, value, equals, formats)
            return value
        if info.is_enum:
            return UNKNOWN
        fid = self.index.scopes(path).methods.get((class_name, part))
        if fid is not None:
            return FunctionValue(path, fid)
        for base in info.bases:
            base_value = self.name(model, info.parent, base)
            if isinstance(base_value, ClassValue):
                found = self.class_member(base_value.path, base_value.name, part)
                if found is not UNKNOWN:
                    return found
        return UNKNOWN

    def python_enum(self, model: FileModel, info: ClassInfo) -> tuple[bool, bool, bool]:
        """(is an enumeration, members equal their values, members format as their values), from the bases."""
        key = (model.path, info.name)
        if key in self._enum_memo:
            return self._enum_memo[key]
        self._enum_memo[key] = (False, False, False)
        categories = self.index.catalog.categories
        is_enum = equals = formats = False
        mixin = False
        for base in info.bases:
            if not base or "(" in base or "[" in base or "?" in base:
                continue
            ref = self.index.resolve_path(model, info.parent, base)
            if ref is None:
                continue
            if ref.kind == "class" and ref.path is not None:
                inherited = self.python_enum(self.index.files[ref.path],
                                             self.table(self.index.files[ref.path]).classes.get(ref.class_name)
                                             or info)
                is_enum, equals, formats = is_enum or inherited[0], equals or inherited[1], formats or inherited[2]
                continue
            qualified = self.index.qualified(ref)
            entry = categories.first("enum_class", False, qualified)
            if entry is not None:
                is_enum = True
                equals = equals or bool(entry.get("equals_value"))
                formats = formats or bool(entry.get("formats_as_value"))
            elif categories.first("enum_mixin", False, qualified) is not None:
                mixin = True
        result = (is_enum, equals or (is_enum and mixin), formats)
        self._enum_memo[key] = result
        return result


_EXTERNAL = _Sentinel("_EXTERNAL")    # internal: the symbol comes from outside the project; ask the index


class _FileTable:
    """One file's names for value resolution: every declaration of a name is kept (not only the first), so
    that a name declared twice is seen to be no constant."""

    def __init__(self, model: FileModel):
        self.model = model
        symbols: dict[tuple[Optional[int], str], list] = {}
        reassigned: dict[str, list[Optional[int]]] = {}
        mutated: set[str] = set()
        dotted_counts: dict[str, int] = {}
        python_globals: set[str] = set()
        js = model.language.is_js
        for binding in model.bindings:
            name = binding.name
            if binding.kind == "global":
                python_globals.add(name)
                continue
            if name in ("{}", "[]", "?") or binding.class_body is not None:
                continue                        # class attributes are read through their class
            if "[" in name or "." in name:
                # `a.b.c = v` / `a[k] = v` changes what `a` and `a.b` hold.
                path = name.split("[", 1)[0]
                segments = path.split(".")
                stop = len(segments) if "[" in name else len(segments) - 1
                for k in range(1, stop + 1):
                    mutated.add(".".join(segments[:k]))
                if "[" in name:
                    continue
                dotted_counts[name] = dotted_counts.get(name, 0) + 1
            symbols.setdefault((binding.function, name), []).append(("binding", binding))
            if js and "." not in name and binding.kind in ("assign", "augmented", "for"):
                reassigned.setdefault(name, []).append(binding.function)
        for imp in model.imports:
            if imp.name == "*":
                continue
            key = (imp.function, imp.local)
            found = symbols.setdefault(key, [])
            if js:
                # `const x = require('m')` is one import, not also a second declaration of `x`.
                found[:] = [s for s in found if s[0] != "binding" or s[1].kind != "declare"]
            found.append(("import", imp))
        classes: dict[str, ClassInfo] = {}
        for info in model.classes:
            symbols.setdefault((info.parent, info.name), []).append(("class", info))
            classes.setdefault(info.name, info)
        for fn in model.functions:
            if fn.class_name is None and fn.name and fn.kind is FunctionKind.DECLARATION:
                symbols.setdefault((fn.parent, fn.name), []).append(("function", fn.id))
        self.symbols = symbols
        self.reassigned = reassigned
        self.dotted_counts = dotted_counts
        self.mutated = frozenset(mutated)
        self.python_globals = frozenset(python_globals)
        self.classes = classes

    def lookup(self, scope: Optional[int], name: str) -> Optional[tuple[Optional[int], list]]:
        functions = self.model.functions
        while True:
            found = self.symbols.get((scope, name))
            if found is not None:
                return scope, found
            if scope is None:
                return None
            scope = functions[scope].parent

    def reassigned_below(self, name: str, where: Optional[int]) -> bool:
        """A JS name declared in `where` is assigned in `where` or in a nested function that does not
        declare its own `name`."""
        scopes = self.reassigned.get(name)
        if not scopes:
            return False
        functions = self.model.functions
        for scope in scopes:
            cur = scope
            while True:
                if cur == where:
                    return True
                if cur is None:
                    break
                if cur != scope and self._declares(cur, name):
                    break
                cur = functions[cur].parent
        return False

    def _declares(self, scope: Optional[int], name: str) -> bool:
        for kind, obj in self.symbols.get((scope, name), ()):
            if kind != "binding" or obj.kind in ("declare", "param"):
                return True
        return False


# --------------------------------------------------------------------------- helpers

def _expr_of(value) -> Optional[Value]:
    if isinstance(value, Value):
        return value
    if isinstance(value, Arg):
        return value.expr
    if isinstance(value, Binding):
        return value.value_expr
    return None


def _found(value: Resolved) -> Resolved:
    return UNKNOWN if value is _MISSING or value is _EXTERNAL else value


def _argument(call: Call, position: Optional[int], keyword: Optional[str]):
    """The Arg at a positional index or keyword, ABSENT, or UNKNOWN when a spread may supply it."""
    spread_positional = spread_keyword = False
    seen = 0
    for arg in call.args:
        if arg.spread:
            spread_keyword = True           # Python `*a` and `**kw` are not told apart in the model
            spread_positional = True
            continue
        if arg.keyword is not None:
            if keyword is not None and arg.keyword == keyword:
                return arg
            continue
        if position is not None and seen == position and not spread_positional:
            return arg
        seen += 1
    if position is not None and spread_positional:
        return UNKNOWN
    if keyword is not None and spread_keyword:
        return UNKNOWN
    return ABSENT


def _plain(value: Resolved) -> Resolved:
    if isinstance(value, EnumMember):
        return value.value if value.equals_value else UNKNOWN
    return value


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _stringify(value: Resolved, js: bool) -> Optional[str]:
    """How a template / f-string writes a value; None when it is not certain."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return ("true" if value else "false") if js else str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not js:
            return str(value)
        if value.is_integer() and abs(value) < 1e21:
            return str(int(value))
        return None
    if value is None and not js:
        return "None"
    return None


def _js_external(module: str, name: Optional[str]) -> str:
    module = module.removeprefix("node:")
    return f"{module}:" if name in (None, "default") else f"{module}:{name}"


def _js_member(qualified: str, member: str) -> str:
    return qualified + member if qualified.endswith(":") else f"{qualified}.{member}"
