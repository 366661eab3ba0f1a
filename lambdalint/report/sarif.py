"""SARIF 2.1.0 output, for GitHub code scanning and editors.

Choices, and why:

* `tool.driver.rules` lists every code lambdalint knows, not only those that
  fired, each with its rule page as `help` (GitHub shows it beside the alert).
  `result.ruleIndex` points into that list.
* Artifact URIs are relative to `%SRCROOT%`, declared in `originalUriBaseIds`
  as the repository root (the nearest VCS root above the project, else the
  project root), whatever folder the run started in: code scanning matches a
  URI against the repository's paths, so `proj/src/app.ts` must not lose or
  repeat its `proj/`. Finding paths are relative to the working directory.
  A file outside the root gets an absolute `file://` URI and no base.
* GitHub accepts at most 25,000 results per run: beyond that the most severe
  are kept (then in path order) and a tool notification says how many were
  left out. `automationDetails.id` is `lambdalint/` plus the project's folder
  below the repository root, so two projects of one repository uploaded
  separately do not replace each other's alerts.
* Columns count Unicode code points, as the program model does; the run says
  so with `columnKind`.
* `partialFingerprints.primaryLocationLineHash` lets GitHub match an alert
  across commits. It is the first 16 hex digits of the SHA-256 of the code,
  the file's URI and the text of the finding's first line with whitespace
  collapsed, followed by `:n`, where n counts findings with that same hash in
  the file in source order (1-based). Line numbers are left out on purpose:
  inserting or re-indenting lines above a finding keeps its fingerprint; only
  editing the flagged line (or renaming the file) changes it. When the source
  is not available, the message with its digits blanked stands in for the
  line text.
* E901/E902 (a file could not be parsed or read) are results, because they
  count for the exit code, and also `toolExecutionNotifications`, because
  they mean part of the input was not analysed. Notifications (regions the
  grammar could not read) are only execution notifications.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path, PurePath
from typing import Optional
from urllib.parse import quote

import lambdalint
from lambdalint import ruleinfo
from lambdalint.findings import Finding, Fix, Notification, Severity, Span
from lambdalint.report import ReportOptions, SourceLines, is_input_error, rule_url
from lambdalint.result import RunResult

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/lambdalint/lambdalint"
SRCROOT = "%SRCROOT%"
MAX_RESULTS = 25_000   # GitHub code scanning rejects a run with more
_VCS_MARKERS = (".git", ".hg", ".svn")
_SEVERITY_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}

LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_NOTIFICATION_LEVELS = {"error": "error", "warning": "warning", "note": "note", "info": "note", "none": "none"}
_FAMILIES = {"FF": "fire-and-forget", "DF": "durable-functions", "RT": "runtime-contract", "E9": "input-error"}


def render(result: RunResult, options: ReportOptions) -> str:
    return json.dumps(build_log(result), indent=2) + "\n"


def build_log(result: RunResult) -> dict:
    project = Path(os.path.realpath(result.root))
    root = source_root(project)
    infos = _rule_infos(result.findings)
    index = {info.id: i for i, info in enumerate(infos)}
    sources = SourceLines(result.sources)
    fingerprints = _fingerprints(result.findings, root, sources)

    kept = _most_severe(result.findings, MAX_RESULTS)
    results = [_result(result.findings[i], index[result.findings[i].code], root, fingerprints[i]) for i in kept]
    notes = [_input_error_note(f, index[f.code], root) for f in result.findings if is_input_error(f.code)]
    notes += [_notification(n, root) for n in result.notifications]
    left_out = len(result.findings) - len(kept)
    if left_out:
        notes.append({
            "level": "warning",
            "message": {"text": f"{left_out:,} of {len(result.findings):,} results were left out: a SARIF run "
                                f"holds at most {MAX_RESULTS:,} (GitHub's limit); the most severe were kept"},
            "descriptor": {"id": "result-limit"},
        })
    below = os.path.relpath(project, root).replace(os.sep, "/")
    below = "" if below == "." or below.startswith("..") else below
    run = {
        "tool": {
            "driver": {
                "name": "lambdalint",
                "fullName": f"lambdalint {lambdalint.__version__}",
                "informationUri": INFORMATION_URI,
                "version": lambdalint.__version__,
                "semanticVersion": lambdalint.__version__,
                "rules": [_rule(info) for info in infos],
            }
        },
        "automationDetails": {"id": "lambdalint/" + (below + "/" if below else "")},
        "originalUriBaseIds": {SRCROOT: {"uri": _directory_uri(root)}},
        "columnKind": "unicodeCodePoints",
        "invocations": [
            {"executionSuccessful": result.execution_successful, "toolExecutionNotifications": notes}
        ],
        "results": results,
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def source_root(project: Path) -> Path:
    """The repository root: the nearest folder at or above `project` with a VCS marker, else the
    working directory's repository (a config file above the repository, in a home folder), else `project`."""
    for start in (project, Path(os.path.realpath(os.getcwd()))):
        for folder in (start, *start.parents):
            if any(os.path.exists(os.path.join(folder, marker)) for marker in _VCS_MARKERS):
                return folder
    return project


def _most_severe(findings: list[Finding], limit: int) -> list[int]:
    """Indices of at most `limit` findings, the most severe first, returned in their original order."""
    if len(findings) <= limit:
        return list(range(len(findings)))
    ranked = sorted(range(len(findings)), key=lambda i: _SEVERITY_RANK.get(Severity(findings[i].severity), 3))
    return sorted(ranked[:limit])


# -- rules -------------------------------------------------------------------

def _rule_infos(findings: list[Finding]) -> list[ruleinfo.RuleInfo]:
    """Every known rule, plus a bare entry for any code the registry lacks,
    so that each result has a rule to point at."""
    infos = list(ruleinfo.all_rule_infos())
    known = {info.id for info in infos}
    for f in findings:
        if f.code not in known:
            known.add(f.code)
            infos.append(ruleinfo.RuleInfo(f.code, f.code, Severity(f.severity), f.code, ()))
    return infos


def _rule(info: ruleinfo.RuleInfo) -> dict:
    url = rule_url(info.id)
    page = ruleinfo.rule_page(info.id)
    help_text = page or (f"{info.summary}\n\nSee {url}" if url else info.summary)
    rule = {
        "id": info.id,
        "name": info.name,
        "shortDescription": {"text": info.summary},
        "fullDescription": {"text": info.summary},
        "help": {"text": help_text, "markdown": help_text},
        "defaultConfiguration": {"level": LEVELS[Severity(info.severity)]},
        "properties": {"tags": _tags(info)},
    }
    if url:
        rule["helpUri"] = url
    return rule


def _tags(info: ruleinfo.RuleInfo) -> list[str]:
    family = _FAMILIES.get(info.id[:2])
    return ["lambda"] + ([family] if family else []) + list(info.languages)


# -- results -----------------------------------------------------------------

def _result(f: Finding, rule_index: int, root: Path, fingerprint: str) -> dict:
    out = {
        "ruleId": f.code,
        "ruleIndex": rule_index,
        "level": LEVELS[Severity(f.severity)],
        "message": {"text": f.message},
        "locations": [_location(f.path, f.span, root)],
        "partialFingerprints": {"primaryLocationLineHash": fingerprint},
    }
    if f.fix:
        out["fixes"] = [_fix(f.path, f.fix, root)]
    if f.handler:
        out["properties"] = {"handler": f.handler}
    return out


def _fix(path: str, fix: Fix, root: Path) -> dict:
    return {
        "description": {"text": fix.message},
        "artifactChanges": [
            {
                "artifactLocation": _artifact_location(path, root),
                "replacements": [
                    {"deletedRegion": _region(span), "insertedContent": {"text": content}}
                    for span, content in fix.edits
                ],
            }
        ],
    }


def _input_error_note(f: Finding, rule_index: int, root: Path) -> dict:
    return {
        "level": "error",
        "message": {"text": f.message},
        "locations": [_location(f.path, f.span, root)],
        "descriptor": {"id": f.code},
        "associatedRule": {"id": f.code, "index": rule_index},
    }


def _notification(n: Notification, root: Path) -> dict:
    return {
        "level": _NOTIFICATION_LEVELS.get(str(n.level).lower(), "warning"),
        "message": {"text": n.message},
        "locations": [_location(n.path, n.span, root)],
    }


def _location(path: str, span: Optional[Span], root: Path) -> dict:
    physical: dict = {"artifactLocation": _artifact_location(path, root)}
    if span is not None:
        physical["region"] = _region(span)
    return {"physicalLocation": physical}


def _region(span: Span) -> dict:
    """The span as a SARIF region, made well-formed (1-based, end not before start)."""
    start_line = max(1, span.line)
    start_column = max(1, span.column)
    end_line = max(start_line, span.end_line)
    end_column = max(1, span.end_column)
    if end_line == start_line:
        end_column = max(end_column, start_column)
    return {"startLine": start_line, "startColumn": start_column, "endLine": end_line, "endColumn": end_column}


# -- URIs --------------------------------------------------------------------

def _artifact_location(path: str, root: Path) -> dict:
    """A URI relative to %SRCROOT% when the file is under the root, else absolute."""
    return dict(_artifact_location_in(path, root, os.getcwd()))


@lru_cache(maxsize=4096)
def _artifact_location_in(path: str, root: Path, cwd: str) -> tuple:
    absolute = os.path.normpath(os.path.join(cwd, path))
    relative = _relative_to_root(absolute, root)
    if relative is None:
        return (("uri", Path(absolute).as_uri()),)
    return (("uri", quote(relative.as_posix())), ("uriBaseId", SRCROOT))


def _relative_to_root(absolute: str, root: Path) -> Optional[PurePath]:
    """`absolute` below `root` (a real path); the file's folder is resolved if the plain path is not below it."""
    folder, name = os.path.split(absolute)
    for candidate in (absolute, os.path.join(os.path.realpath(folder), name)):
        try:
            return PurePath(candidate).relative_to(root)
        except ValueError:
            continue
    return None


def _directory_uri(root: Path) -> str:
    uri = root.as_uri()
    return uri if uri.endswith("/") else uri + "/"


# -- fingerprints ------------------------------------------------------------

def _fingerprints(findings: list[Finding], root: Path, sources: SourceLines) -> list[str]:
    """primaryLocationLineHash of each finding (see the module docstring)."""
    order = sorted(range(len(findings)), key=lambda i: (findings[i].path, findings[i].span.line, findings[i].span.column))
    seen: Counter = Counter()
    out = [""] * len(findings)
    for i in order:
        f = findings[i]
        text = sources.line(f.path, f.span.line)
        if text is None:
            text = re.sub(r"\d+", "", f.message)
        uri = _artifact_location(f.path, root)["uri"]
        key = "\0".join((f.code, uri, " ".join(text.split())))
        digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
        seen[(uri, digest)] += 1
        out[i] = f"{digest}:{seen[(uri, digest)]}"
    return out
