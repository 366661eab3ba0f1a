"""Settings: `[tool.lambdalint]` in `pyproject.toml`, or a `lambdalint.toml`.

A typo in a config file silently disabling a rule is worse than no config at
all, so every key and value is checked and a mistake is a `ConfigError` that
names the file and the key (the CLI turns it into exit 2).

Rule selection follows ruff, because users already know it: within one layer
the most specific matching prefix wins (`select = ["FF"]`, `ignore = ["FF002"]`
keeps FF001 and drops FF002), `ignore` wins a tie, and a later layer (the
command line) that gives `select` starts over while one that only ignores or
extends applies on top of the file's choice.
"""
from __future__ import annotations

import dataclasses
import difflib
import os
import re
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Optional

import pathspec

from lambdalint import ruleinfo
from lambdalint.discovery import display_path
from lambdalint.project import project_root

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised only on old interpreters
    import tomli as tomllib

DEFAULT_SELECT = ["FF", "DF", "RT", "E9"]

# Folders that hold dependencies, build output or tool caches, and minified
# bundles: never the user's Lambda source, and often huge. Virtualenvs under
# any name are found by their `pyvenv.cfg` during discovery.
DEFAULT_EXCLUDES = [
    ".git", ".hg", ".svn",
    "node_modules", ".venv", "venv", ".tox", ".nox", "__pycache__",
    ".mypy_cache", ".pytest_cache", ".ruff_cache",
    "dist", "build", "cdk.out", ".aws-sam", ".serverless", "coverage", ".next",
    "site-packages", ".lambdalint_cache",
    "*.min.js", "*.min.mjs", "*.min.cjs",
]

FORMATS = ("text", "json", "sarif", "github")
CODE_PREFIX = re.compile(r"^[A-Z]{1,2}[0-9]{0,3}$")
ALL = ruleinfo.ALL  # ruff's spelling for "every rule"; matches any code, least specific
_CODE_KEYS = ("select", "ignore", "extend_select")


class ConfigError(Exception):
    """A config file (or command-line value) that cannot be used as written."""


@dataclass
class RuleSelection:
    """One layer of rule choices: the config file, then the command line."""

    select: Optional[list[str]] = None     # None: this layer does not restart the selection
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)

    def verdict(self, code: str) -> Optional[bool]:
        """True/False from the most specific matching prefix; None when none matches."""
        best_len, best = -1, None
        for prefixes, on in (((self.select or []) + self.extend_select, True), (self.ignore, False)):
            for prefix in prefixes:
                length = 0 if prefix == ALL else len(prefix)
                if (prefix == ALL or code.startswith(prefix)) and (
                    length > best_len or (length == best_len and not on)
                ):
                    best_len, best = length, on
        return best


@dataclass
class Config:
    select: list[str] = field(default_factory=lambda: list(DEFAULT_SELECT))
    ignore: list[str] = field(default_factory=list)
    extend_select: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=lambda: list(DEFAULT_EXCLUDES))
    extend_exclude: list[str] = field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    allow_void: bool = False
    async_apis: list[str] = field(default_factory=list)
    safe_calls: list[str] = field(default_factory=list)
    handlers: list[str] = field(default_factory=list)
    apis: dict[str, list[str]] = field(default_factory=dict)   # API category -> more qualified names
    format: str = "text"
    exit_zero: bool = False
    cache: bool = True
    jobs: int = 0
    respect_gitignore: bool = True
    check_tests: bool = False          # report test files too (they are always indexed)
    cache_dir: Optional[str] = None    # relative to `root`; default `.lambdalint_cache` there
    config_path: Optional[Path] = None
    root: Path = field(default_factory=Path.cwd)
    # Rule choices from the command line, applied after the file's
    # select/extend_select/ignore (see `apply_overrides`).
    cli_selections: list[RuleSelection] = field(default_factory=list)
    # Not errors, said once on stderr: codes reserved for rules not built yet.
    warnings: list[str] = field(default_factory=list)

    def is_enabled(self, code: str) -> bool:
        """Whether rule `code` runs: the file's layer, then each command-line layer."""
        code = code.upper()
        layers = [RuleSelection(self.select, self.extend_select, self.ignore)] + self.cli_selections
        enabled = False
        for layer in layers:
            verdict = layer.verdict(code)
            if layer.select is not None:
                enabled = verdict is True
            elif verdict is not None:
                enabled = verdict
        return enabled

    def ignored_for_path(self, code: str, path: str) -> bool:
        """True when a `per-file-ignores` entry covering `path` names a prefix of `code`.

        `path` is relative to `root` in posix form; an absolute path below
        `root` is made relative first.
        """
        if not self.per_file_ignores:
            return False
        rel = _relative_to_root(path, self.root)
        code = code.upper()
        for glob, prefixes in self.per_file_ignores.items():
            if any(p == ALL or code.startswith(p) for p in prefixes) and _glob_spec(glob).match_file(rel):
                return True
        return False

    @property
    def all_excludes(self) -> list[str]:
        return self.exclude + self.extend_exclude


@lru_cache(maxsize=256)
def _glob_spec(glob: str) -> pathspec.GitIgnoreSpec:
    return pathspec.GitIgnoreSpec.from_lines([glob])


def _relative_to_root(path: str, root: Path) -> str:
    posix = str(path).replace("\\", "/")
    if os.path.isabs(path):
        try:
            return Path(os.path.realpath(path)).relative_to(os.path.realpath(root)).as_posix()
        except ValueError:
            return posix.lstrip("/")
    return posix[2:] if posix.startswith("./") else posix


# ---------------------------------------------------------------- validation

def _fail(where: str, key: str, problem: str) -> ConfigError:
    return ConfigError(f"{where}: {key}: {problem}")


def _string_list(where: str, key: str, value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise _fail(where, key, f"expected a list of non-empty strings, got {value!r}")
    return [v.strip() for v in value]


def _codes(where: str, key: str, value: Any) -> list[str]:
    """Rule codes or prefixes, each one this version knows or the spec reserves (see `reserved_warnings`)."""
    codes = [c.upper() for c in _string_list(where, key, value)]
    for code in codes:
        if code != ALL and not CODE_PREFIX.match(code):
            example = min((i for i in ruleinfo.known_ids() if not i.startswith("E")), default="E901")
            raise _fail(where, key, f"invalid rule code or prefix {code!r} (expected a code such as "
                                    f"'{example}' or a prefix such as '{example[:2]}'; "
                                    f"known prefixes: {', '.join(ruleinfo.known_prefixes())})")
        if ruleinfo.code_status(code) == "unknown":
            close = difflib.get_close_matches(code, sorted(ruleinfo.known_ids()), n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            raise _fail(where, key, f"unknown rule code {code!r} ({hint}known prefixes: "
                                    f"{', '.join(ruleinfo.known_prefixes())}; `lambdalint rules` lists every rule)")
    return codes


def reserved_warnings(codes: Any) -> list[str]:
    """One warning per code that only names rules reserved for later versions (it matches nothing now)."""
    return [
        (f"rule code {code} is reserved for a rule that is not built yet" if code in ruleinfo.SPEC_RULE_IDS
         else f"prefix {code} matches only rules that are not built yet") + "; it selects or ignores nothing"
        for code in dict.fromkeys(codes) if ruleinfo.code_status(code) == "reserved"
    ]


def _selection_codes(values: dict[str, Any]) -> list[str]:
    codes = [c for name in _CODE_KEYS for c in values.get(name) or ()]
    return codes + [c for cs in (values.get("per_file_ignores") or {}).values() for c in cs]


def _bool(where: str, key: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise _fail(where, key, f"expected true or false, got {value!r}")
    return value


def _format(where: str, key: str, value: Any) -> str:
    if not isinstance(value, str) or value.lower() not in FORMATS:
        raise _fail(where, key, f"expected one of {', '.join(FORMATS)}, got {value!r}")
    return value.lower()


def _jobs(where: str, key: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _fail(where, key, f"expected a whole number >= 0 (0 = automatic), got {value!r}")
    return value


def _apis(where: str, key: str, value: Any) -> dict[str, list[str]]:
    from lambdalint.catalog.categories import default_categories

    if not isinstance(value, dict):
        raise _fail(where, key, f"expected a table of category = [qualified names], got {value!r}")
    known = sorted(default_categories().names)
    for category in value:
        if category not in known:
            close = difflib.get_close_matches(category, known, n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"known categories: {', '.join(known)}"
            raise _fail(where, key, f"unknown API category {category!r} ({hint})")
    return {category: _string_list(where, f"{key}.{category}", names) for category, names in value.items()}


def _folder(where: str, key: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _fail(where, key, f"expected a folder path, got {value!r}")
    return value.strip()


def _per_file(where: str, key: str, value: Any) -> dict[str, list[str]]:
    if not isinstance(value, dict):
        raise _fail(where, key, f"expected a table of glob = [codes], got {value!r}")
    return {glob: _codes(where, f"{key}.{glob!r}", codes) for glob, codes in value.items()}


# field name -> validator; the kebab-case key is the name with '-' for '_'.
_VALIDATORS: dict[str, Callable[[str, str, Any], Any]] = {
    "select": _codes,
    "ignore": _codes,
    "extend_select": _codes,
    "exclude": _string_list,
    "extend_exclude": _string_list,
    "per_file_ignores": _per_file,
    "allow_void": _bool,
    "async_apis": _string_list,
    "safe_calls": _string_list,
    "handlers": _string_list,
    "apis": _apis,
    "format": _format,
    "exit_zero": _bool,
    "cache": _bool,
    "jobs": _jobs,
    "respect_gitignore": _bool,
    "check_tests": _bool,
    "cache_dir": _folder,
}
_KEYS = sorted(name.replace("_", "-") for name in _VALIDATORS)


def _parse_table(table: dict, where: str, section: str) -> dict[str, Any]:
    """Validate a `[tool.lambdalint]` table into Config field values."""
    values: dict[str, Any] = {}
    for key, value in table.items():
        name = key.replace("-", "_")
        if name not in _VALIDATORS:
            close = difflib.get_close_matches(key.replace("_", "-"), _KEYS, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else f" (known keys: {', '.join(_KEYS)})"
            raise ConfigError(f"{where}: unknown key '{key}'{section}{hint}")
        if name in values:
            raise ConfigError(f"{where}: key '{key}' given twice (kebab-case and snake_case){section}")
        values[name] = _VALIDATORS[name](where, key, value)
    return values


# ---------------------------------------------------------------- files

def _read_toml(path: Path) -> dict:
    where = display_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{where}: cannot read config file: {exc}") from exc
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        at = re.search(r"\(at line (\d+), column (\d+)\)", message)
        if at:
            message = message[: at.start()].strip()
            raise ConfigError(f"{where}:{at[1]}:{at[2]}: invalid TOML: {message}") from exc
        raise ConfigError(f"{where}: invalid TOML: {message}") from exc


def _lambdalint_table(path: Path, data: dict) -> Optional[dict]:
    """The lambdalint settings in a parsed file, or None if a pyproject has none."""
    if path.name != "pyproject.toml":
        return data
    tool = data.get("tool")
    table = tool.get("lambdalint") if isinstance(tool, dict) else None
    if table is not None and not isinstance(table, dict):
        raise ConfigError(f"{display_path(path)}: [tool.lambdalint] must be a table")
    return table


def _from_file(path: Path, data: Optional[dict] = None) -> Config:
    data = _read_toml(path) if data is None else data
    tool = data.get("tool")
    if path.name != "pyproject.toml" and isinstance(tool, dict) and "lambdalint" in tool:
        raise ConfigError(f"{display_path(path)}: {path.name} takes its settings at the top level; remove the "
                          f"[tool.lambdalint] header (that table is only read from pyproject.toml)")
    table = _lambdalint_table(path, data) or {}
    section = " in [tool.lambdalint]" if path.name == "pyproject.toml" else ""
    values = _parse_table(table, display_path(path), section)
    return Config(**values, config_path=path, root=path.resolve().parent,
                  warnings=reserved_warnings(_selection_codes(values)))


def find_config_file(start: Path) -> Optional[tuple[Path, dict]]:
    """The nearest config file at or above `start`, with its parsed contents.

    In one folder `lambdalint.toml` wins over `pyproject.toml`; a pyproject
    counts only when it has a `[tool.lambdalint]` table.
    """
    for folder in (start, *start.parents):
        candidate = folder / "lambdalint.toml"
        if candidate.is_file():
            return candidate, _read_toml(candidate)
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            data = _read_toml(candidate)
            if _lambdalint_table(candidate, data) is not None:
                return candidate, data
    return None


def load_config(paths: list[Path], explicit: Optional[Path] = None) -> Config:
    """Read the config that applies to a run over `paths`.

    With `explicit` (`--config FILE`) only that file is read. Otherwise the
    search starts at the first path (its folder for a file; the working
    directory for no paths or `-`) and goes upward; the nearest file wins.
    """
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError(f"{explicit}: config file not found")
        return _from_file(explicit)
    first = next((Path(p) for p in paths), None)
    if first is None or str(first) == "-":
        start = Path.cwd()
    else:
        start = Path(os.path.realpath(first))  # never raises, even for a symlink loop
        if not start.is_dir():
            start = start.parent
    found = find_config_file(start)
    if found is None:
        return Config(root=project_root(start))
    return _from_file(*found)


def apply_overrides(config: Config, **cli_values: Any) -> Config:
    """A copy of `config` with command-line values on top; None means "not given".

    `select`, `extend_select` and `ignore` from the command line form a new
    rule-selection layer (ruff's semantics): `--select` restarts the choice,
    `--ignore` / `--extend-select` alone adjust the file's choice. Every other
    value replaces the file's. Lists may be given as comma-separated strings.
    """
    where = "command line"
    updates: dict[str, Any] = {}
    layer: dict[str, Any] = {}
    for name, value in cli_values.items():
        if value is None:
            continue
        if name not in _VALIDATORS:
            raise TypeError(f"apply_overrides: unknown setting {name!r}")
        key = "--" + name.replace("_", "-")
        if isinstance(value, str) and _VALIDATORS[name] in (_codes, _string_list):
            value = [v for v in re.split(r"[,\s]+", value) if v]
        elif isinstance(value, tuple):
            value = list(value)
        value = _VALIDATORS[name](where, key, value)
        if name in ("select", "extend_select", "ignore"):
            layer[name] = value
        else:
            updates[name] = value
    new = dataclasses.replace(config, **updates)
    if layer:
        new.cli_selections = config.cli_selections + [RuleSelection(**layer)]
        new.warnings = list(dict.fromkeys(config.warnings + reserved_warnings(_selection_codes(layer))))
    return new
