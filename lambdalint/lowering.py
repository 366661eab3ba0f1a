"""Every file's model: from the model cache when it holds one, else lowered, in parallel where that pays.

In two steps, so that a run can stop between them: `lower_new` lowers the
files the cache lacks (an edited file) and learns every file's *facts
digest* — the digest of what a run can learn from the file, read from the
cache entry's header without decoding the model; `models` then decodes the
rest. When the facts of every file are those of a stored run (an edit that
changed only comments or formatting, a branch switched back), the engine
answers from that run and no model is ever decoded.
"""
from __future__ import annotations

import gc
from typing import Optional

from lambdalint import file_lowering
from lambdalint.cache import ModelCache
from lambdalint.file_lowering import Input, Outcome, Unreadable
from lambdalint.findings import Finding
from lambdalint.model import FileModel
from lambdalint.parallel_lowering import lower_many
from lambdalint.result import RunProblems
from lambdalint.run_cache import text_digest


class Lowering:
    """The models of `inputs`; see the module's docstring."""

    def __init__(self, inputs: list[Input], cache: Optional[ModelCache], jobs: int):
        self.inputs = inputs
        self.cache = cache
        self.jobs = jobs
        self._outcomes: list[Optional[Outcome]] = [None] * len(inputs)
        self._facts: list[Optional[str]] = [None] * len(inputs)  # see `facts_digest`
        self._looked_up = False
        self._resume_collector = False

    def lower_new(self) -> None:
        """Lower (and cache) the files the cache has no model of."""
        todo = []
        for i, (display, language, source) in enumerate(self.inputs):
            facts = self.cache.facts(display, language, source) if self.cache else None
            if facts is not None:
                self._facts[i] = facts
            else:
                todo.append(i)
        self._looked_up = True
        self._pause_collector()
        shipped: dict[int, tuple[bytes, str]] = {}
        lower_many(self.inputs, todo, self._outcomes, shipped, self.jobs, facts=self.cache is not None)
        for i in todo:
            self._note(i, shipped.get(i))

    def facts_rows(self) -> Optional[list[tuple[str, str, str]]]:
        """(display, language, facts digest) of every input; None when a file has none (a front-end
        failure, an entry that could not be written)."""
        if not self._looked_up:
            self.lower_new()
        rows = []
        for (display, language, _source), facts in zip(self.inputs, self._facts):
            if facts is None:
                return None
            rows.append((display, language.value, facts))
        return rows

    def models(self, problems: RunProblems) -> tuple[list[FileModel], list[Finding]]:
        """Every model (decoded now from the cache where `lower_new` did not lower it) and the E901 of the
        files that have none; front-end failures go to `problems`."""
        if not self._looked_up:
            self.lower_new()
        self._pause_collector()
        for i, (display, language, source) in enumerate(self.inputs):
            if self._outcomes[i] is None:
                model = self.cache.get(display, language, source) if self.cache else None
                if model is None:  # the entry went away or does not decode
                    self._outcomes[i] = file_lowering.lower_one(display, language, source)
                    self._note(i)
                else:
                    self._outcomes[i] = model
        self.release()
        models, failed = [], []
        for outcome in self._outcomes:
            if isinstance(outcome, FileModel):
                models.append(outcome)
            elif isinstance(outcome, Unreadable):
                failed.append(outcome.finding)
            else:
                problems.internal_errors.append(outcome)
        return models, failed

    def release(self) -> None:
        """The collector as it was, once the models are all made.

        It is paused from the first file lowered on: the models hold no cycles worth collecting, and
        libcst's many short-lived nodes make collections frequent and slow. The models live for the whole
        run, so they are frozen: with collection paused they all sit in the youngest generation, and the
        next collections would walk them three times over. `engine.run` unfreezes them at the end.
        """
        if self._resume_collector:
            gc.freeze()
            gc.enable()
            self._resume_collector = False

    def _pause_collector(self) -> None:
        if gc.isenabled():
            gc.disable()
            self._resume_collector = True

    def _note(self, i: int, encoded: Optional[tuple[bytes, str]] = None) -> None:
        """Cache what lowering file `i` gave (`encoded` when a worker lowered it), and its facts digest."""
        outcome = self._outcomes[i]
        display, language, source = self.inputs[i]
        if isinstance(outcome, FileModel):
            if self.cache is None:
                return  # (facts are asked of cached runs only)
            if encoded is None:
                encoded = file_lowering.encode(outcome, source)
            if encoded is not None:
                body, self._facts[i] = encoded
                self.cache.put(display, language, source, body, self._facts[i])
        elif isinstance(outcome, Unreadable):
            self._facts[i] = text_digest("unparsable\0" + source)
