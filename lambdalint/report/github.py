"""GitHub Actions workflow commands: one annotation per finding.

`::error file=…,line=…,col=…,endLine=…,endColumn=…,title=CODE name::CODE message`
(`::warning` for warnings, `::notice` for info). GitHub shows these on the
pull request's diff without any upload step. Values are escaped the way the
runner unescapes them: `%`, CR and LF in the message; additionally `:` and
`,` in properties, which would otherwise end the value. With `--verbose`,
notifications are added as notices.
"""
from __future__ import annotations

from lambdalint import ruleinfo
from lambdalint.findings import Finding, Notification, Severity
from lambdalint.report import ReportOptions
from lambdalint.result import RunResult

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def render(result: RunResult, options: ReportOptions) -> str:
    lines = [_finding(f) for f in result.findings]
    if options.verbose:
        lines += [_notification(n) for n in result.notifications]
    return "".join(line + "\n" for line in lines)


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _command(name: str, properties: dict, message: str) -> str:
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
    return f"::{name} {props}::{escape_data(message)}"


def _finding(f: Finding) -> str:
    info = ruleinfo.rule_info(f.code)
    span = f.span
    properties = {
        "file": f.path,
        "line": span.line,
        "col": span.column,
        "endLine": span.end_line,
        "endColumn": span.end_column,
        "title": f"{f.code} {info.name}" if info else f.code,
    }
    return _command(COMMANDS[Severity(f.severity)], properties, f"{f.code} {f.message}")


def _notification(n: Notification) -> str:
    properties: dict = {"file": n.path}
    if n.span:
        properties.update(line=n.span.line, col=n.span.column, endLine=n.span.end_line, endColumn=n.span.end_column)
    properties["title"] = "lambdalint note"
    return _command("notice", properties, n.message)
