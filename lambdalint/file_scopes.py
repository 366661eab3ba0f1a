"""One file's symbol table, built on first use by the index: which binding, import, class or
function a name means in a scope, the methods and members of its classes, and what each function returns.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Optional

from lambdalint.model import Binding, Call, FileModel, FunctionKind, Use
from lambdalint.scoping import Scoping


class FileScopes:
    """Per-file symbol table: (scope function id, name) -> symbol."""

    def __init__(self, model: FileModel):
        self.model = model
        self.table: dict[tuple[Optional[int], str], tuple[str, object]] = {}
        self.methods: dict[tuple[str, str], int] = {}
        self.classes = {c.name: c for c in model.classes}
        self.returned_calls: dict[Optional[int], list[Call]] = defaultdict(list)
        self.returned_names: dict[Optional[int], list] = defaultdict(list)
        self.scoping = Scoping(model)
        self.members: dict[tuple[str, str], list[Binding]] = defaultdict(list)
        for binding in model.bindings:
            if binding.class_name is not None:
                member = binding.name.split(".", 1)[1] if "." in binding.name else binding.name
                if "." not in member and "[" not in member:
                    self.members[(binding.class_name, member)].append(binding)
            self._add_binding(binding)
        for imp in model.imports:
            self.table[(imp.function, imp.local)] = ("import", imp)
        for cls in model.classes:
            self.table[(cls.parent, cls.name)] = ("class", cls.name)
        for fn in model.functions:
            if fn.class_name is not None:
                if fn.name and fn.class_name != "{}":
                    self.methods.setdefault((fn.class_name, fn.name), fn.id)
            elif fn.name and fn.kind is FunctionKind.DECLARATION:
                self.table[(fn.parent, fn.name)] = ("function", fn.id)
        for call in model.calls:
            d = call.disposition
            if d.use is Use.RETURNED and d.container is None and call.function is not None:
                self.returned_calls[call.function].append(call)
        for ref in model.names:
            d = ref.disposition
            if d.use is Use.RETURNED and d.container is None and ref.function is not None:
                self.returned_names[ref.function].append(ref)

    def _add_binding(self, binding: Binding) -> None:
        if ("." in binding.name or "[" in binding.name or binding.kind in ("global", "nonlocal", "update", "delete")
                or binding.class_name is not None):
            return
        key = (self.scoping.scope_of(binding.function, binding.name), binding.name)
        current = self.table.get(key)
        if current is None or (current[0] == "binding" and _informative(binding) and not _informative(current[1])):
            self.table[key] = ("binding", binding)

    def lookup(self, scope: Optional[int], name: str):
        model = self.model
        while True:
            found = self.table.get((scope, name))
            if found is not None:
                return found
            if scope is None:
                return None
            scope = model.functions[scope].parent

    def enclosing_class(self, scope: Optional[int]) -> Optional[str]:
        for fn in self.model.enclosing_functions(scope):
            if fn.class_name and fn.class_name != "{}":
                return fn.class_name
        return None


def _informative(binding: Binding) -> bool:
    return binding.value_function is not None or binding.value_call is not None or bool(
        binding.type_name or binding.value_name
    )

