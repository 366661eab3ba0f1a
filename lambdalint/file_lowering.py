"""One file lowered into its model, and the model encoded as the cache stores it (and workers ship it)."""
from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass
from typing import Optional, Union

from lambdalint import codec, source_text
from lambdalint.findings import Finding, Language, Severity, Span
from lambdalint.iac.cdk_imports import reads_source_text
from lambdalint.model import FileModel
from lambdalint.suppress import parse_suppressions

Input = tuple[str, Language, str]   # display path, language, text


@dataclass
class Unreadable:
    """A file that produced no model: the E901 finding that stands for it."""

    finding: Finding


Outcome = Union[FileModel, Unreadable, str]   # a str: a front-end failure, as the user is told of it


_FIELDS = {f.name: i for i, f in enumerate(dataclasses.fields(FileModel))}


def encode(model: FileModel, source: str, facts: bool = True) -> Optional[tuple[bytes, str]]:
    """The model as the cache stores it (JSON) and its facts digest ("" unless `facts`: a run without a cache
    never asks); None when the format cannot carry it (then the file is lowered every time)."""
    try:
        encoded = codec.encoder(FileModel)(model)
        body = json.dumps(encoded, separators=(",", ":"), allow_nan=True).encode("ascii")
        return body, facts_digest(model, encoded, source) if facts else ""
    except Exception:  # noqa: BLE001 - e.g. an integer longer than Python turns into text
        return None


def decode(body: bytes) -> FileModel:
    return codec.decoder(FileModel)(json.loads(body))


def facts_digest(model: FileModel, encoded: list, source: str) -> str:
    """The digest of what a run reads of a file: two texts with the same facts give every file of the
    project the same findings.

    That is its model (`encoded`) but its path, and of its comments only the suppressions they make (the
    rules read no other comment) and not its line count (read only while lowering) — and the whole text
    when the run reads that too (a CDK app's props are located in it).
    """
    view = list(encoded)
    view[_FIELDS["path"]] = view[_FIELDS["is_test"]] = None  # in the row (copies of a text share an entry)
    view[_FIELDS["comments"]] = [[s.line, s.target_line, list(s.codes), s.reason]
                                 for s in parse_suppressions(model.comments)]
    view[_FIELDS["line_count"]] = 0
    digest = hashlib.sha256(json.dumps(view, separators=(",", ":"), allow_nan=True).encode())
    if reads_source_text(model):
        digest.update(b"\0text\0" + source.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def lower_one(display: str, language: Language, source: str) -> Outcome:
    from lambdalint.frontends import ParseError, lower  # only when a file is lowered: the parsers
    try:
        return lower(source, display, language)
    except ParseError as error:
        message, line, column = str(error), error.line or 1, error.column or 1
        cpython = source_text.python_syntax_error(source, display) if language is Language.PYTHON else None
        if cpython is not None:
            message, line, column = cpython
        return Unreadable(Finding("E901", f"syntax error: {message}", Severity.ERROR, display,
                                  Span(line, column, line, column)))
    except RecursionError:
        return Unreadable(Finding("E901", "syntax error: the file is too deeply nested to analyse",
                                  Severity.ERROR, display, Span(1, 1, 1, 1)))
    except Exception as error:  # a front-end bug: report it, keep going
        return f"{display}: could not be analysed: {type(error).__name__}: {error}"

