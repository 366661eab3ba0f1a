"""Reporters: turn a `RunResult` into text, JSON, SARIF or GitHub annotations.

Each format lives in its own module with a `render(result, options) -> str`.
They are imported on demand so that the package can be imported by its own
submodules (which share the helpers below) without a cycle, and so that a run
only loads the format it prints.

Reporters never decide anything about the terminal: whether to colour is the
CLI's call, passed in `ReportOptions.color`.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Optional

from lambdalint import ruleinfo
from lambdalint.result import RunResult

FORMATS = ("text", "json", "sarif", "github")


@dataclass
class ReportOptions:
    color: bool = False        # ANSI colour in text output (the CLI decides: TTY, NO_COLOR, --no-color)
    statistics: bool = False   # counts per code instead of findings (text and json)
    verbose: bool = False      # text: also print notifications
    quiet: bool = False        # text: only the finding lines
    show_source: bool = True   # text: code frames


def render(result: RunResult, fmt: str, options: Optional[ReportOptions] = None) -> str:
    """The whole report as one string (empty or ending with a newline)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of: {', '.join(FORMATS)}")
    module = importlib.import_module(f"{__name__}.{fmt}")
    return module.render(result, options or ReportOptions())


def rule_url(code: str) -> Optional[str]:
    """The documentation page of a code, or None when there is none.

    E901/E902 are input errors, not rules: they link to the README's section on bad input.
    """
    if is_input_error(code):
        return ruleinfo.INPUT_ERRORS_URL
    info = ruleinfo.rule_info(code)
    return info.url if info is not None else None


def is_input_error(code: str) -> bool:
    """E901/E902: problems reading the input, reported as findings but not rules."""
    return any(code.upper() == e.id for e in ruleinfo.INPUT_ERRORS)


class SourceLines:
    """Lines of the run's sources, split once per file.

    Lines are split on "\\n" only (with a trailing "\\r" dropped), the way the
    front ends count lines; `str.splitlines` would also split on form feeds
    and Unicode separators and put frames on the wrong line.
    """

    def __init__(self, sources: dict[str, str]):
        self._sources = sources
        self._lines: dict[str, list[str]] = {}

    def line(self, path: str, number: int) -> Optional[str]:
        """Line `number` (1-based) of `path`, or None when unknown."""
        if path not in self._lines:
            text = self._sources.get(path)
            if text is None:
                return None
            self._lines[path] = [line.rstrip("\r") for line in text.split("\n")]
        lines = self._lines[path]
        return lines[number - 1] if 1 <= number <= len(lines) else None
