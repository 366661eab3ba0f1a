"""What every rule is: an id, a name, a severity, and one question asked of the model."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar, Iterator, Optional

from lambdalint.messages import fit_message
from lambdalint.model import FileModel, Finding, Fix, Language, Severity, Span

if TYPE_CHECKING:
    from pathlib import Path

    from lambdalint.config import Config
    from lambdalint.index import ProjectIndex

ALL_LANGUAGES = frozenset(Language)
PYTHON_ONLY = frozenset({Language.PYTHON})
JS_ONLY = frozenset({Language.JAVASCRIPT, Language.TYPESCRIPT})
_MISSING = object()


@dataclass
class Context:
    """What a rule may read besides the file: the project index and the configuration."""

    file: FileModel
    index: "ProjectIndex"
    config: "Config"
    _settlement: object = field(default=None, repr=False)
    _shared: dict = field(default_factory=dict, repr=False)

    def shared(self, key, build):
        """`build()` once per file and key: a fact several rules ask of the same file."""
        found = self._shared.get(key, _MISSING)
        if found is _MISSING:
            found = self._shared[key] = build()
        return found

    @property
    def settlement(self):
        """The file's "settled in time" analysis, shared by the rules that need it."""
        if self._settlement is None:
            from lambdalint.settle import Settlement

            self._settlement = Settlement(
                self.file,
                self.index.catalog,
                allow_void=self.config.allow_void,
                imported_names=self.index.imported_from(self.file.path),
                scoping=self.index.scopes(self.file.path).scoping,
            )
        return self._settlement

    @property
    def structure(self):
        """Control-structure queries over this file (regions, handlers, paths): `lambdalint.structure`."""
        from lambdalint.structure import structure_of

        return structure_of(self.file)

    def in_scope(self, fid: Optional[int], kind) -> bool:
        """Whether work of `kind` started in `fid` can be lost to the freeze.

        A coroutine that is never awaited never runs, wherever it is, and functions
        in test files are always checked. Other work is judged only in code that runs inside an
        invocation (see
        `ProjectIndex.in_lambda_scope`), and JS promises not at all under a Node
        callback-style handler, whose runtime waits for the event loop to drain.
        """
        from lambdalint.index import AsyncKind

        if kind is AsyncKind.COROUTINE or (self.file.is_test and fid is not None):
            return True  # test code gets the ordinary rules (SPEC §1); a test module's top level is no init code
        if not self.index.in_lambda_scope(self.file.path, fid):
            return False
        handler = self.index.handler_for(self.file.path, fid)
        return not (handler and handler.waits_for_event_loop and kind is AsyncKind.PROMISE)

    def handler_note(self, fid: Optional[int]) -> str:
        """"; handler `api.handler` (api.ts:12) returns first" when a handler reaches `fid`, else ""."""
        handler = self.index.handler_for(self.file.path, fid)
        if handler is None:
            return ""
        return f"; handler {handler.short_display} returns first"

    def handler_name(self, fid: Optional[int]) -> Optional[str]:
        handler = self.index.handler_for(self.file.path, fid)
        return handler.name if handler else None


class Rule:
    """Base class of per-file rules. Subclasses set the class attributes and implement `check`.

    The class docstring's first line is the rule's one-line summary; the rule's
    page in `rules/<id>-<name>.md` is its full documentation.
    """

    id: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity]
    languages: ClassVar[frozenset] = ALL_LANGUAGES

    @classmethod
    def summary(cls) -> str:
        return (cls.__doc__ or "").strip().splitlines()[0]

    def check(self, ctx: Context) -> Iterator[Finding]:
        raise NotImplementedError

    def finding(
        self,
        ctx: Context,
        span: Span,
        message: str,
        *,
        handler: Optional[str] = None,
        severity: Optional[Severity] = None,
        fix: Optional[Fix] = None,
    ) -> Finding:
        return Finding(
            code=self.id,
            message=fit_message(message),
            severity=severity or self.severity,
            path=ctx.file.path,
            span=span,
            handler=handler,
            fix=fix,
        )


@dataclass
class ProjectContext:
    """What a project-level rule reads: every file model, the index, the configuration and the project root.

    Project rules see files that are not source code (templates, wrapper
    scripts, manifests); `read_text` reads one as text, never executes it.
    """

    root: "Path"
    models: dict[str, FileModel]
    index: "ProjectIndex"
    config: "Config"

    def read_text(self, path: "Path") -> Optional[str]:
        from lambdalint.listing import read_source

        from lambdalint import observe

        text = read_source(path, str(path))
        observe.note_source(path, text)
        return text if isinstance(text, str) else None


class ProjectRule(Rule):
    """A rule asked once per run about the whole project (IaC, cross-file facts).

    Its findings may point into any file, source or not; `check` per file is unused.
    """

    def check(self, ctx: Context) -> Iterator[Finding]:
        return iter(())

    def check_project(self, ctx: ProjectContext) -> Iterator[Finding]:
        raise NotImplementedError

    def finding_at(
        self,
        path: str,
        span: Span,
        message: str,
        *,
        handler: Optional[str] = None,
        severity: Optional[Severity] = None,
    ) -> Finding:
        return Finding(code=self.id, message=fit_message(message), severity=severity or self.severity, path=path,
                       span=span, handler=handler)
