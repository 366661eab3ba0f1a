"""JS/TS string literal bodies as the values they denote (escape sequences resolved).

Shared by the lowerer and the Value builder, and kept apart from both so each
imports it at load time.
"""
from __future__ import annotations

import re

__all__ = ["unescape"]

_ESCAPE = re.compile(r"\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|\r\n|[\s\S])")
_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0",
                   "\n": "", "\r\n": "", "\r": "", "\u2028": "", "\u2029": ""}


def unescape(body: str) -> str:
    if "\\" not in body:
        return body

    def one(match: re.Match) -> str:
        esc = match.group(1)
        if esc[0] == "u" and len(esc) > 1:
            code = esc[2:-1] if esc[1] == "{" else esc[1:]
            try:
                return chr(int(code, 16))
            except (ValueError, OverflowError):
                return esc
        if esc[0] == "x" and len(esc) == 3:
            return chr(int(esc[1:], 16))
        return _SIMPLE_ESCAPES.get(esc, esc)

    return _ESCAPE.sub(one, body)
