"""The findings cache: a run over a project nothing in which changed costs little more than hashing it.

A run's findings depend on the sources of every file of the project (the
index reads them all), the templates, the settings, lambdalint's own code and
the few other facts of the file system its readers looked at (`observe`). The
*state* digest covers the first four; the last are stored with the entry as
questions and answers and asked again before the entry is used. A run is
stored under two states: one over the files' texts, looked up first (without
reading a file whose status did not change, see `file_states`), and one over
their facts (what the index and the rules read of a file: its model), which
answers an edit that changed no model (comments, layout at the end of a
file). When all agree the stored findings are the findings this run would
produce:

- the same invocation gets the stored result whole;
- a run naming only files (the pre-commit and editor case) gets the stored
  findings of those files, when the stored run reported them: a file is judged
  with its whole project, so its findings do not depend on what else was named.

Like the model cache an entry is JSON decoded into plain records, verified on
load and ignored when anything does not match; nothing in it is ever run.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import sys
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Optional

from lambdalint import __version__, codec, observe
from lambdalint.cache_files import add_parser_versions, read_entry, store_json, unlink
from lambdalint.findings import Finding, Notification

if TYPE_CHECKING:
    from lambdalint.config import Config

FORMAT = "lambdalint-findings/1"
FOLDER = "runs"            # beside the model cache's build folders, in the same cache folder
KEEP_ENTRIES = 32          # the most recently used states kept per build
_SUFFIX = ".json"


@lru_cache(maxsize=1)
def package_digest() -> str:
    """A digest of all of lambdalint's code and data (rules and catalogues decide findings too)."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256(f"{FORMAT}\0{__version__}\0{sys.version_info[:2]}".encode())
    add_parser_versions(digest)
    for path in sorted(p for p in package.rglob("*") if p.suffix in (".py", ".toml", ".json") and p.is_file()):
        digest.update(f"\0{path.relative_to(package).as_posix()}\0".encode())
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"?")
    return digest.hexdigest()


# Settings that change how a run is shown or run, never what it finds.
_PRESENTATION = frozenset({"format", "exit_zero", "cache", "jobs", "warnings"})


def settings_digest(config: "Config") -> str:
    fields = {f.name: getattr(config, f.name) for f in dataclasses.fields(config) if f.name not in _PRESENTATION}
    return hashlib.sha256(json.dumps(fields, sort_keys=True, default=repr).encode()).hexdigest()


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def state_digest(config: "Config", files: list[tuple[str, str, str]], unreadable: list[str],
                 templates: list[str], basis: str = "text") -> str:
    """The digest of everything a run's findings rest on but the observed facts.

    `files`: (display, language, digest) of every file read (named or not): the digest of its text, or
    with `basis="facts"` of what a run learns from it (`ModelCache.put`); `unreadable`: the E902
    messages; `templates`: the templates' absolute paths.
    """
    digest = hashlib.sha256(basis.encode() + b"\0")
    for part in (package_digest(), settings_digest(config), os.getcwd()):
        digest.update(part.encode("utf-8", "surrogateescape") + b"\0")
    for row in sorted(files):
        digest.update("\0".join(row).encode("utf-8", "surrogateescape") + b"\1")
    for message in sorted(unreadable):
        digest.update(message.encode("utf-8", "surrogateescape") + b"\2")
    for template in templates:
        digest.update(f"{template}\0{observe.file_digest(template) or '-'}\3".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


@dataclasses.dataclass
class StoredRun:
    """What a run reported, with what it must still be true for (see the module's docstring)."""

    invocation: list[str]
    reported: list[str]                 # display paths of the files the run reported on
    files_checked: int
    findings: list[Finding]
    notifications: list[Notification]
    durable_functions: list[list]       # [path, line, name, kind] of every durable function of the project
    warnings: list[str]                 # the run's own warnings (not discovery's, which are made anew)
    observations: list[list]            # [kind, path, answer]: see `observe`


_encode_findings = codec.encoder(list[Finding])
_decode_findings = codec.decoder(list[Finding])
_encode_notes = codec.encoder(list[Notification])
_decode_notes = codec.decoder(list[Notification])


class RunCache:
    def __init__(self, top: Path, state: str):
        self.folder = top / FOLDER
        self.state = state
        self.path = self.folder / (state + _SUFFIX)

    def load(self) -> Optional[StoredRun]:
        data = read_entry(self.path)
        if data is None:
            return None
        try:
            entry = json.loads(data)
            if type(entry) is not dict or entry.get("format") != FORMAT or entry.get("state") != self.state:
                return None
            stored = StoredRun(
                invocation=_strings(entry["invocation"]), reported=_strings(entry["reported"]),
                files_checked=int(entry["files_checked"]), findings=_decode_findings(entry["findings"]),
                notifications=_decode_notes(entry["notifications"]),
                durable_functions=_rows(entry["durable_functions"], (str, int, str, str)),
                warnings=_strings(entry["warnings"]), observations=_observations(entry["observations"]))
        except Exception:  # anything that does not decode is as good as absent
            return None
        if not observe.still_true(stored.observations):
            return None
        try:
            os.utime(self.path)
        except OSError:
            pass
        return stored

    def store(self, run: StoredRun) -> None:
        """Keep `run` unless the stored entry already covers more of the project."""
        current = self.load()
        if current is not None and current.invocation != run.invocation and not (
                set(run.reported) >= set(current.reported)):
            return
        try:
            entry = {
                "format": FORMAT, "state": self.state, "invocation": run.invocation, "reported": run.reported,
                "files_checked": run.files_checked, "findings": _encode_findings(run.findings),
                "notifications": _encode_notes(run.notifications), "durable_functions": run.durable_functions,
                "warnings": run.warnings, "observations": run.observations,
            }
        except (TypeError, ValueError, codec.EncodeError):
            return
        if store_json(self.path, entry):
            try:
                self._prune()
            except OSError:
                pass

    def _prune(self) -> None:
        entries = []
        with os.scandir(self.folder) as found:
            for entry in found:
                if entry.name.endswith(_SUFFIX) and entry.is_file(follow_symlinks=False):
                    entries.append((entry.stat(follow_symlinks=False).st_mtime, entry.path))
        entries.sort(reverse=True)
        for _mtime, path in entries[KEEP_ENTRIES:]:
            unlink(Path(path))



def _strings(value) -> list[str]:
    if type(value) is not list or not all(type(v) is str for v in value):
        raise ValueError("not a list of strings")
    return value


def _rows(value, shape: tuple) -> list[list]:
    if type(value) is not list:
        raise ValueError("not a list")
    for row in value:
        if type(row) is not list or len(row) != len(shape) or not all(type(v) is t for v, t in zip(row, shape)):
            raise ValueError("not a row")
    return value


def _observations(value) -> list[list]:
    if type(value) is not list:
        raise ValueError("not a list")
    for row in value:
        if type(row) is not list or len(row) != 3 or type(row[0]) is not str or type(row[1]) is not str:
            raise ValueError("not an observation")
    return value
