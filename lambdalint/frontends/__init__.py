"""Front ends: the only code that touches syntax trees. Each lowers one file into a FileModel."""
from __future__ import annotations

from lambdalint.frontends.errors import ParseError
from lambdalint.model import FileModel, Language


def lower(source: str, path: str, language: Language) -> FileModel:
    """Parse `source` once and lower it; raises ParseError for Python that cannot be parsed.

    JS/TS never raise: tree-sitter recovers, and unreadable regions are recorded
    in `FileModel.error_regions`.
    """
    if language is Language.PYTHON:
        from lambdalint.frontends.python import lower_python

        return lower_python(source, path)
    from lambdalint.frontends.javascript import lower_javascript

    return lower_javascript(source, path)


__all__ = ["ParseError", "lower"]
