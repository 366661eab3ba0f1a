"""The value resolver: evaluates `Value`s for one project index, following names across files.

See the package docstring for what is resolved and what stays UNKNOWN.
"""
from __future__ import annotations

from typing import Optional

from lambdalint.model import Arg, Binding, Call, ClassInfo, FileModel, Value, ValueKind
from lambdalint.values.names import NameValues
from lambdalint.values.paths import path_function
from lambdalint.values.results import (
    ABSENT,
    UNKNOWN,
    _MISSING,
    CallValue,
    EnumMember,
    FunctionValue,
    ListValue,
    ObjectValue,
    Resolved,
    _is_int,
    _is_number,
    _plain,
    _stringify,
)
from lambdalint.values.scopes import FileTable

_MAX_DEPTH = 24
_MAX_KEYS = 256


class ValueResolver(NameValues):
    """Evaluates Values for one project index; memoises name results."""

    def __init__(self, index):
        self.index = index
        self._tables: dict[str, FileTable] = {}
        self._memo: dict[tuple, Resolved] = {}
        self._query_memo: dict[tuple, Resolved] = {}   # results cut by a cycle: valid for one question only
        self._active: set = set()
        self._cuts = 0
        self._depth = 0
        self._enum_memo: dict[tuple[str, str], tuple[bool, bool, bool]] = {}

    # ----------------------------------------------------------------- entry
    def resolve_like(self, model: FileModel, scope: Optional[int], value) -> Resolved:
        if isinstance(value, str):
            return self.name(model, scope, value)
        if isinstance(value, Binding):
            if value.kind not in ("assign", "declare") or value.value_expr is None:
                return UNKNOWN
            return self.resolve(model, value.function, value.value_expr)
        expr = _expr_of(value)
        return UNKNOWN if expr is None else self.resolve(model, scope, expr)

    def table(self, model: FileModel) -> "FileTable":
        table = self._tables.get(model.path)
        if table is None:
            table = self._tables[model.path] = FileTable(model)
        return table

    def _guarded(self, key: tuple, compute) -> Resolved:
        """Memoised, cycle-safe evaluation of one named thing."""
        found = self._memo.get(key, _MISSING)
        if found is not _MISSING:
            return found
        found = self._query_memo.get(key, _MISSING)
        if found is not _MISSING:
            self._cuts += 1                     # whatever uses a cut-shaped result is cut-shaped too
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
            return path_function(self, model, call, str(entry.get("op", "")))
        return CallValue(model.path, cid)

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
                if spread.unknown_keys:             # it may override what came before, not its own listed keys
                    entries = dict.fromkeys(entries, UNKNOWN)
                    unknown = True
                entries.update(spread.entries)
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


def _expr_of(value) -> Optional[Value]:
    if isinstance(value, Value):
        return value
    if isinstance(value, Arg):
        return value.expr
    if isinstance(value, Binding):
        return value.value_expr
    return None


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
