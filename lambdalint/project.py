"""The project a path belongs to, and which of its files a run reports on.

The index is the product: a handler that calls an async function from another
module is only judged right when that module is indexed too. So a run always
indexes the whole project of the paths it was given, and reports only on the
files it was asked about — named on the command line, under a named folder,
read from standard input, or passed by pre-commit. The same file then gives
the same findings however it is linted.
"""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Optional

from lambdalint.discovery import VCS_DIRS, SourceFile, discover, display_path, is_test_file

if TYPE_CHECKING:
    from lambdalint.config import Config

if os.name == "nt":  # pragma: no cover - exercised only on Windows
    def _same(a: str, b: str) -> bool:
        return os.path.normcase(a) == os.path.normcase(b)
else:
    def _same(a: str, b: str) -> bool:
        return a == b

try:
    import tomllib
except ModuleNotFoundError:  # pragma: no cover - Python 3.10
    import tomli as tomllib


def project_root(path: os.PathLike | str) -> Path:
    """The folder of the nearest `lambdalint.toml` or `pyproject.toml` with `[tool.lambdalint]`, else the
    nearest VCS root, else the nearest `package.json` / `pyproject.toml`, else the path's own folder
    (a folder is its own folder)."""
    start = _start(path)
    for folder in _upward(start):
        if (folder / "lambdalint.toml").is_file() or _has_lambdalint_table(folder / "pyproject.toml"):
            return folder
    found = vcs_root(start)
    if found is not None:
        return found
    for folder in _upward(start):
        if (folder / "package.json").is_file() or (folder / "pyproject.toml").is_file():
            return folder
    return start


def vcs_root(path: os.PathLike | str) -> Optional[Path]:
    """The nearest folder at or above `path` holding `.git` (a folder, or a file in a worktree or
    submodule), `.hg` or `.svn`; None outside any repository."""
    for folder in _upward(_start(path)):
        if any(os.path.exists(folder / name) for name in VCS_DIRS):
            return folder
    return None


def _start(path: os.PathLike | str) -> Path:
    start = Path(os.path.abspath(path))
    return start if start.is_dir() else start.parent


def _upward(start: Path) -> Iterable[Path]:
    yield start
    yield from start.parents


def _has_lambdalint_table(pyproject: Path) -> bool:
    if not pyproject.is_file():
        return False
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False  # the config loader reports a broken file; here it just is no marker
    tool = data.get("tool")
    return isinstance(tool, dict) and "lambdalint" in tool


def is_within(path: str, folder: str) -> bool:
    return _same(path, folder) or os.path.normcase(path).startswith(os.path.normcase(folder.rstrip(os.sep) + os.sep))


def relative_to_project(path: str, root: os.PathLike | str) -> str:
    """`path` relative to the project root (posix), or its bare name when it lies outside.

    Judging a file by this, not by where the project happens to live, keeps a
    project stored under some `tests/` folder from being all test files.
    """
    for resolve in (os.path.abspath, os.path.realpath):  # the cheap spelling first; links only if need be
        full = resolve(path)
        top = _absolute_root(root, os.getcwd()) if resolve is os.path.abspath else resolve(root)
        if is_within(full, top) and not _same(full, top):
            return os.path.relpath(full, top).replace(os.sep, "/")
    return os.path.basename(path)


@lru_cache(maxsize=64)
def _absolute_root(root: os.PathLike | str, cwd: str) -> str:
    return os.path.abspath(root)


def is_project_test_file(path: str, root: os.PathLike | str) -> bool:
    return _is_project_test_file(os.fspath(path), os.fspath(root), os.getcwd())


@lru_cache(maxsize=1 << 16)
def _is_project_test_file(path: str, root: str, cwd: str) -> bool:
    """Asked for every file of a run, often twice: answered once per file (and working folder)."""
    return is_test_file(relative_to_project(path, root))


class Scope:
    """The files a run reports on: those named, and those below named folders (by real path)."""

    def __init__(self, named: Iterable[os.PathLike | str]):
        self.files: set[str] = set()
        self.folders: list[str] = []
        for given in named:
            real = os.path.realpath(given)
            if os.path.isdir(real):
                self.folders.append(real)
            else:
                self.files.add(os.path.normcase(real))

    def covers(self, path: str) -> bool:
        real = os.path.realpath(path)
        return os.path.normcase(real) in self.files or any(is_within(real, folder) for folder in self.folders)


def context_files(named: Iterable[os.PathLike | str], config: "Config", known: Iterable[str]) -> list[SourceFile]:
    """The rest of the project: every file discovered under the project root that is not in `known`
    (absolute or real paths of the files already read), when a named path lies inside that root.

    Display paths are those a run over the whole tree would show, so findings
    (and the handler notes that cite other files) read the same either way.
    """
    top = os.path.realpath(config.root)
    reals = [os.path.realpath(p) for p in named if str(p) != "-"]
    inside = [r for r in reals if is_within(r, top)]
    if not inside or any(_same(r, top) and os.path.isdir(r) for r in inside):
        return []  # nothing named in this project, or the whole project is named already
    known = {os.path.normcase(k) for k in known}
    files, _warnings = discover([Path(top)], config)  # problems far from the named paths are not the user's
    kept = []
    for file in files:
        if os.path.normcase(os.path.abspath(file.path)) in known:
            continue
        if os.path.isabs(file.display):
            file.display = display_path(file.path)
        kept.append(file)
    return kept


def reportable(config: "Config"):
    """Test files are indexed but reported only with `check-tests` (they run in no Lambda)."""
    if config.check_tests:
        return lambda path: True
    return lambda path: not is_project_test_file(path, config.root)
