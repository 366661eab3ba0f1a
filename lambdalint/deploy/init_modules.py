"""The project modules a handler module imports when the runtime loads it (module-level imports, transitively)."""
from __future__ import annotations

import os
from collections import deque
from typing import TYPE_CHECKING, Iterator, Optional

from lambdalint.model import FileModel, Import

if TYPE_CHECKING:
    from lambdalint.index import ProjectIndex


def init_imports(model: FileModel) -> Iterator[Import]:
    """Imports that run at module level (not inside a function; TypeScript `import type` runs nothing)."""
    for imp in model.imports:
        if imp.function is None and not imp.type_only:
            yield imp


def project_target(index: "ProjectIndex", model: FileModel, imp: Import):
    """The project file an import names, or None for a package (or a module the project does not have)."""
    if model.language.is_js:
        return index.resolve_js_module(model.path, imp.module)
    target = index.resolve_py_module(model.path, imp.module, imp.level)
    if target is None and imp.name and imp.name != "*":
        joined = f"{imp.module}.{imp.name}" if imp.module else imp.name
        target = index.resolve_py_module(model.path, joined, imp.level)
    return target


def inside(path: str, folder: Optional[str]) -> bool:
    """Whether project file `path` lies in `folder` (None: anywhere)."""
    if folder is None:
        return True
    absolute, root = os.path.abspath(path), os.path.abspath(folder).rstrip(os.sep) + os.sep
    return absolute.startswith(root)


def init_modules(index: "ProjectIndex", entry: str, within: Optional[str] = None) -> list[str]:
    """`entry` and every project module it imports at init, in the order they are reached.

    With `within` (a function's code folder), only modules deployed with the function are followed: a
    project module outside it reaches the function as a package (from its manifest or a layer), if at all.
    """
    seen, order, queue = {entry}, [entry], deque([entry])
    while queue:
        path = queue.popleft()
        model = index.files[path]
        for imp in init_imports(model):
            target = project_target(index, model, imp)
            if target is not None and target not in seen and inside(target, within):
                seen.add(target)
                order.append(target)
                queue.append(target)
    return order
