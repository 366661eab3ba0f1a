"""JSON output shaped like ruff's, so tools that read ruff's JSON need little change.

A list with one object per finding. Locations are `{row, column}`, 1-based,
the end exclusive (as in ruff). `url` is null for codes without a page
(E901/E902, unknown codes). With `--statistics` the list holds one object per
code instead (`code`, `name`, `count`, `fixable`), as ruff does.

The text is ASCII (non-ASCII characters are `\\u` escapes): it is still the
same JSON, and it survives any console or file encoding.
"""
from __future__ import annotations

import json
from collections import Counter
from typing import Optional

from lambdalint import ruleinfo
from lambdalint.findings import Finding, Fix, Severity
from lambdalint.report import ReportOptions, rule_url
from lambdalint.result import RunResult


def render(result: RunResult, options: ReportOptions) -> str:
    if options.statistics:
        data = _statistics(result.findings)
    else:
        data = [finding_dict(f) for f in result.findings]
    return json.dumps(data, indent=2) + "\n"


def finding_dict(f: Finding) -> dict:
    info = ruleinfo.rule_info(f.code)
    return {
        "code": f.code,
        "name": info.name if info else None,
        "message": f.message,
        "severity": Severity(f.severity).value,
        "filename": f.path,
        "location": _location(f.span.line, f.span.column),
        "end_location": _location(f.span.end_line, f.span.end_column),
        "handler": f.handler,
        "fix": _fix(f.fix),
        "url": rule_url(f.code),
    }


def _location(row: int, column: int) -> dict:
    return {"row": row, "column": column}


def _fix(fix: Optional[Fix]) -> Optional[dict]:
    if fix is None:
        return None
    return {
        "message": fix.message,
        "edits": [
            {
                "content": content,
                "location": _location(span.line, span.column),
                "end_location": _location(span.end_line, span.end_column),
            }
            for span, content in fix.edits
        ],
    }


def _statistics(findings: list[Finding]) -> list[dict]:
    counts = Counter(f.code for f in findings)
    fixable = {f.code for f in findings if f.fix}
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [
        {
            "code": code,
            "name": info.name if (info := ruleinfo.rule_info(code)) else None,
            "count": count,
            "fixable": code in fixable,
        }
        for code, count in rows
    ]
