"""Inline suppression comments.

    # lambdalint: ignore[FF001, FF002] -- the SDK flushes on shutdown
    // lambdalint-ignore FF001: fire-and-forget metrics, loss is acceptable
    /* lambdalint-ignore */

Both spellings work in both languages (people copy comments between Python
and TypeScript), codes are case-insensitive and may be prefixes (`FF`), and no
codes means every code. A comment trailing code covers its own line; a comment
on a line of its own covers the next line that is not itself only a comment,
so a suppression can sit at the top of a block of explanatory comments.

A finding that spans several lines (a call whose arguments run over lines) is
covered on its first line and on its last: ruff and ESLint users put the
comment after the closing `)`, and formatters move trailing comments there.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Iterable, Optional

from lambdalint.model import Comment, Finding

_MARKER = re.compile(r"lambdalint(?:\s*:\s*|-)ignore(?![\w-])", re.IGNORECASE)
# In the bare form (`lambdalint-ignore FF001 FF002 -- reason`) codes run up to
# the first word that is not shaped like one. The shape is looser than a real
# code so that a typo (`FF0001`) stays a code that matches nothing and shows
# up as unused, rather than turning into a reason and a blanket suppression.
_BARE_CODE = re.compile(r"\s*,?\s*([A-Za-z]{1,2}[0-9]*|[A-Za-z]{3}[0-9]+)(?![\w-])")
_REASON_SEPARATOR = re.compile(r"^\s*(?:--|:)\s*")


@dataclass
class Suppression:
    line: int                        # where the comment is
    target_line: int                 # the code line it covers
    codes: tuple[str, ...]           # upper-case codes or prefixes; empty = all codes
    used: set[str] = field(default_factory=set)   # entries of `codes` that matched (finding codes for a blanket one)
    reason: str = ""

    @property
    def unused_codes(self) -> tuple[str, ...]:
        """Listed codes that suppressed nothing (for a blanket one: () once anything matched)."""
        return tuple(c for c in self.codes if c not in self.used)

    def covers(self, finding: Finding) -> Optional[str]:
        """The entry that suppresses `finding` (its code for a blanket one), else None."""
        if finding.span.line not in (self.line, self.target_line) and \
                finding.span.end_line not in (self.line, self.target_line):
            return None
        code = finding.code.upper()
        if not self.codes:
            return code
        return next((c for c in self.codes if code.startswith(c)), None)


def parse_suppression(text: str) -> Optional[tuple[tuple[str, ...], str]]:
    """(codes, reason) of a suppression comment's text, or None if it is not one."""
    match = _MARKER.search(text)
    if match is None:
        return None
    rest = text[match.end():]
    rest = rest[: rest.rfind("*/")] if "*/" in rest else rest
    codes: list[str] = []
    stripped = rest.lstrip()
    if stripped.startswith("["):
        inside, _, rest = stripped[1:].partition("]")
        codes = [c.upper() for c in re.split(r"[\s,]+", inside) if c]
    else:
        while (code := _BARE_CODE.match(rest)) is not None:
            codes.append(code[1].upper())
            rest = rest[code.end():]
        rest = rest.lstrip(" ,")
    reason = _REASON_SEPARATOR.sub("", rest).strip()
    return tuple(dict.fromkeys(codes)), reason


def parse_suppressions(comments: list[Comment]) -> list[Suppression]:
    comment_only_lines = {
        line
        for c in comments if c.own_line
        for line in range(c.line, c.line + c.text.count("\n") + 1)
    }
    suppressions = []
    for comment in comments:
        parsed = parse_suppression(comment.text)
        if parsed is None:
            continue
        target = comment.line
        if comment.own_line:
            target = comment.line + comment.text.count("\n") + 1
            while target in comment_only_lines:
                target += 1
        suppressions.append(Suppression(comment.line, target, parsed[0], reason=parsed[1]))
    return suppressions


def apply_suppressions(findings: list[Finding], suppressions: list[Suppression]) -> list[Finding]:
    """The findings no suppression covers; every suppression that matched is marked used."""
    by_line: dict[int, list[Suppression]] = {}
    for s in suppressions:
        for line in {s.line, s.target_line}:
            by_line.setdefault(line, []).append(s)
    kept = []
    for finding in findings:
        suppressed = False
        lines = sorted({finding.span.line, max(finding.span.line, finding.span.end_line)})
        candidates = {id(s): s for line in lines for s in by_line.get(line, ())}  # each once, in order
        for s in candidates.values():
            entry = s.covers(finding)
            if entry is not None:
                s.used.add(entry)
                suppressed = True
        if not suppressed:
            kept.append(finding)
    return kept


def unused_suppressions(
    suppressions: Iterable[Suppression], is_enabled: Optional[Callable[[str], bool]] = None
) -> list[Suppression]:
    """Suppressions with a code that suppressed nothing (a blanket one: nothing at all).

    Pass `is_enabled` (e.g. `Config.is_enabled`) so that a suppression for a
    rule that did not run is not reported as unused.
    """
    unused = []
    for s in suppressions:
        if s.codes:
            stale = [c for c in s.unused_codes if is_enabled is None or is_enabled(c)]
        else:
            stale = [] if s.used else ["*"]
        if stale:
            unused.append(s)
    return unused
