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
import re
import stat
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Optional

import pathspec
from pathspec.patterns.gitignore.spec import GitIgnoreSpecPattern
from pathspec.util import normalize_file

from lambdalint.file_states import status_of
from lambdalint.findings import Language
from lambdalint.walk_cache import EXISTS, WalkCache, walk_key

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
# Non-source files that project-level rules read (SAM / CloudFormation templates,
# serverless.yml). Named on the command line (pre-commit passes them), they are
# read by those rules, so they are no reason for a warning.
PROJECT_FILE_NAMES = frozenset({"template.yaml", "template.yml", "serverless.yaml", "serverless.yml"})
TEST_DIRS = frozenset({"tests", "test", "__tests__", "__mocks__", "spec"})

# Other files a walk lists for the readers that want them (templates): `_Walker.others`.
OTHER_SUFFIXES = (".yaml", ".yml", ".json")

_Ignores = tuple  # of (base folder as an absolute string, _IgnoreFile)
# While `one_walk()` is active: (settings, folder given) -> what walking it found; see there.
_walks: Optional[dict] = None
_remembered: Optional[WalkCache] = None   # and walks of earlier runs, when the run has a cache
_NAMED_GROUP = re.compile(r"\(\?P<\w+>")


def language_for(path: str) -> Optional[Language]:
    """The language of a file by its suffix, or None for anything else."""
    return LANGUAGE_BY_SUFFIX.get(os.path.splitext(str(path))[1].lower())


def is_project_file(path: str) -> bool:
    return os.path.basename(str(path)).lower() in PROJECT_FILE_NAMES


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
        elif is_declaration(text) or is_project_file(text):
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


@contextmanager
def one_walk(remember_in: Optional[Path] = None):
    """Inside the block each folder is walked once: a run finds its sources, its project's other
    sources and its templates from the same walk (the ignore files are read and matched once).

    With `remember_in` (a cache folder) walks are also kept for later runs, and a walk of a tree that
    has not changed since is not made again (see `walk_cache`)."""
    global _walks, _remembered
    outer = (_walks, _remembered)
    _walks = {}
    _remembered = WalkCache(remember_in) if remember_in is not None else None
    try:
        yield
        if _remembered is not None:
            _remembered.store()
    finally:
        _walks, _remembered = outer


class _Walker:
    def __init__(self, config: "Config"):
        self.config = config
        self.root = os.path.realpath(config.root)
        self.exclude = _IgnoreFile(pathspec.GitIgnoreSpec.from_lines(p.removeprefix("./") for p in config.all_excludes))
        self.files: dict[str, SourceFile] = {}
        self.warnings: list[str] = []
        self.others: list[str] = []   # paths of the walked files with an `OTHER_SUFFIXES` suffix
        self.seen: Optional[list] = None  # (path, status, entries digest) of what a remembered walk rests on

    def walk(self, top: str) -> None:
        real_top = os.path.realpath(top)
        key = (self.root, self.config.respect_gitignore, tuple(self.config.all_excludes), real_top)
        found = _walks.get(key) if _walks is not None else None
        remembered = walk_key(*key) if found is None and _remembered is not None else None
        if remembered is not None:
            found = _remembered.get(remembered)
        if found is None:  # walk into fresh containers, so the result can be kept for the next walker
            kept = (self.files, self.warnings, self.others, self.seen)
            self.files, self.warnings, self.others = {}, [], []
            self.seen = [] if remembered is not None else None
            try:
                self._walk(top)
                found = (top, self.files, self.warnings, self.others)
                if remembered is not None:
                    _remembered.put(remembered, found, self.seen)
            finally:
                self.files, self.warnings, self.others, self.seen = kept
        if _walks is not None:
            _walks[key] = found
        walked, files, warnings, others = found
        prefix = display_path(top)
        prefix = "" if prefix == "." else prefix + "/"
        for real, file in files.items():
            if real not in self.files:
                if walked == top:
                    path, display = file.path, file.display
                else:  # the same folder, spelt another way: paths and display paths as this walk spells them
                    rel = os.path.relpath(file.path, walked)
                    path, display = Path(os.path.join(top, rel)), prefix + rel.replace(os.sep, "/")
                self.files[real] = SourceFile(path, display, file.language, file.explicit)
        self.warnings.extend(warnings)
        self.others.extend(others)

    def add(self, given: str, real: str, explicit: bool, display: Optional[str] = None) -> None:
        if real not in self.files:
            display = display_path(given) if display is None else display
            self.files[real] = SourceFile(Path(given), display, language_for(given), explicit)

    def _walk(self, top: str) -> None:
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
            self._saw(real)
            try:
                with os.scandir(real) as it:
                    entries = list(it)
            except OSError as exc:
                self.warnings.append(f"cannot read directory {display_path(given)}: {exc.strerror or exc}")
                continue
            if self.seen is not None:  # what the folder held, beside its status
                path, status, _ = self.seen[-1]
                self.seen[-1] = (path, status, _remembered.entries_digest(real, entries))
            names = {e.name for e in entries}
            if "pyvenv.cfg" in names and real != real_top:
                continue  # a virtualenv under any name
            if real != real_top and any(n.endswith((".dist-info", ".egg-info")) for n in names):
                continue  # installed third-party packages (a vendored Lambda layer, `pip install -t`)
            if self.config.respect_gitignore and ".gitignore" in names:
                self._saw(os.path.join(real, ".gitignore"))
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
                elif name.lower().endswith(OTHER_SUFFIXES) and _is_file(entry) and (
                        not self._skipped(child_rel, entry.path, ignores, False)):
                    self.others.append(entry.path)

    def _saw(self, path: str, existence: bool = False) -> None:
        """Note the status of a folder or ignore file before it is read, for a remembered walk (`existence`:
        only whether the path exists: a repository's `.git` changes with every commit)."""
        if self.seen is not None:
            status = (EXISTS if os.path.lexists(path) else None) if existence else status_of(path)
            self.seen.append((path, status, None))

    def _skipped(self, rel: str, real: str, ignores: _Ignores, is_dir: bool) -> bool:
        if self.exclude.check(rel):
            return True
        # The deepest .gitignore with a matching pattern decides (a nested
        # file may re-include with `!`, as git does).
        suffix = "/" if is_dir else ""
        for base, spec in reversed(ignores):
            include = spec.check(real[len(base) + 1:].replace(os.sep, "/") + suffix)
            if include is not None:
                return include
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
            self._saw(os.path.join(folder, ".git"), existence=True)  # `git init` above would change the rules
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
            self._saw(os.path.join(repo_top, ".git", "info", "exclude"))
            spec = _read_gitignore(os.path.join(repo_top, ".git", "info", "exclude"))
            if spec is not None:
                ignores.append((repo_top, spec))
        for folder in reversed(folders[1:]):  # the walked folder's own file is read by the walk
            self._saw(os.path.join(folder, ".gitignore"))
            spec = _read_gitignore(os.path.join(folder, ".gitignore"))
            if spec is not None:
                ignores.append((folder, spec))
        return tuple(ignores)


def _is_regular_file(path: str) -> bool:
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


def _is_file(entry: os.DirEntry) -> bool:
    """A regular file, or a link to one; False for a loop or a broken link."""
    try:
        return entry.is_file()
    except OSError:
        return False


def _links_to_folder(entry: os.DirEntry) -> bool:
    """A symlink to a folder (not followed); False for a loop or a broken link."""
    try:
        return entry.is_dir()
    except OSError:
        return False


def _read_gitignore(path: str) -> Optional["_IgnoreFile"]:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            text = handle.read()
    except OSError:
        return None
    return _compile_gitignore(text)


@lru_cache(maxsize=512)
def _compile_gitignore(text: str) -> Optional["_IgnoreFile"]:
    """Monorepos repeat the same ignore files (and lines) in hundreds of folders: each is compiled once."""
    spec = pathspec.GitIgnoreSpec.from_lines(text.splitlines(), _compile_pattern)
    return _IgnoreFile(spec) if any(p.include is not None for p in spec.patterns) else None


_compile_pattern = lru_cache(maxsize=8192)(GitIgnoreSpecPattern)


class _IgnoreFile:
    """A compiled ignore file that answers the common case, no pattern matches, with one regex match.

    pathspec tries every pattern in turn; once a file has been asked often enough
    to pay for it, all its patterns are joined into one alternation, and only a
    path that matches it is handed to pathspec, which decides (last match,
    negation, directory patterns) exactly as before.
    """

    __slots__ = ("spec", "_find", "_uses")
    _JOIN_AFTER = 32  # joining compiles every pattern again: worth it only for a busy file

    def __init__(self, spec: pathspec.GitIgnoreSpec):
        self.spec = spec
        self._find = None
        self._uses = 0

    def check(self, path: str) -> Optional[bool]:
        """True: ignored; False: re-included by a `!` pattern; None: no pattern matches."""
        if self._find is None:
            self._uses += 1
            if self._uses == self._JOIN_AFTER:
                self._find = _any_pattern(self.spec)
        elif self._find(normalize_file(path)) is None:
            return None
        return self.spec.check_file(path).include


def _any_pattern(spec: pathspec.GitIgnoreSpec):
    """A function that finds where any active pattern matches, or None when they cannot be joined."""
    active = [p for p in spec.patterns if p.include is not None]
    regexes = [getattr(p, "regex", None) for p in active]
    if not regexes or any(r is None or not isinstance(r.pattern, str) or "(?P=" in r.pattern for r in regexes):
        return None
    if len({r.flags for r in regexes}) != 1:
        return None
    sources = [r.pattern for r in regexes]
    try:
        joined = re.compile("|".join(f"(?:{_NAMED_GROUP.sub('(?:', s)})" for s in sources), regexes[0].flags)
    except re.error:
        return None
    # pathspec searches; when every pattern is anchored, a match at the start is the same answer, and cheaper.
    return joined.match if all(s.startswith("^") for s in sources) else joined.search
