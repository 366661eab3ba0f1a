"""The files of one run, and reading them: the ones reported on, the project's test files and its
other files (indexed, never reported), or the standard input's text.

Reading is the largest part of a run the findings cache answers, so a listing can first say whether
every file still looks as it did when last read (`file_states`): then the stored findings are looked
up without reading anything, and only the files they point into are read, for their code frames.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Union

from lambdalint import source_text
from lambdalint.discovery import SourceFile, language_for
from lambdalint.file_states import FileStates, status_of
from lambdalint.findings import Finding, Language, Severity, Span
from lambdalint.result import RunResult
from lambdalint.run_cache import text_digest

Input = tuple[str, Language, str]   # display path, language, text


@dataclass
class Listing:
    files: list[SourceFile]                 # reported on
    text: Optional[Input]                   # the standard input, when it is what the run lints
    named: list = field(default_factory=list)
    tests: list[SourceFile] = field(default_factory=list)       # test files among those named: indexed only
    elsewhere: list[SourceFile] = field(default_factory=list)   # the rest of their project: indexed only
    text_reported: bool = True              # False for a standard input named as a test file

    def reported(self) -> list[str]:
        return [f.display for f in self.files] + ([self.text[0]] if self.text and self.text_reported else [])

    def known_rows(self, states: FileStates) -> Optional[list[tuple[str, str, str]]]:
        """(display, language, digest) of every file, when each one's digest is known without reading it."""
        rows = []
        if self.text is not None:
            rows.append((self.text[0], self.text[1].value, text_digest(self.text[2])))
        for file in self.files + self.tests + self.elsewhere:
            digest = states.digest(str(file.path)) if file.language is not None else None
            if digest is None:
                return None
            rows.append((file.display, file.language.value, digest))
        return rows

    def read(self, states: Optional[FileStates]) -> tuple[list[Input], list[Finding], list[Input]]:
        """The reported texts, the E901/E902 of the reported files that have none, the project's other texts."""
        inputs, unreadable = _read_all(self.files, states)
        tests, _ = _read_all(self.tests, states)
        context, _unreadable_elsewhere = _read_all(self.elsewhere, states)
        if self.text is not None:
            (inputs if self.text_reported else tests).insert(0, self.text)
        return inputs, unreadable, context + tests

    def read_texts_of(self, result: RunResult) -> None:
        """The texts of the reported files the findings point into (for code frames), read now."""
        wanted = {f.path for f in result.findings} | {n.path for n in result.notifications}
        for file in self.files:
            if file.display in wanted:
                text = read_source(file.path, file.display)
                if not isinstance(text, Finding):
                    result.sources[file.display] = text
        if self.text is not None and self.text[0] in wanted:
            result.sources[self.text[0]] = self.text[2]
        result.reported = self.reported()


def _read_all(files: list[SourceFile], states: Optional[FileStates]) -> tuple[list[Input], list[Finding]]:
    inputs, unreadable = [], []
    for file in files:
        status = status_of(str(file.path)) if states is not None else None
        text = read_source(file.path, file.display)
        if isinstance(text, Finding):
            unreadable.append(text)
        else:
            inputs.append((file.display, file.language, text))
            if states is not None:
                states.note(str(file.path), status, text_digest(text))
    return inputs, unreadable


def read_source(path: Union[str, Path], display: str) -> Union[str, Finding]:
    """The file's text, or the E902 finding that explains why there is none (see `source_text`)."""
    try:
        return source_text.decode(source_text.read_bytes(path), language_for(str(path)))
    except source_text.Unreadable as error:
        return _e902(display, str(error))


def _e902(display: str, reason: str) -> Finding:
    return Finding("E902", f"unreadable file: {reason}", Severity.ERROR, display, Span(1, 1, 1, 1))
