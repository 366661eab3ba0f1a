"""Which files a run lints, and in which language.

Discovery runs on big monorepos, so it prunes excluded and gitignored folders
before descending, never follows symlinked folders (no cycles, no linting a
linked dependency twice), and works on plain strings until a file is kept.

A file named on the command line is always linted when its suffix is known
(a pre-commit hook or an editor asked for exactly that file), even if it is
excluded or gitignored; a folder named on the command line is walked even if
excluded, but what lies below it is filtered as usual.
"""
from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Optional

import pathspec

from lambdalint.model import Language

if TYPE_CHECKING:
    from lambdalint.config import Config

LANGUAGE_BY_SUFFIX = {
    ".py": Language.PYTHON, ".pyi": Language.PYTHON,
    ".js": Language.JAVASCRIPT, ".mjs": Language.JAVASCRIPT,
    ".cjs": Language.JAVASCRIPT, ".jsx": Language.JAVASCRIPT,
    ".ts": Language.TYPESCRIPT, ".mts": Language.TYPESCRIPT,
    ".cts": Language.TYPESCRIPT, ".tsx": Language.TYPESCRIPT,
}
# TypeScript declaration files hold types only: no code can leave work pending.
DECLARATION_SUFFIXES = (".d.ts", ".d.mts", ".d.cts")
VCS_DIRS = frozenset({".git", ".hg", ".svn"})
TEST_DIRS = frozenset({"tests", "test", "__tests__"})

_Ignores = tuple  # of (base folder as an absolute string, GitIgnoreSpec)


def language_for(path: str) -> Optional[Language]:
    """The language of a file by its suffix, or None for anything else."""
    return LANGUAGE_BY_SUFFIX.get(os.path.splitext(str(path))[1].lower())


def is_declaration(path: str) -> bool:
    return str(path).lower().endswith(DECLARATION_SUFFIXES)


def is_test_file(path: str) -> bool:
    """Test code: frameworks there return promises by design (`it`, `describe`)."""
    parts = str(path).replace("\\", "/").split("/")
    name = parts[-1]
    if ".test." in name or ".spec." in name or name == "conftest.py":
        return True
    if name.endswith(".py") and (name.startswith("test_") or name.endswith("_test.py")):
        return True
    return any(part in TEST_DIRS for part in parts[:-1])


def display_path(path: os.PathLike | str) -> str:
    """How a path is shown: posix and relative to the cwd when below it, else absolute."""
    absolute = os.path.abspath(path)
    cwd = os.getcwd()
    for candidate, base in ((absolute, cwd), (os.path.realpath(absolute), os.path.realpath(cwd))):
        rel = os.path.relpath(candidate, base) if _is_within(candidate, base) else None
        if rel is not None:
            return Path(rel).as_posix()
    return Path(absolute).as_posix()


def _is_within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


@dataclass
class SourceFile:
    path: Path          # as given on the command line, or as found below a given folder
    display: str        # see `display_path`
    language: Optional[Language]   # None only for a named non-file (a pipe, a loop), which is never read
    explicit: bool      # named on the command line


def discover(paths: list[Path], config: "Config") -> tuple[list[SourceFile], list[str]]:
    """The files to lint below `paths` (sorted by display path, each once) and warnings.

    `-` (stdin) is left to the caller. Warnings read "path does not exist: X",
    "skipping X: not a Python, JavaScript or TypeScript file" and
    "cannot read directory X: reason".
    """
    walker = _Walker(config)
    for given in paths:
        text = str(given)
        if text == "-":
            continue
        if not os.path.lexists(text):
            walker.warnings.append(f"path does not exist: {text}")
        elif os.path.isdir(text):
            walker.walk(text)
        elif is_declaration(text):
            continue
        elif language_for(text) is None and _is_regular_file(text):
            walker.warnings.append(f"skipping {text}: not a Python, JavaScript or TypeScript file")
        elif language_for(text) is None:
            # A pipe (`<(...)`), device, loop or broken link named on purpose: an E902 says why it
            # was not read; the language is never needed because nothing is read.
            walker.add(text, os.path.realpath(text), explicit=True)
        else:
            walker.add(text, os.path.realpath(text), explicit=True)
    files = sorted(walker.files.values(), key=lambda f: f.display)
    return files, walker.warnings


class _Walker:
    def __init__(self, config: "Config"):
        self.config = config
        self.root = os.path.realpath(config.root)
        self.exclude = pathspec.GitIgnoreSpec.from_lines(p.removeprefix("./") for p in config.all_excludes)
        self.files: dict[str, SourceFile] = {}
        self.warnings: list[str] = []

    def add(self, given: str, real: str, explicit: bool, display: Optional[str] = None) -> None:
        if real not in self.files:
            display = display_path(given) if display is None else display
            self.files[real] = SourceFile(Path(given), display, language_for(given), explicit)

    def walk(self, top: str) -> None:
        real_top = os.path.realpath(top)
        # Exclude patterns are relative to the config root; a folder outside it
        # is matched relative to itself.
        if _is_within(real_top, self.root):
            rel_top = os.path.relpath(real_top, self.root).replace(os.sep, "/")
            rel_top = "" if rel_top == "." else rel_top
        else:
            rel_top = ""
        ignores = self._inherited_gitignores(real_top)
        if rel_top and self._skipped(rel_top + "/", real_top, ignores, True):
            # Named explicitly but excluded or ignored itself: patterns that
            # hide the folder would hide everything in it, so walk it as if
            # it were the root.
            rel_top, ignores = "", ()
        # Display paths are built by joining names onto the top's: computing
        # each one from scratch (realpath, relpath) would dominate the walk.
        top_display = display_path(top)
        stack = [(top, "" if top_display == "." else top_display + "/", real_top, rel_top, ignores)]
        while stack:
            given, display, real, rel, ignores = stack.pop()
            try:
                with os.scandir(real) as it:
                    entries = list(it)
            except OSError as exc:
                self.warnings.append(f"cannot read directory {display_path(given)}: {exc.strerror or exc}")
                continue
            names = {e.name for e in entries}
            if "pyvenv.cfg" in names and real != real_top:
                continue  # a virtualenv under any name
            if real != real_top and any(n.endswith((".dist-info", ".egg-info")) for n in names):
                continue  # installed third-party packages (a vendored Lambda layer, `pip install -t`)
            if self.config.respect_gitignore and ".gitignore" in names:
                spec = _read_gitignore(os.path.join(real, ".gitignore"))
                if spec is not None:
                    ignores = ignores + ((real, spec),)
            for entry in entries:
                name = entry.name
                child_rel = f"{rel}/{name}" if rel else name
                if entry.is_dir(follow_symlinks=False):
                    if name in VCS_DIRS or self._skipped(child_rel + "/", entry.path, ignores, True):
                        continue
                    stack.append((os.path.join(given, name), display + name + "/", entry.path, child_rel, ignores))
                elif (language_for(name) is not None and not is_declaration(name) and not _links_to_folder(entry)
                      and not self._skipped(child_rel, entry.path, ignores, False)):
                    # Anything else with a source suffix is kept, even a named pipe or a symlink loop:
                    # reading it (never blocking) turns it into an E902 that says why it was not checked.
                    real_file = os.path.realpath(entry.path) if entry.is_symlink() else entry.path
                    self.add(os.path.join(given, name), real_file, explicit=False, display=display + name)

    def _skipped(self, rel: str, real: str, ignores: _Ignores, is_dir: bool) -> bool:
        if self.exclude.match_file(rel):
            return True
        # The deepest .gitignore with a matching pattern decides (a nested
        # file may re-include with `!`, as git does).
        suffix = "/" if is_dir else ""
        for base, spec in reversed(ignores):
            result = spec.check_file(real[len(base) + 1:].replace(os.sep, "/") + suffix)
            if result.include is not None:
                return result.include
        return False

    def _inherited_gitignores(self, real_top: str) -> _Ignores:
        """Ignore files above a walked folder that still govern it.

        Git reads every .gitignore from the repository top down, plus
        `.git/info/exclude`. Outside a repository we read up to the config
        root, so a stray ignore file far above the project cannot hide it.
        """
        if not self.config.respect_gitignore:
            return ()
        folders = []
        folder = real_top
        repo_top = None
        while True:
            folders.append(folder)
            if os.path.exists(os.path.join(folder, ".git")):
                repo_top = folder
                break
            parent = os.path.dirname(folder)
            if parent == folder:
                break
            folder = parent
        if repo_top is None:
            folders = [f for f in folders if _is_within(f, self.root)] or [real_top]
        ignores = []
        if repo_top is not None:
            spec = _read_gitignore(os.path.join(repo_top, ".git", "info", "exclude"))
            if spec is not None:
                ignores.append((repo_top, spec))
        for folder in reversed(folders[1:]):  # the walked folder's own file is read by the walk
            spec = _read_gitignore(os.path.join(folder, ".gitignore"))
            if spec is not None:
                ignores.append((folder, spec))
        return tuple(ignores)


def _is_regular_file(path: str) -> bool:
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


def _links_to_folder(entry: os.DirEntry) -> bool:
    """A symlink to a folder (not followed); False for a loop or a broken link."""
    try:
        return entry.is_dir()
    except OSError:
        return False


def _read_gitignore(path: str) -> Optional[pathspec.GitIgnoreSpec]:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return None
    spec = pathspec.GitIgnoreSpec.from_lines(lines)
    return spec if any(p.include is not None for p in spec.patterns) else None
