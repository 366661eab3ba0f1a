"""Which function's variable a name is, by each language's own rules.

JavaScript: an assignment without a declaration binds the nearest enclosing
declaration (`let pending; const start = () => { pending = fetch(u) }` binds
the outer `pending`); with none, the module's. Python: any assignment makes a
local, unless the function says `global` (the module's) or `nonlocal` (the
nearest enclosing function's); class bodies are not enclosing scopes, so a
class attribute never shadows a module-level name.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Optional

from lambdalint.model import FileModel, FunctionKind

_JS_NON_DECLARING = frozenset({"assign", "augmented", "update", "delete"})
_PY_REDIRECTING = frozenset({"global", "nonlocal"})


class Scoping:
    def __init__(self, model: FileModel):
        self.model = model
        self.js = model.language.is_js
        kinds: dict[tuple[Optional[int], str], set] = defaultdict(set)
        for binding in model.bindings:
            if "." in binding.name or "[" in binding.name or binding.class_name is not None:
                continue
            kinds[(binding.function, binding.name)].add(binding.kind)
        for fn in model.functions:
            for param in fn.params:
                kinds[(fn.id, param.name)].add("param")
            if fn.name and fn.class_name is None and fn.kind is FunctionKind.DECLARATION:
                kinds[(fn.parent, fn.name)].add("function")
        for imp in model.imports:
            kinds[(imp.function, imp.local)].add("import")
        for cls in model.classes:
            kinds[(cls.parent, cls.name)].add("class")
        self.kinds = dict(kinds)

    def declares(self, fid: Optional[int], name: str) -> bool:
        """Whether `name` is a variable of function `fid` itself (None: the module)."""
        kinds = self.kinds.get((fid, name))
        if not kinds:
            return False
        if fid is None:
            return True
        if self.js:
            return bool(kinds - _JS_NON_DECLARING)
        return not (kinds & _PY_REDIRECTING)

    def scope_of(self, fid: Optional[int], name: str) -> Optional[int]:
        """The function whose variable `name` is, seen from code in `fid`; None: the module."""
        current = fid
        while current is not None:
            kinds = self.kinds.get((current, name))
            if kinds:
                if not self.js and "global" in kinds:
                    return None
                if self.declares(current, name):
                    return current
            current = self.model.functions[current].parent
        return None
