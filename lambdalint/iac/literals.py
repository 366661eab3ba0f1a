"""Where the properties of an object literal are written: key -> (value text, offset).

The value resolver says what a CDK prop *is*; a finding about it should point
at the line where it is written. This reads the object's own source text
(never evaluates it), skipping strings and comments, to find each top-level
property's position.
"""
from __future__ import annotations

from typing import Optional

_OPEN, _CLOSE = "([{", ")]}"


def _skip_string(text: str, i: int) -> int:
    quote = text[i]
    i += 1
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == quote:
            return i + 1
        if quote == "`" and ch == "$" and text.startswith("${", i):
            depth, i = 1, i + 2
            while i < len(text) and depth:
                if text[i] in "'\"`":
                    i = _skip_string(text, i)
                    continue
                depth += text[i] == "{"
                depth -= text[i] == "}"
                i += 1
            continue
        i += 1
    return i


def _skip_comment(text: str, i: int) -> int:
    if text.startswith("//", i):
        end = text.find("\n", i)
        return len(text) if end < 0 else end
    end = text.find("*/", i + 2)
    return len(text) if end < 0 else end + 2


def _code(text: str, start: int, end: int):
    """(offset, character) of each character of text[start:end] outside strings and comments."""
    i = start
    while i < end:
        ch = text[i]
        if ch in "'\"`":
            i = _skip_string(text, i)
        elif text.startswith("//", i) or text.startswith("/*", i):
            i = _skip_comment(text, i)
        else:
            yield i, ch
            i += 1


def split_top(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) offsets of the comma-separated parts of text[start:end] at depth 0."""
    parts, depth, part_start = [], 0, start
    for i, ch in _code(text, start, end):
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append((part_start, i))
            part_start = i + 1
    parts.append((part_start, end))
    return [(s, e) for s, e in parts if text[s:e].strip()]


def matching_close(text: str, start: int) -> int:
    """The offset just past the bracket that closes the one at `start` (len(text) when unbalanced)."""
    depth = 0
    for i, ch in _code(text, start, len(text)):
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth -= 1
            if depth == 0:
                return i + 1
    return len(text)


class ObjectLiteral:
    """The top-level properties of `{…}` at an offset: key -> (value text, value offset)."""

    def __init__(self, text: str, start: int):
        self.props: dict[str, tuple[str, int]] = {}
        self.spread = False
        self.text = text
        if start >= len(text) or text[start] != "{":
            self.spread = True  # not an object literal: nothing is known
            return
        end = matching_close(text, start)
        for s, e in split_top(text, start + 1, end - 1):
            s = _skip_trivia(text, s, e)
            e = _trim_trailing_comment(text, s, e)
            part = text[s:e]
            stripped = part.strip()
            if stripped.startswith("..."):
                self.spread = True
                continue
            colon = _top_colon(part)
            if colon is None:
                continue  # shorthand `{ handler }` or a method: not a literal
            key = part[:colon].strip().strip("'\"")
            value_start = s + colon + 1
            while value_start < e and text[value_start].isspace():
                value_start += 1
            self.props[key] = (text[value_start:e].strip(), value_start)


def _skip_trivia(text: str, i: int, end: int) -> int:
    """Past whitespace and comments."""
    while i < end:
        if text[i].isspace():
            i += 1
        elif text.startswith("//", i) or text.startswith("/*", i):
            i = _skip_comment(text, i)
        else:
            break
    return min(i, end)


def _trim_trailing_comment(text: str, start: int, end: int) -> int:
    """The end of a property before a comment that follows it on its last line (`a: 'x' // note`)."""
    i, last = start, start
    while i < end:
        ch = text[i]
        if ch in "'\"`":
            i = _skip_string(text, i)
            last = i
            continue
        if text.startswith("//", i) or text.startswith("/*", i):
            i = _skip_comment(text, i)
            continue
        if not ch.isspace():
            last = i + 1
        i += 1
    return min(last, end)


def _top_colon(part: str) -> Optional[int]:
    i, depth = 0, 0
    while i < len(part):
        ch = part[i]
        if ch in "'\"`":
            if depth == 0 and i > 0 and part[:i].strip():
                return None
            i = _skip_string(part, i)
            continue
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth -= 1
        elif ch == ":" and depth == 0:
            return i
        elif ch == "(" and depth == 0:
            return None
        i += 1
    return None
