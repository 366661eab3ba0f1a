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
from lambdalint.ruleinfo import all_rule_infos, rule_info, rule_page

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _fail(message: str) -> "click.exceptions.Exit":
    click.echo(f"lambdalint: error: {message}", err=True)
    return click.exceptions.Exit(EXIT_ERROR)


def _codes(values: tuple[str, ...]) -> Optional[list[str]]:
    """`--select FF001,FF002 --select DF` -> ["FF001", "FF002", "DF"]; None when not given."""
    if not values:
        return None
    return [code.strip() for value in values for code in value.split(",") if code.strip()]


def _read_stdin() -> str:
    stream = getattr(sys.stdin, "buffer", None)
    data = stream.read() if stream is not None else sys.stdin.read().encode("utf-8")
    try:
        return data.decode("utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError as error:
        raise _fail(f"standard input is not valid UTF-8 text (byte 0x{data[error.start]:02x} at offset {error.start})")


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
@click.option("--stdin-filename", default=None, help="The name of the file read from standard input (`-`).")
def check(paths, fmt, output, select, ignore, extend_select, exit_zero, config_file, no_cache, jobs, statistics,
          quiet, verbose, no_color, stdin_filename) -> None:
    """Check PATHS (files or folders; default: the current folder). `-` reads standard input."""
    from lambdalint.engine import run

    paths = list(paths) or [Path(".")]
    from_stdin = any(str(p) == "-" for p in paths)
    if from_stdin and len(paths) > 1:
        raise click.UsageError("`-` (standard input) cannot be combined with other paths")
    if quiet and verbose:
        raise click.UsageError("--quiet and --verbose cannot be used together")
    config_anchor = [Path(stdin_filename)] if from_stdin and stdin_filename else paths
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
    stdin_source = _read_stdin() if from_stdin else None
    result, problems = run(
        [] if from_stdin else paths,
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

    color = (config.format == "text" and not no_color and not os.environ.get("NO_COLOR") and output is None
             and sys.stdout.isatty())
    report = render(result, config.format,
                    ReportOptions(color=color, statistics=statistics, verbose=verbose, quiet=quiet))
    if output is not None:
        output.write_text(report, encoding="utf-8")
    else:
        click.echo(report, nl=False)

    if problems.internal_errors or any(w.startswith("path does not exist") for w in problems.warnings):
        raise click.exceptions.Exit(EXIT_ERROR)
    if result.findings and not config.exit_zero:
        raise click.exceptions.Exit(EXIT_FINDINGS)


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
@click.argument("code")
def explain(code: str) -> None:
    """Print the documentation of rule CODE (for example FF001)."""
    info = rule_info(code)
    if info is None:
        known = ", ".join(i.id for i in all_rule_infos())
        raise _fail(f"unknown rule {code!r}; known codes: {known}")
    page = rule_page(code)
    click.echo(page if page else f"{info.id} {info.name} ({info.severity.value})\n\n{info.summary}\n")


if __name__ == "__main__":  # pragma: no cover
    main()
