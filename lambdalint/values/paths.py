"""Paths computed from the analysed file's own location: `path.join(__dirname, '../src/x.ts')`,
`os.path.join(os.path.dirname(__file__), "lambda")` — what CDK apps pass as `entry` and `code`.

Which names are locations and which calls are path functions is data (categories `path_location` and
`path_function`); a result that depends on the working directory at run time is UNKNOWN.
"""
from __future__ import annotations

import os
import posixpath
from typing import Optional

from lambdalint.model import Call, FileModel
from lambdalint.values.results import UNKNOWN, ExternalValue, PathValue, Resolved


def own_location(index, model: FileModel, qualified: str) -> Optional[PathValue]:
    """The file's own path or folder when `qualified` names it (`global:__dirname`, `__file__`)."""
    location = index.catalog.categories.first("path_location", model.language.is_js, qualified)
    if location is None or location.get("kind") == "url":
        return None
    own = model.path.replace(os.sep, "/")
    return PathValue(own if location.get("kind") == "file" else posixpath.dirname(own) or ".")


def path_function(resolver, model: FileModel, call: Call, op: str) -> Resolved:
    """`path.join(__dirname, 'src')` and the like, with every segment known; never a result that depends on
    the working directory (`path.resolve('src')`, `os.path.abspath('src')`)."""
    segments = []
    for arg in call.args:
        if arg.spread or arg.keyword is not None:
            return UNKNOWN
        segment = resolver.resolve_like(model, call.function, arg)
        if op == "from_file_url" and isinstance(segment, ExternalValue):
            location = resolver.index.catalog.categories.first("path_location", True, segment.qualified)
            if location is not None and location.get("kind") == "url":
                segment = PathValue(model.path.replace(os.sep, "/"))
        if not isinstance(segment, (str, PathValue)):
            return UNKNOWN
        segments.append(segment)
    if not segments:
        return UNKNOWN
    if op == "resolve":
        anchors = [i for i, s in enumerate(segments) if isinstance(s, PathValue)]
        if not anchors or any(isinstance(s, str) and s.startswith("/") for s in segments):
            return UNKNOWN                  # relative to the working directory at run time: not known
        segments = segments[anchors[-1]:]
    elif op == "from_file_url":
        return segments[0] if len(segments) == 1 and isinstance(segments[0], PathValue) else UNKNOWN
    elif op == "dirname" or op == "normalize" or op == "absolute":
        if len(segments) != 1:
            return UNKNOWN
        if op == "absolute" and isinstance(segments[0], str) and not segments[0].startswith("/"):
            return UNKNOWN                  # relative to the working directory at run time
    elif not model.language.is_js:
        # Python's join restarts at an absolute segment; Node's join does not.
        restart = [i for i, s in enumerate(segments) if isinstance(s, str) and s.startswith("/")]
        if restart:
            segments = segments[restart[-1]:]
    texts = [s.path if isinstance(s, PathValue) else s for s in segments]
    if any(isinstance(s, PathValue) for s in segments[1:]):
        return UNKNOWN                      # a location in the middle of a join is not a path we can know
    if op == "dirname":
        result = posixpath.dirname(texts[0]) or "."
    else:
        result = posixpath.normpath("/".join(t for t in texts if t) or ".")
    return PathValue(result) if isinstance(segments[0], PathValue) else result
