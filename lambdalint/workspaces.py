"""Packages of the project's own workspace: `import { audit } from "@acme/audit"` names the source of the
`packages/audit` folder whose `package.json` says `"name": "@acme/audit"`.

Monorepos (npm, yarn and pnpm workspaces, lerna, nx) import their sibling packages by name, and the
installed copy is a link to the folder in the tree — so the code the import runs is in the project. The
packages are found from the folders of the indexed files: the nearest `package.json` above each one
that has a `name`. The entry point is what the manifest names (`source`, `types`, `module`, `main`, the
`.` of `exports`), tried as written and, for built output (`lib/`, `dist/`, `build/`, `out/`), in `src/`
as TypeScript; then `src/index` and `index`. A subpath import (`@acme/audit/retry`) is tried below the
package folder and its `src/`. A name no package of the project has stays an external package, and so
does one the catalogue describes.

The manifests are read through `observe`, so stored findings are reused only while they say the same.
"""
from __future__ import annotations

import json
import posixpath
from typing import Callable, Iterable, Optional

from lambdalint import observe

_BUILT = ("lib/", "dist/", "build/", "out/")
_ENTRY_FIELDS = ("source", "types", "typings", "module", "main")


class Workspaces:
    """Package name -> (folder, entry candidates), from the manifests above the given folders (absolute,
    posix), found on first use. Packages `external(name)` says the catalogue describes stay external
    (the SDK's own repository imports the SDK by name: its catalogued API is what the rules know)."""

    def __init__(self, folders: Iterable[str], external: Callable[[str], bool] = lambda _name: False):
        self._folders = folders
        self._external = external
        self._packages: Optional[dict[str, tuple[str, tuple[str, ...]]]] = None

    def candidates(self, specifier: str) -> list[str]:
        """Absolute paths (without an extension, or as written) the specifier may name, in order."""
        name, subpath = _split(specifier)
        if name is None or self._external(name):
            return []
        found = self._known().get(name)
        if found is None:
            return []
        folder, entries = found
        if subpath:
            return [posixpath.join(folder, subpath), posixpath.join(folder, "src", subpath)]
        return [posixpath.normpath(posixpath.join(folder, entry)) for entry in entries]

    def _known(self) -> dict[str, tuple[str, tuple[str, ...]]]:
        if self._packages is None:
            self._packages = {}
            seen: set = set()
            for folder in self._folders:
                manifest = _nearest_manifest(folder, seen)
                if manifest is not None:
                    name, entries = _read(manifest)
                    if name and name not in self._packages:
                        self._packages[name] = (posixpath.dirname(manifest), entries)
        return self._packages


def _split(specifier: str) -> tuple[Optional[str], str]:
    parts = specifier.split("/")
    if specifier.startswith("@"):
        if len(parts) < 2 or not parts[1]:
            return None, ""
        return "/".join(parts[:2]), "/".join(parts[2:])
    return (parts[0] or None), "/".join(parts[1:])


def _nearest_manifest(folder: str, seen: set, limit: int = 32) -> Optional[str]:
    current = folder
    for _ in range(limit):
        if current in seen:
            return None  # a folder below which another file already found its manifest
        seen.add(current)
        path = posixpath.join(current, "package.json")
        if observe.isfile(path):
            return path
        parent = posixpath.dirname(current)
        if parent == current:
            return None
        current = parent
    return None


def _read(path: str) -> tuple[Optional[str], tuple[str, ...]]:
    try:
        data = json.loads(observe.read_bytes(path))
    except (OSError, ValueError):
        return None, ()
    if not isinstance(data, dict) or not isinstance(data.get("name"), str):
        return None, ()
    written = [data[key] for key in _ENTRY_FIELDS if isinstance(data.get(key), str)]
    written += _exported_entries(data.get("exports"))
    entries: list[str] = []
    for entry in written:
        for candidate in (entry, *_source_of(entry)):
            if candidate not in entries:
                entries.append(candidate)
    entries += ["src/index", "index"]
    return data["name"], tuple(entries)


def _exported_entries(exports) -> list[str]:
    """The targets of `exports["."]` (a string, or conditions: `types`, `import`, `require`, `default`)."""
    if isinstance(exports, dict) and "." in exports:
        exports = exports["."]
    if isinstance(exports, str):
        return [exports]
    found: list[str] = []
    if isinstance(exports, dict):
        for condition in ("source", "types", "import", "require", "default"):
            value = exports.get(condition)
            found += _exported_entries(value) if isinstance(value, (dict, str)) else []
    return found


def _source_of(entry: str) -> list[str]:
    """`lib/cjs/index.js`, `dist/index.d.ts` -> `src/index` (built output of TypeScript sources)."""
    entry = entry[2:] if entry.startswith("./") else entry
    if not entry.startswith(_BUILT):
        return []
    rest = entry.split("/", 1)[1]
    for flavour in ("cjs/", "esm/", "commonjs/", "module/", "types/"):
        if rest.startswith(flavour):
            rest = rest[len(flavour):]
    for suffix in (".d.ts", ".d.mts", ".d.cts", ".js", ".mjs", ".cjs"):
        if rest.endswith(suffix):
            rest = rest[:-len(suffix)]
            break
    return ["src/" + rest]
