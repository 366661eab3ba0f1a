"""The Serverless Framework's `package.patterns`: whether a file of the service goes into the package.

Patterns are globs relative to the service folder, applied in order over every file (all are in by default);
`!pattern` leaves matching files out, a later plain pattern brings them back, so the last pattern that matches
a file decides. Only the plain glob forms are judged (`*`, `?`, `**`): a brace, class or extglob, or a bare
folder name (which some versions expand to the folder's contents) makes the answer unknown.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional

_UNSUPPORTED = re.compile(r"[{}\[\]()+@]")


def excluding_pattern(patterns: list[str], rel: str) -> Optional[str]:
    """The `!…` pattern that leaves `rel` (a `/`-separated path below the service folder) out of the package,
    or None when the file is packaged or the patterns cannot be judged."""
    decided: Optional[str] = None
    parents = _parents(rel)
    for raw in patterns:
        negated = raw.startswith("!")
        pattern = raw[1:] if negated else raw
        pattern = pattern[2:] if pattern.startswith("./") else pattern
        if not pattern or _UNSUPPORTED.search(pattern) or pattern.startswith(("!", "/", "../")):
            return None
        plain = "*" not in pattern and "?" not in pattern
        if plain and pattern.rstrip("/") in parents:
            return None  # `!src`: a folder name, expanded or not depending on the version
        if _regex(pattern).fullmatch(rel):
            decided = raw if negated else None
    return decided


def _parents(rel: str) -> set[str]:
    parts = rel.split("/")
    return {"/".join(parts[:k]) for k in range(1, len(parts))}


@lru_cache(maxsize=256)
def _regex(pattern: str) -> re.Pattern:
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:[^/]+/)*")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out))
