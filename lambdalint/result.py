"""What one run produced, handed to the reporters."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from lambdalint.findings import Finding, Notification


@dataclass
class RunResult:
    findings: list[Finding] = field(default_factory=list)          # sorted by path, line, column, code
    notifications: list[Notification] = field(default_factory=list)
    files_checked: int = 0
    root: Path = field(default_factory=Path.cwd)                    # finding paths are relative to this when possible
    sources: dict[str, str] = field(default_factory=dict)          # path -> text, for code frames
    reported: list[str] = field(default_factory=list)              # display paths of the files reported on
    execution_successful: bool = True                               # False when a rule or front end failed somewhere
    durable_functions: list = field(default_factory=list)          # (path, line, name, kind): `--verbose` lists them


@dataclass
class RunProblems:
    """What went wrong beside the findings: shown to the user, never reported as findings."""

    warnings: list[str] = field(default_factory=list)        # e.g. a path that does not exist
    internal_errors: list[str] = field(default_factory=list)  # a rule or front end failed on some file
