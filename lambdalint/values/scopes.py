"""One file's names as the value resolver sees them: every declaration of a name, not only the first."""
from __future__ import annotations

from typing import Optional

from lambdalint.model import ClassInfo, FileModel, FunctionKind


class FileTable:
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
            if js and "." not in name and binding.kind in ("assign", "augmented", "update", "for"):
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
        exports: dict = {}
        stars: list = []
        for ex in model.exports:
            if ex.name == "*":
                stars.append(ex)
            else:
                exports.setdefault(ex.name, ex)     # the first export of a name is the one that counts
        self.call_mutated: Optional[frozenset] = None   # filled by the resolver on first need
        self.exports = exports
        self.star_exports = stars
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
