"""The command line: `lambdalint check`, `rules`, `explain`.

Exit codes: 0 nothing found, 1 findings, 2 usage, configuration or internal
error. No traceback reaches a user; set LAMBDALINT_DEBUG=1 to see one.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Optional

import click

from lambdalint import __version__
from lambdalint.config import ConfigError, apply_overrides, load_config
from lambdalint.report import FORMATS, ReportOptions, render
from lambdalint.ruleinfo import all_rule_infos, reserved_ids, rule_info, rule_page

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _fail(message: str) -> "click.exceptions.Exit":
    click.echo(f"lambdalint: error: {message}", err=True)
    return click.exceptions.Exit(EXIT_ERROR)


def _codes(values: tuple[str, ...]) -> Optional[list[str]]:
    """`--select FF001,FF002 --select DF` -> ["FF001", "FF002", "DF"]; None when not given."""
    if not values:
        return None
    return [code.strip() for value in values for code in value.split(",") if code.strip()]


def _read_stdin(filename: str) -> str:
    """Standard input decoded as the named file would be (a Python coding declaration is honoured)."""
    from lambdalint import source_text
    from lambdalint.discovery import language_for

    stream = getattr(sys.stdin, "buffer", None)
    data = stream.read() if stream is not None else sys.stdin.read().encode("utf-8")
    try:
        return source_text.decode(data, language_for(filename))
    except source_text.Unreadable as error:
        raise _fail(f"standard input: {error}")


class _Group(click.Group):
    """Turns unexpected exceptions into one line on stderr and exit 2."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException, SystemExit):
            raise
        except ConfigError as error:
            raise _fail(str(error))
        except KeyboardInterrupt:
            raise _fail("interrupted")
        except Exception as error:
            if os.environ.get("LAMBDALINT_DEBUG"):
                raise
            raise _fail(f"internal error: {type(error).__name__}: {error} (set LAMBDALINT_DEBUG=1 for a traceback)")


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="lambdalint", message="%(prog)s %(version)s")
def main() -> None:
    """Find AWS Lambda work that never finishes: un-awaited promises and coroutines, dropped tasks, and more."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None, help="Output format (default: text).")
@click.option("--output", "-o", "output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the report to FILE instead of standard output.")
@click.option("--select", multiple=True, help="Enable only these codes or prefixes (comma-separated).")
@click.option("--ignore", multiple=True, help="Disable these codes or prefixes (comma-separated).")
@click.option("--extend-select", multiple=True, help="Enable these codes or prefixes in addition.")
@click.option("--exit-zero", is_flag=True, default=None, help="Exit 0 even when problems are found.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Read configuration from FILE (pyproject.toml or lambdalint.toml).")
@click.option("--no-cache", is_flag=True, default=False, help="Do not read or write the parse cache.")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=None, help="Worker processes (0 = one per core).")
@click.option("--statistics", is_flag=True, default=False, help="Show counts per code instead of each finding.")
@click.option("--quiet", "-q", is_flag=True, default=False, help="Print only the findings.")
@click.option("--verbose", "-v", is_flag=True, default=False, help="Also print notes about code that could not be read, and how durable code was classified.")
@click.option("--no-color", is_flag=True, default=False, help="Never colour the text output.")
@click.option("--stdin-filename", default=None, help="The path of the file read from standard input (required with `-`).")
def check(paths, fmt, output, select, ignore, extend_select, exit_zero, config_file, no_cache, jobs, statistics,
          quiet, verbose, no_color, stdin_filename) -> None:
    """Check PATHS (files or folders; default: the current folder). `-` reads standard input."""
    from lambdalint.engine import run

    paths = list(paths) or [Path(".")]
    from_stdin = any(str(p) == "-" for p in paths)
    if from_stdin and len(paths) > 1:
        raise click.UsageError("`-` (standard input) cannot be combined with other paths")
    if from_stdin and not stdin_filename:
        raise _fail("`-` reads standard input: add --stdin-filename PATH to name the file it stands for "
                    "(its suffix sets the language)")
    if quiet and verbose:
        raise click.UsageError("--quiet and --verbose cannot be used together")
    missing = [p for p in paths if not from_stdin and not os.path.lexists(p)]
    existing = [p for p in paths if p not in missing]
    config_anchor = [Path(stdin_filename)] if from_stdin else (existing or paths)
    config = load_config(config_anchor, config_file)
    config = apply_overrides(
        config,
        select=_codes(select),
        ignore=_codes(ignore),
        extend_select=_codes(extend_select),
        format=fmt,
        exit_zero=exit_zero,
        jobs=jobs,
    )
    if output is not None:
        _check_output(output, [Path(stdin_filename)] if from_stdin else existing)
    for warning in config.warnings:
        click.echo(f"lambdalint: warning: {warning}", err=True)
    for path in missing:
        click.echo(f"lambdalint: error: path does not exist: {path}", err=True)
    stdin_source = _read_stdin(stdin_filename) if from_stdin else None
    result, problems = run(
        [] if from_stdin else existing,
        config,
        stdin_source=stdin_source,
        stdin_filename=stdin_filename,
        use_cache=config.cache and not no_cache,
        jobs=config.jobs,
    )
    for warning in problems.warnings:
        click.echo(f"lambdalint: warning: {warning}", err=True)
    for error in problems.internal_errors:
        click.echo(f"lambdalint: error: {error}", err=True)
    if missing:
        result.execution_successful = False
        if config.format == "sarif":  # code scanning shows why the run is incomplete; text has said it on stderr
            from lambdalint.findings import Notification

            result.notifications.extend(Notification(str(p), "path does not exist", level="error") for p in missing)
    if config.format == "sarif":
        from lambdalint.report.sarif import MAX_RESULTS

        if len(result.findings) > MAX_RESULTS:
            click.echo(f"lambdalint: warning: {len(result.findings) - MAX_RESULTS:,} of {len(result.findings):,} "
                       f"results were left out of the SARIF report, the least severe first: a run holds at most "
                       f"{MAX_RESULTS:,} (GitHub's limit)", err=True)

    color = (config.format == "text" and not no_color and not os.environ.get("NO_COLOR") and output is None
             and sys.stdout.isatty())
    report = render(result, config.format,
                    ReportOptions(color=color, statistics=statistics, verbose=verbose, quiet=quiet))
    if output is not None:
        _check_output(output, [Path(p) for p in [*result.reported, *result.sources]] + [Path(f.path) for f in result.findings])
        try:
            output.write_text(report, encoding="utf-8")
        except OSError as error:
            raise _fail(f"cannot write the report to {output}: {error.strerror or error}")
    else:
        click.echo(report, nl=False)

    if missing or problems.internal_errors:
        raise click.exceptions.Exit(EXIT_ERROR)
    if result.findings and not config.exit_zero:
        raise click.exceptions.Exit(EXIT_FINDINGS)


def _check_output(output: Path, linted: list[Path]) -> None:
    """Refuse a report file that cannot be written, or that would overwrite a file being linted."""
    folder = output.parent if str(output.parent) else Path(".")
    if not folder.is_dir():
        raise _fail(f"cannot write the report to {output}: the folder {folder} does not exist")
    target = os.path.realpath(output)
    for path in linted:
        if os.path.realpath(path) == target:
            raise _fail(f"refusing to write the report to {output}: it is a file being checked")


@main.command()
def rules() -> None:
    """List every rule: id, name, severity, languages, summary."""
    infos = all_rule_infos()
    width = max(len(info.name) for info in infos)
    click.echo(f"{'ID':<6}  {'NAME':<{width}}  {'SEVERITY':<8}  {'LANGUAGES':<24}  SUMMARY")
    for info in infos:
        languages = ", ".join("js/ts" if lang == "javascript" else ("py" if lang == "python" else lang)
                              for lang in info.languages if lang != "typescript")
        click.echo(f"{info.id:<6}  {info.name:<{width}}  {info.severity.value:<8}  {languages:<24}  {info.summary}")


@main.command()
@click.argument("code", metavar="CODE")
def explain(code: str) -> None:
    """Print the documentation of rule CODE (an id such as FF001, or a name such as unawaited-async-call)."""
    info = rule_info(code)
    if info is None:
        if code.strip().upper() in reserved_ids():
            raise _fail(f"{code.strip().upper()} is planned: the rule is not built yet in lambdalint {__version__}")
        known = ", ".join(i.id for i in all_rule_infos())
        raise _fail(f"unknown rule {code!r}; known codes: {known} (or their names, see `lambdalint rules`)")
    page = rule_page(info.id)
    click.echo(page if page else f"{info.id} {info.name} ({info.severity.value})\n\n{info.summary}\n")


def entry() -> None:
    """The `lambdalint` command. Once the report is out it leaves without freeing the run's objects
    one by one (a project's models are millions of them: that teardown is a noticeable share of a run)."""
    try:
        main.main(prog_name="lambdalint")
        code = 0
    except SystemExit as done:
        if done.code is None or isinstance(done.code, int):
            code = done.code or 0
        else:
            click.echo(done.code, err=True)
            code = 1
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe: nothing more can be said
        code = code or 1
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    entry()
