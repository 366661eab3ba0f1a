"""What a function's return annotation says about the value a call of it gives back (DF015: does
`context.step(charge(order))` hand the step a function, or a plain value?).

Names are matched against the catalogue (`catalog/categories/return_types.toml`); the annotation is read
as written, one alternative of a union at a time (`dict | None`, `Optional[dict]`, `string | number`).
"""
from __future__ import annotations

from typing import Optional


def annotation_callable(categories, is_js: bool, text: str) -> Optional[bool]:
    """What a return annotation says of the value: a function (True), a plain value (False), unknown (None)."""
    verdict: Optional[bool] = False
    for part in _alternatives(text, "|"):
        head, inner = _head(part, is_js)
        if not is_js and categories.first("optional_return_type", False, head) is not None and inner:
            found = _either(annotation_callable(categories, is_js, alt) for alt in _alternatives(inner, ","))
        elif is_js and ("=>" in part or part.endswith("[]")):
            found = "=>" in part and not part.endswith("[]")
        elif categories.first("callable_return_type", is_js, head) is not None:
            found = True
        elif categories.first("plain_return_type", is_js, head) is not None:
            found = False
        else:
            found = None
        if found:
            return True
        if found is None:
            verdict = None
    return verdict


def _either(verdicts) -> Optional[bool]:
    verdict: Optional[bool] = False
    for found in verdicts:
        if found:
            return True
        if found is None:
            verdict = None
    return verdict


def _alternatives(text: str, separator: str) -> list[str]:
    """`a | b[c | d]` -> [`a`, `b[c | d]`]: split at top-level separators only."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "[<({":
            depth += 1
        elif ch in "]>)}" and not (ch == ">" and i and text[i - 1] == "="):
            depth -= 1
        elif ch == separator and depth == 0:
            parts.append(text[start:i].strip())
            start = i + 1
    parts.append(text[start:].strip())
    return [p for p in parts if p]


def _head(part: str, is_js: bool) -> tuple[str, str]:
    """`Optional[dict]` -> (`Optional`, `dict`); `Promise<X>` -> (`Promise`, `X`); `dict` -> (`dict`, ``)."""
    opener = "<" if is_js else "["
    at = part.find(opener)
    if at < 0:
        return part.strip(), ""
    return part[:at].strip(), part[at + 1:part.rfind("]" if not is_js else ">")].strip()
