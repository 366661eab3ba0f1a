"""Human output, shaped like ruff's: a `path:line:col: CODE message` line per
finding, a short code frame under it, and a summary line.

Frames are drawn in terminal cells, not characters: tabs expand to tab stops,
East Asian wide characters take two cells and combining marks none, so the
`^^^` underline sits under the reported code whatever the line holds. Control
and bidirectional-override characters from the source are shown as visible
stand-ins so a linted file cannot move the cursor or reorder the terminal's
text (and a report without colour never contains an escape byte).
"""
from __future__ import annotations

import unicodedata
from collections import Counter
from typing import Optional

from lambdalint import ruleinfo
from lambdalint.findings import Finding, Notification, Severity
from lambdalint.report import ReportOptions, SourceLines
from lambdalint.result import RunResult

TAB_WIDTH = 4
MAX_LINE_WIDTH = 100      # source cells shown per frame line; longer lines are cut around the span
CONTEXT_BEFORE = 24       # cells kept left of the span when a long line is cut
MAX_FRAME_LINES = 3       # a multi-line span shows its first lines, then "..."
ELLIPSIS = "..."

_BIDI_CONTROLS = frozenset("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

_BOLD = "1"
_GUTTER = "1;34"
_NOTE = "1;36"
_SEVERITY_STYLE = {Severity.ERROR: "1;31", Severity.WARNING: "1;33", Severity.INFO: "1;36"}


class _Painter:
    def __init__(self, color: bool):
        self.color = color

    def __call__(self, text: str, style: str) -> str:
        if not self.color or not text:
            return text
        return f"\x1b[{style}m{text}\x1b[0m"


def render(result: RunResult, options: ReportOptions) -> str:
    paint = _Painter(options.color)
    if options.statistics:
        blocks = _statistics(result.findings)
        sep = "\n"
    elif options.quiet:
        blocks = [_header(f, paint) for f in result.findings]
        sep = "\n"
    else:
        blocks = _entries(result, options, paint)
        sep = "\n\n" if options.show_source else "\n"
    summary = _summary(result)
    if not options.quiet and summary:
        blocks.append(paint(summary, _BOLD))
        hidden = 0 if options.verbose else len(result.notifications)
        if hidden:
            them = "it" if hidden == 1 else "them"
            blocks[-1] += f"\n{_plural(hidden, 'note')} not shown; use --verbose to see {them}."
    return sep.join(blocks) + "\n" if blocks else ""


def _entries(result: RunResult, options: ReportOptions, paint: _Painter) -> list[str]:
    """Findings with their frames, and notifications when verbose, in file order."""
    sources = SourceLines(result.sources)
    items: list[tuple[tuple, str]] = []
    for f in result.findings:
        lines = [_header(f, paint)]
        if options.show_source:
            lines += _frame(f, sources, paint)
        items.append(((f.path, f.span.line, f.span.column, 0), "\n".join(lines)))
    if options.verbose and result.notifications:
        for n in result.notifications:
            line, col = (n.span.line, n.span.column) if n.span else (0, 0)
            items.append(((n.path, line, col, 1), _note(n, paint)))
        items.sort(key=lambda item: item[0])  # the engine's order, notes merged in; stable
    blocks = [text for _, text in items]
    if options.verbose and result.durable_functions:
        rows = [f"{paint(_visible_text(path), _BOLD)}:{line}: {kind}: {_visible_text(name)}"
                for path, line, name, kind in result.durable_functions]
        blocks.append("\n".join(["Durable code (orchestration replays; step code runs once):", *rows]))
    return blocks


def _header(f: Finding, paint: _Painter) -> str:
    where = f"{paint(_visible_text(f.path), _BOLD)}:{f.span.line}:{f.span.column}:"
    return f"{where} {paint(f.code, _style(f.severity))} {_visible_text(f.message)}"


def _note(n: Notification, paint: _Painter) -> str:
    where = paint(_visible_text(n.path), _BOLD)
    if n.span:
        where += f":{n.span.line}:{n.span.column}"
    return f"{where}: {paint('note', _NOTE)}: {_visible_text(n.message)}"


def _style(severity) -> str:
    return _SEVERITY_STYLE.get(Severity(severity), _BOLD)


# -- code frames -------------------------------------------------------------

def _frame(f: Finding, sources: SourceLines, paint: _Painter) -> list[str]:
    span = f.span
    last = min(max(span.end_line, span.line), span.line + MAX_FRAME_LINES - 1)
    shown = []
    for number in range(span.line, last + 1):
        text = sources.line(f.path, number)
        if text is None:
            break
        shown.append((number, text))
    if not shown:
        return []
    width = len(str(shown[-1][0]))
    bar = f"{' ' * width} {paint('|', _GUTTER)}"
    out = [bar]
    for number, text in shown:
        if number == span.line:
            end = span.end_column if span.end_line == span.line else None
            visible, caret_at, caret_len = _fit(text, span.column, end)
        else:
            visible, _, _ = _fit(text, 1, None)
        out.append(f"{paint(str(number).rjust(width), _GUTTER)} {paint('|', _GUTTER)} {visible}".rstrip())
        if number == span.line:
            out.append(f"{bar} {' ' * caret_at}{paint('^' * caret_len, _style(f.severity))}")
    if span.end_line > shown[-1][0]:
        out.append(f"{bar} {ELLIPSIS}")
    out.append(bar)
    if f.fix:
        out.append(f"{' ' * width} = help: {_visible_text(f.fix.message)}")
    return out


def _fit(text: str, start_col: int, end_col: Optional[int]) -> tuple[str, int, int]:
    """The line as displayed, where its underline starts, and how long it is (cells).

    `end_col` is exclusive; None underlines to the end of the line. A line
    wider than MAX_LINE_WIDTH is cut to a window around the span's start,
    with "..." where text was left out.
    """
    cells = _cells(text)
    widths = [w for _, w in cells]
    n = len(cells)
    start = min(max(start_col - 1, 0), n)
    end = n if end_col is None else min(max(end_col - 1, start), n)
    lo, hi = 0, n
    if sum(widths) > MAX_LINE_WIDTH:
        lo = _extend_left(widths, start, CONTEXT_BEFORE)
        budget = MAX_LINE_WIDTH - sum(widths[lo:start])
        hi = start
        while hi < n and widths[hi] <= budget:
            budget -= widths[hi]
            hi += 1
        if hi == n:  # the line ends early: spend what is left on the left side
            lo = _extend_left(widths, lo, budget)
    prefix = ELLIPSIS if lo > 0 else ""
    suffix = ELLIPSIS if hi < n else ""
    visible = prefix + "".join(piece for piece, _ in cells[lo:hi]) + suffix
    caret_at = len(prefix) + sum(widths[lo:start])
    caret_len = max(1, sum(widths[start:min(end, hi)]))
    return visible, caret_at, caret_len


def _extend_left(widths: list[int], index: int, budget: int) -> int:
    while index > 0 and widths[index - 1] <= budget:
        budget -= widths[index - 1]
        index -= 1
    return index


def _cells(text: str) -> list[tuple[str, int]]:
    """Each character of `text` as (what to print, cells it takes)."""
    cells = []
    column = 0
    for ch in text:
        if ch == "\t":
            width = TAB_WIDTH - column % TAB_WIDTH
            piece = " " * width
        else:
            piece = _visible(ch)
            width = _width(piece)
        cells.append((piece, width))
        column += width
    return cells


def _visible(ch: str) -> str:
    code = ord(ch)
    if code < 0x20:
        return chr(0x2400 + code)       # Control Pictures block: U+241B is ␛
    if code == 0x7F:
        return "\u2421"
    if 0x80 <= code < 0xA0 or ch in _BIDI_CONTROLS:
        return "\ufffd"
    return ch


def _visible_text(text: str) -> str:
    return "".join(_visible(ch) for ch in text)


def _width(ch: str) -> int:
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


# -- summary and statistics --------------------------------------------------

def _summary(result: RunResult) -> str:
    """`Found 3 errors in 2 files (27 files checked).`; nothing when a clean run was not a complete one
    (a path did not exist, a rule failed), since "All checks passed!" would then be untrue."""
    findings = result.findings
    if not findings:
        return "All checks passed!" if result.execution_successful else ""
    checked = max(result.files_checked, len({f.path for f in findings}))
    return f"{_found(findings)[:-1]} ({_plural(checked, 'file')} checked)."


def _found(findings: list[Finding]) -> str:
    counts = Counter(Severity(f.severity) for f in findings)
    parts = [
        _plural(counts[severity], noun)
        for severity, noun in ((Severity.ERROR, "error"), (Severity.WARNING, "warning"), (Severity.INFO, "info"))
        if counts[severity]
    ]
    files = _plural(len({f.path for f in findings}), "file")
    if len(parts) == 1 and not counts[Severity.INFO]:
        return f"Found {parts[0]} in {files}."
    return f"Found {_plural(len(findings), 'problem')} ({', '.join(parts)}) in {files}."


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 or noun == "info" else f"{count} {noun}s"


def _statistics(findings: list[Finding]) -> list[str]:
    """One row per code, most frequent first: count, code, [*] when fixable, name."""
    counts = Counter(f.code for f in findings)
    if not counts:
        return []
    fixable = {f.code for f in findings if f.fix}
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    count_width = max(len(str(count)) for _, count in rows)
    code_width = max(len(code) for code, _ in rows)
    lines = []
    for code, count in rows:
        info = ruleinfo.rule_info(code)
        marker = ("[*] " if code in fixable else "[ ] ") if fixable else ""
        name = info.name if info else ""
        lines.append(f"{count:>{count_width}}  {code:<{code_width}}  {marker}{name}".rstrip())
    return lines
