"""API categories: which known APIs are clocks, I/O, threads, timers, exits, loggers, durable operations…

Every category the rules need lives in `categories/*.toml` beside this file,
one family per file (`nondeterminism.toml`, `io.toml`, …), each top-level
table one category:

    [clock]
    python = ["time.time", "datetime.datetime.now"]
    js = ["global:Date.now", { name = "global:Date", new = true, max_args = 0 }]

An entry is a qualified name as the project index resolves a callee or a
dotted read (Python `module.attr`; JS `module:export`, `global:name`), or an
inline table with `name` and attributes the rule reads (`callback = 0`,
`scope = "step"`, …). `Class#method` names a method of instances of a class;
shell-style wildcards are allowed in both parts (`random.*`,
`@aws-sdk/client-*:*Client#send`). Users add names per category with the
`apis` setting. No API name is written in rule code: rules ask a category.
"""
from __future__ import annotations

import fnmatch
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Iterable, Mapping, Optional

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

LANGUAGE_KEYS = ("python", "js")


@dataclass(frozen=True)
class ApiEntry:
    category: str
    name: str                          # the pattern as written
    attrs: Mapping[str, object] = field(default_factory=dict)

    def get(self, key: str, default=None):
        return self.attrs.get(key, default)

    def accepts(self, *, is_new: bool, arg_count: int) -> bool:
        """Whether a call's shape fits the entry (`new` required or forbidden, argument count bounds)."""
        if "new" in self.attrs and bool(self.attrs["new"]) != is_new:
            return False
        if "max_args" in self.attrs and arg_count > int(self.attrs["max_args"]):
            return False
        if "min_args" in self.attrs and arg_count < int(self.attrs["min_args"]):
            return False
        return True


class _Table:
    """One category for one language: exact names first, then patterns."""

    def __init__(self) -> None:
        self.exact: dict[str, list[ApiEntry]] = {}
        self.globs: list[ApiEntry] = []

    def add(self, entry: ApiEntry) -> None:
        if any(ch in entry.name for ch in "*?["):
            self.globs.append(entry)
        else:
            self.exact.setdefault(entry.name, []).append(entry)

    def match(self, name: str) -> list[ApiEntry]:
        found = list(self.exact.get(name, ()))
        found += [e for e in self.globs if fnmatch.fnmatchcase(name, e.name)]
        return found


class Categories:
    """Every category, per language, looked up by qualified name."""

    def __init__(self) -> None:
        self._tables: dict[tuple[str, str], _Table] = {}

    @property
    def names(self) -> set[str]:
        return {category for category, _ in self._tables}

    def add(self, category: str, language: str, entry) -> None:
        if isinstance(entry, str):
            entry = ApiEntry(category, entry)
        elif isinstance(entry, dict):
            attrs = {k: v for k, v in entry.items() if k != "name"}
            entry = ApiEntry(category, str(entry["name"]), attrs)
        self._tables.setdefault((category, language), _Table()).add(entry)

    def match(self, category: str, is_js: bool, qualified: str) -> list[ApiEntry]:
        table = self._tables.get((category, "js" if is_js else "python"))
        return table.match(qualified) if table else []

    def written(self, category: str, is_js: bool) -> list[str]:
        """Every name and pattern of `category` for one language, as written (catalogue and settings)."""
        table = self._tables.get((category, "js" if is_js else "python"))
        return [] if table is None else list(table.exact) + [e.name for e in table.globs]

    def first(self, category: str, is_js: bool, qualified: Optional[str]) -> Optional[ApiEntry]:
        if not qualified:
            return None
        found = self.match(category, is_js, qualified)
        return found[0] if found else None

    def extended(self, user: Mapping[str, Iterable[str]]) -> "Categories":
        """A copy with the `apis` setting's names added (`{"clock": ["mylib.now", "my-lib:now"]}`).

        A user name with a colon is JS (`module:export`); one without is added to both languages.
        """
        clone = Categories()
        for key, table in self._tables.items():
            copy = clone._tables.setdefault(key, _Table())
            copy.exact = {k: list(v) for k, v in table.exact.items()}
            copy.globs = list(table.globs)
        for category, names in user.items():
            for name in names:
                languages = ("js",) if ":" in name else LANGUAGE_KEYS
                for language in languages:
                    clone.add(category, language, name)
        return clone


def _files():
    folder = resources.files(__package__).joinpath("categories")
    return sorted((f for f in folder.iterdir() if f.name.endswith(".toml")), key=lambda f: f.name)


@lru_cache(maxsize=1)
def default_categories() -> Categories:
    categories = Categories()
    for file in _files():
        with file.open("rb") as handle:
            data = tomllib.load(handle)
        for category, table in data.items():
            for language in LANGUAGE_KEYS:
                for entry in table.get(language, ()):
                    categories.add(category, language, entry)
    return categories
