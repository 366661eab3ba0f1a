"""What a name resolves to (`Ref`), and how external names are spelt.

The index answers every question about a callee with a `Ref`; catalogue names
of external things are built here, one spelling per language: Python
`time.time`, JS `uuid:v4` (module, colon, export), `global:Date.now`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional


@dataclass(frozen=True, slots=True)
class Ref:
    """What a name resolves to."""

    kind: str                           # function | class | instance | module | external | external_instance | external_method
    path: Optional[str] = None          # project file for function / class / instance / module
    fid: Optional[int] = None           # function id
    class_name: Optional[str] = None    # project class for class / instance
    qualified: Optional[str] = None     # external name: "asyncio.sleep", "axios:get", "@aws-sdk/client-s3:S3Client"
    member: Optional[str] = None        # external_method: the method name
    constructed: bool = False           # external_instance / external_method: made here with `new`


def strip_type(text: str) -> str:
    """`Optional[Foo]`, `Foo | None`, `Foo<Bar>`, `readonly Foo` -> `Foo` (best effort).

    Collections of a type (`Foo[]`, `Array<Foo>`, `list[Foo]`) are not a `Foo`: they give "".
    """
    text = text.strip().strip("'\"")
    if text.endswith("[]"):
        return ""
    for wrapper in ("Optional[", "typing.Optional["):
        if text.startswith(wrapper) and text.endswith("]"):
            text = text[len(wrapper):-1]
    if "|" in text:
        parts = [p.strip() for p in text.split("|") if p.strip() not in ("None", "null", "undefined")]
        text = parts[0] if parts else ""
    text = text.split("<", 1)[0].split("[", 1)[0].strip()
    return text.removeprefix("readonly ").strip()


def js_external(module: str, name: Optional[str]) -> str:
    module = module.removeprefix("node:")
    if name in (None, "default"):
        return f"{module}:"
    return f"{module}:{name}"


def js_member(qualified: str, member: str) -> str:
    return qualified + member if qualified.endswith(":") else f"{qualified}.{member}"


def user_spellings(qualified: str) -> tuple[str, ...]:
    """How a user may write an external name in settings: `axios:get`, `axios.get`; `global:fetch`, `fetch`."""
    dotted = qualified.removeprefix("global:").rstrip(":").replace(":", ".")
    return (qualified, dotted)

