"""What evaluating a `Value` gives: literal Python values, frozen result records, or UNKNOWN / ABSENT.

Results are plain frozen data that compare and hash by value, so two sites
naming the same enum member, class or object give equal results.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Optional

class _Sentinel:
    __slots__ = ("_name",)

    def __init__(self, name: str):
        self._name = name

    def __repr__(self) -> str:
        return self._name

    def __reduce__(self):
        return self._name


UNKNOWN = _Sentinel("UNKNOWN")
"""The value cannot be known statically. Rules stay silent on it."""
ABSENT = _Sentinel("ABSENT")
"""`property` / `call_argument`: the object (exactly known) has no such key; the call has no such argument."""
@dataclass(frozen=True)
class ObjectValue:
    """An object literal / dict display, evaluated. `unknown_keys`: a spread, computed key or cap may add keys
    not listed (and values listed before an unknown spread are UNKNOWN, since it may override them)."""

    entries: Mapping[str, object] = field(default_factory=dict)
    unknown_keys: bool = False

    def __hash__(self) -> int:
        return hash((tuple(self.entries.items()), self.unknown_keys))

    @property
    def has_spread(self) -> bool:
        return self.unknown_keys

    def get(self, key: str) -> object:
        """The value of `key`, UNKNOWN when it may exist but is not known, ABSENT when it surely does not."""
        if key in self.entries:
            return self.entries[key]
        return UNKNOWN if self.unknown_keys else ABSENT


@dataclass(frozen=True)
class ListValue:
    """An array / list / tuple / set display. `unknown_items`: a spread of unknown length was in it."""

    items: tuple = ()
    unknown_items: bool = False


@dataclass(frozen=True)
class CallValue:
    """The result of a call (`new InvokeCommand({...})`, `Duration.from_hours(1)`): `index.files[path].calls[call]`."""

    path: str
    call: int


@dataclass(frozen=True)
class FunctionValue:
    path: str
    fid: int


@dataclass(frozen=True)
class ClassValue:
    """A project class or TS enum, by file and name (`index.files[path].classes`)."""

    path: str
    name: str


@dataclass(frozen=True)
class ModuleValue:
    """A project module (`import * as events from './events'`, `from . import events`)."""

    path: str


@dataclass(frozen=True)
class EnumMember:
    """A member of a Python enumeration. `equals_value`: it compares equal to `value` (`StrEnum`, `(str, Enum)`);
    `formats_as_value`: `str()` / f-strings of it give the value (`StrEnum`, `IntEnum`)."""

    path: str
    class_name: str
    name: str
    value: object
    equals_value: bool = False
    formats_as_value: bool = False


@dataclass(frozen=True)
class PathValue:
    """A file system path computed from the analysed file's own location (`path.join(__dirname, '../src/x.ts')`,
    `os.path.join(os.path.dirname(__file__), "lambda")`), written like `FileModel.path`: relative to the
    working directory when the file's path is, normalised, with `/`."""

    path: str


@dataclass(frozen=True)
class ExternalValue:
    """A name outside the project, as the index qualifies it (`global:process.env.X`, `os.environ.X`)."""

    qualified: str


Resolved = object

_MISSING = _Sentinel("_MISSING")      # internal: a module has no such name (try the next place)
_EXTERNAL = _Sentinel("_EXTERNAL")    # internal: the symbol comes from outside the project; ask the index


# --------------------------------------------------------------------------- pure helpers on results

def as_string(resolved: Resolved) -> Optional[str]:
    """A resolved value as a string when it is one (or an enum member equal to one), else None."""
    if isinstance(resolved, str):
        return resolved
    if isinstance(resolved, EnumMember) and resolved.equals_value and isinstance(resolved.value, str):
        return resolved.value
    return None


def object_keys(resolved: Resolved) -> Optional[frozenset]:
    """The exact key set of a resolved object; None when it is not an object or may have unknown keys."""
    if isinstance(resolved, ObjectValue) and not resolved.unknown_keys:
        return frozenset(resolved.entries)
    return None


def has_key(resolved: Resolved, key: str) -> Optional[bool]:
    """True / False when it is known whether the object has `key`; None when it is not known."""
    if not isinstance(resolved, ObjectValue):
        return None
    if key in resolved.entries:
        return True
    return None if resolved.unknown_keys else False


def property(resolved: Resolved, *path: str) -> Resolved:  # noqa: A001 - the name rules expect
    """`property(obj, "timeout", "hours")`: the value at that path, ABSENT when a known object lacks a key on
    the way, UNKNOWN when it cannot be known."""
    cur = resolved
    for key in path:
        if not isinstance(cur, ObjectValue):
            return UNKNOWN
        cur = cur.get(key)
        if cur is ABSENT or cur is UNKNOWN:
            return cur
    return cur


def _plain(value: Resolved) -> Resolved:
    if isinstance(value, EnumMember):
        return value.value if value.equals_value else UNKNOWN
    return value


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _stringify(value: Resolved, js: bool) -> Optional[str]:
    """How a template / f-string writes a value; None when it is not certain."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return ("true" if value else "false") if js else str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not js:
            return str(value)
        if value.is_integer() and abs(value) < 1e21:
            return str(int(value))
        return None
    if value is None and not js:
        return "None"
    return None
