"""TypeScript path aliases: `import { audit } from "@lib/audit"` names `src/lib/audit.ts` when the nearest
`tsconfig.json` (or `jsconfig.json`), or a config it `extends`, maps `@lib/*` to `src/lib/*`
(`compilerOptions.paths`), or when the file lies at that path below `compilerOptions.baseUrl`.

As the TypeScript compiler does: an exact pattern wins over wildcard ones, and among those the longest
prefix; each substitution is tried in order; `paths` are relative to `baseUrl`, or without one to the
config that declares them; `baseUrl` is relative to the config that declares it. Only configs in the
project (`extends` of a relative path) are followed, not shared ones installed as packages.

The configs are read through `observe`, so stored findings are reused only while they say the same.
They are JSON with comments and trailing commas, read with `json5`; one that does not parse maps nothing.
"""
from __future__ import annotations

import json
import posixpath
from dataclasses import dataclass, field
from typing import Optional

from lambdalint import observe

CONFIG_NAMES = ("tsconfig.json", "jsconfig.json")
_MAX_EXTENDS = 8
_KEYS = (b"paths", b"baseUrl", b"extends")  # (JSON5 may leave a key unquoted)


@dataclass(frozen=True)
class Aliases:
    base_url: Optional[str] = None                          # absolute, posix
    paths: tuple[tuple[str, tuple[str, ...]], ...] = ()     # pattern -> substitutions
    paths_base: Optional[str] = None                        # what the substitutions are relative to

    def candidates(self, specifier: str) -> list[str]:
        """Absolute paths (without an extension) the specifier may name, in the order they are tried."""
        found = []
        match = _best_match(self.paths, specifier)
        if match is not None and self.paths_base is not None:
            (_pattern, substitutions), star = match
            found += [posixpath.normpath(posixpath.join(self.paths_base, s.replace("*", star, 1)))
                      for s in substitutions]
        if self.base_url is not None:
            found.append(posixpath.normpath(posixpath.join(self.base_url, specifier)))
        return found


@dataclass
class TsConfigs:
    """The aliases that apply in each folder, found once per folder."""

    _by_folder: dict[str, Aliases] = field(default_factory=dict)
    _by_file: dict[str, Aliases] = field(default_factory=dict)

    def for_folder(self, folder: str) -> Aliases:
        """`folder`: absolute and posix."""
        chain = []
        current = folder
        found = None
        while True:
            if current in self._by_folder:
                found = self._by_folder[current]
                break
            chain.append(current)
            config = next((posixpath.join(current, n) for n in CONFIG_NAMES
                           if observe.isfile(posixpath.join(current, n))), None)
            if config is not None:
                found = self._read(config, 0)
                break
            parent = posixpath.dirname(current)
            if parent == current:
                found = Aliases()
                break
            current = parent
        for visited in chain:
            self._by_folder[visited] = found
        return found

    def _read(self, path: str, depth: int) -> Aliases:
        known = self._by_file.get(path)
        if known is not None:
            return known
        self._by_file[path] = Aliases()  # a config that extends itself, directly or not, maps nothing more
        options, extends = _options(path)
        inherited = Aliases()
        if depth < _MAX_EXTENDS:
            for base in extends:
                if base.startswith((".", "/")):
                    target = posixpath.normpath(posixpath.join(posixpath.dirname(path), base))
                    if not target.endswith(".json") and not observe.isfile(target):
                        target += ".json"
                    if observe.isfile(target):
                        inherited = _merge(inherited, self._read(target, depth + 1))
        folder = posixpath.dirname(path)
        own_base = options.get("baseUrl")
        base_url = posixpath.normpath(posixpath.join(folder, own_base)) if isinstance(own_base, str) else None
        paths = options.get("paths")
        effective_base = base_url or inherited.base_url
        own_paths = isinstance(paths, dict)
        aliases = Aliases(
            base_url=effective_base,
            paths=_paths(paths) if own_paths else inherited.paths,
            paths_base=effective_base or (folder if own_paths else inherited.paths_base),
        )
        self._by_file[path] = aliases
        return aliases


def _options(path: str) -> tuple[dict, list[str]]:
    try:
        raw = observe.read_bytes(path)
        if not any(key in raw for key in _KEYS):
            return {}, []  # most configs (a CDK app's) map nothing: not parsed at all
        data = _parse(raw.decode("utf-8-sig", errors="replace"))
    except (OSError, ValueError, TypeError, RecursionError):
        return {}, []
    if not isinstance(data, dict):
        return {}, []
    options = data.get("compilerOptions")
    extends = data.get("extends")
    extends = [extends] if isinstance(extends, str) else [e for e in extends if isinstance(e, str)] \
        if isinstance(extends, list) else []
    return (options if isinstance(options, dict) else {}), extends


def _parse(text: str):
    """Most configs are plain JSON, which the standard parser reads many times faster; the others (comments,
    trailing commas) are read as JSON5."""
    try:
        return json.loads(text)
    except ValueError:
        import json5

        return json5.loads(text)


def _paths(value: dict) -> tuple:
    return tuple((pattern, tuple(s for s in subs if isinstance(s, str)))
                 for pattern, subs in value.items() if isinstance(pattern, str) and isinstance(subs, list)
                 and pattern.count("*") <= 1)


def _merge(first: Aliases, later: Aliases) -> Aliases:
    """Bases listed later in `extends` override earlier ones."""
    return Aliases(base_url=later.base_url or first.base_url, paths=later.paths or first.paths,
                   paths_base=later.paths_base if later.paths else first.paths_base)


def _best_match(paths: tuple, specifier: str):
    """((pattern, substitutions), what `*` stands for): the exact pattern, else the wildcard one with the
    longest prefix."""
    best, best_prefix = None, -1
    for pattern, substitutions in paths:
        if "*" not in pattern:
            if pattern == specifier:
                return (pattern, substitutions), ""
            continue
        prefix, suffix = pattern.split("*", 1)
        if (len(specifier) >= len(prefix) + len(suffix) and specifier.startswith(prefix)
                and specifier.endswith(suffix) and len(prefix) > best_prefix):
            best, best_prefix = ((pattern, substitutions), specifier[len(prefix):len(specifier) - len(suffix)]), \
                len(prefix)
    return best
