"""AWS CDK apps (TS/JS/Python) read statically: Lambda constructs whose props are literals.

`lambda.Function` (`handler`, `runtime`, `code: Code.fromAsset(dir)`),
`NodejsFunction` (`entry`, default `<defining file>.<id>.ts|js`; `handler`,
default `handler`; built by esbuild), `PythonFunction` (`entry` folder,
`index` default `index.py`, `handler` default `handler`). Props are evaluated
by the value resolver (`lambdalint.values`): literals, constants, props objects
held in variables or imported, `path.join(__dirname, …)`. A relative asset
path is relative to the CDK app (the folder of `cdk.json`), as `cdk synth`
runs there. Anything computed is unknown. Construct and helper names are
catalogue data (`catalog/categories/cdk.toml`). The environment counts as
known only when `cdk_environment` proves no code adds to it.
"""
from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING, Optional

from lambdalint import values as V
from lambdalint.iac.cdk_environment import AppChanges, environment_keys
from lambdalint.iac.cdk_imports import reads_source_text
from lambdalint.iac.literals import ObjectLiteral
from lambdalint.iac.records import IacFunction, Located
from lambdalint.model import Call, FileModel, Language, Span
from lambdalint import observe

if TYPE_CHECKING:
    from lambdalint.index import ProjectIndex

_RUNTIME = re.compile(r"Runtime\.([A-Z0-9_]+)$")
_DEFAULT_ENTRY_EXTENSIONS = (".ts", ".js", ".mjs", ".mts", ".cts", ".cjs")


def runtime_name(member: str) -> Optional[str]:
    """`NODEJS_24_X` -> nodejs24.x, `PYTHON_3_12` -> python3.12, `PROVIDED_AL2023` -> provided.al2023."""
    match = re.match(r"^NODEJS_(\d+)_X$", member)
    if match:
        return f"nodejs{match[1]}.x"
    match = re.match(r"^PYTHON_(\d+)_(\d+)$", member)
    if match:
        return f"python{match[1]}.{match[2]}"
    if member.startswith("PROVIDED"):
        return "provided" + ("." + member.split("_", 1)[1].lower() if "_" in member else "")
    if member.startswith(("JAVA", "DOTNET", "RUBY", "GO")):
        return member.lower()
    return None


def read_cdk(index: "ProjectIndex", sources: dict[str, str]) -> list[IacFunction]:
    out = []
    changes = AppChanges(index)
    for path, model in index.files.items():
        if model.is_test or not reads_source_text(model):
            continue
        reader = _FileReader(index, model, sources.get(path), changes)
        for call in model.calls:
            entry = index.api(model, call, "cdk_lambda_function")
            if entry is not None:
                fn = reader.function(call, str(entry.get("kind", "function")))
                if fn is not None:
                    out.append(fn)
    return out


def _app_dir(file_dir: str) -> Optional[str]:
    folder = file_dir
    for _ in range(12):
        if observe.isfile(os.path.join(folder, "cdk.json")):
            return folder
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        folder = parent
    return None


def _offset(lines: list[int], line: int, column: int) -> int:
    return lines[line - 1] + column - 1 if 0 < line <= len(lines) else 0


def _span_at(text: str, offset: int, length: int) -> Span:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return Span(line, column, line, column + max(length, 1))


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", lambda m: "_" + m[1].lower(), name)


class _FileReader:
    def __init__(self, index: "ProjectIndex", model: FileModel, text: Optional[str], changes: AppChanges):
        self.index, self.model, self.text, self.changes = index, model, text, changes
        self.lines = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"] if text else []
        self.file = os.path.abspath(model.path)
        self.file_dir = os.path.dirname(self.file)
        self.app_dir = _app_dir(self.file_dir)
        self.python = model.language is Language.PYTHON

    # ------------------------------------------------------------ construct
    def function(self, call: Call, kind: str) -> Optional[IacFunction]:
        construct_id = V.as_string(V.call_argument(self.index, self.model, call, position=1))
        if construct_id is None:
            return None
        fn = IacFunction("cdk", self.model.path, construct_id, call.span)
        if kind == "image":
            fn.image = True
            return fn
        props = _Props(self, call)
        if props.unknown:
            return None  # props not known here: nothing to judge
        runtime = props.value("runtime")
        if runtime is not V.ABSENT:
            qualified = runtime.qualified if isinstance(runtime, V.ExternalValue) else ""
            member = _RUNTIME.search(qualified)
            name = runtime_name(member[1]) if member else None
            fn.runtime = Located(name, self.model.path, props.span("runtime")) if name else None
            fn.runtime_unknown = fn.runtime is None
        elif not props.complete:
            fn.runtime_unknown = True
        self._environment(fn, props)
        if not fn.environment_unknown and (self.changes.unknown(self.app_dir) or environment_keys(
                self.index, self.model, call, self.python) is None):
            fn.environment_unknown = True  # code may add variables later, or the set is not written out
        fn.layers_unknown = True  # `layers` are constructs, and `addLayers()` may add more later
        fn.durable = props.value("durableConfig") not in (V.ABSENT, None)
        function_name = V.as_string(props.value("functionName"))
        if function_name:
            fn.function_name = Located(function_name, self.model.path, props.span("functionName"))
        if kind == "function":
            return self._plain(fn, props)
        handler = props.value("handler")
        if handler is V.ABSENT:
            fn.export = "handler"
        else:
            fn.export = V.as_string(handler)
            if fn.export is None:
                return None
            fn.handler = Located(fn.export, self.model.path, props.span("handler"))
        if kind == "nodejs":
            return self._nodejs(fn, props, construct_id)
        return self._python(fn, props)

    def _plain(self, fn: IacFunction, props: "_Props") -> IacFunction:
        handler = V.as_string(props.value("handler"))
        fn.handler = Located(handler, self.model.path, props.span("handler")) if handler else None
        fn.handler_unknown = fn.handler is None
        code = props.value("code")
        if isinstance(code, V.CallValue):
            model, call = V.call_of(self.index, code)
            entry = self.index.api(model, call, "cdk_code")
            kind = entry.get("kind") if entry is not None else None
            if kind == "inline":
                fn.inline = True
            elif kind == "asset":
                where = V.call_argument(self.index, model, call, position=0)
                if where is V.ABSENT and self.python:
                    where = V.call_argument(self.index, model, call, keyword="path")
                fn.code_root = self._path(where)
        return fn

    def _nodejs(self, fn: IacFunction, props: "_Props", construct_id: str) -> Optional[IacFunction]:
        fn.build = "esbuild"
        entry = props.value("entry")
        if entry is V.ABSENT:
            stem = os.path.splitext(self.file)[0]
            candidates = [f"{stem}.{construct_id}{ext}" for ext in _DEFAULT_ENTRY_EXTENSIONS]
            fn.entry = next((c for c in candidates if observe.isfile(c)), candidates[0])
            fn.entry_located = Located(os.path.basename(candidates[0]), self.model.path, fn.span)
            return fn
        fn.entry = self._path(entry)
        if fn.entry is None:
            return None
        fn.entry_located = Located(self._shown(fn.entry), self.model.path, props.span("entry"))
        return fn

    def _python(self, fn: IacFunction, props: "_Props") -> Optional[IacFunction]:
        folder = self._path(props.value("entry"))
        index = props.value("index")
        index_name = "index.py" if index is V.ABSENT else V.as_string(index)
        if folder is None or index_name is None:
            return None
        fn.entry = os.path.normpath(os.path.join(folder, index_name))
        fn.code_root = folder
        fn.entry_located = Located(self._shown(fn.entry), self.model.path,
                                   props.span("index" if index is not V.ABSENT else "entry"))
        if fn.runtime is None:
            fn.runtime_unknown = True
        return fn

    def _environment(self, fn: IacFunction, props: "_Props") -> None:
        env = props.value("environment")
        if env is V.ABSENT:
            return
        if not isinstance(env, V.ObjectValue):
            fn.environment_unknown = True
            return
        fn.environment_unknown = env.unknown_keys
        spans = props.nested_spans("environment")
        for key, value in env.entries.items():
            written = V.as_string(value)
            fn.environment[key] = (Located(written, self.model.path, spans.get(key, props.span("environment")))
                                   if written is not None else None)

    # ---------------------------------------------------------------- paths
    def _path(self, value) -> Optional[str]:
        """An absolute path from a resolved path expression, or None."""
        if isinstance(value, V.PathValue):  # `path.join(__dirname, …)`, evaluated by the value resolver
            return os.path.normpath(os.path.abspath(value.path))
        literal = V.as_string(value)
        if literal is not None:
            if os.path.isabs(literal):
                return None
            return os.path.normpath(os.path.join(self.app_dir, literal)) if self.app_dir else None
        parts = self._path_parts(value, 0)
        if parts is None:
            return None
        joined, absolute = parts
        if not absolute:
            if not self.app_dir:
                return None
            joined = os.path.join(self.app_dir, joined)
        return os.path.normpath(joined)

    def _path_parts(self, value, depth: int) -> Optional[tuple[str, bool]]:
        """(path, anchored at this file's folder) for `__dirname`, `path.join(…)`, `os.path.dirname(__file__)`…"""
        if depth > 6:
            return None
        if isinstance(value, V.PathValue):
            return os.path.abspath(value.path), True
        literal = V.as_string(value)
        if literal is not None:
            return literal, os.path.isabs(literal)
        categories, is_js = self.index.catalog.categories, not self.python
        if isinstance(value, V.ExternalValue):
            if categories.first("module_dir", is_js, value.qualified):
                return self.file_dir, True
            if categories.first("module_file", is_js, value.qualified):
                return self.file, True
            return None
        if not isinstance(value, V.CallValue):
            return None
        model, call = V.call_of(self.index, value)
        args = [V.call_argument(self.index, model, call, position=i) for i in range(len(call.args))]
        for name in ("path_join", "path_resolve", "path_dirname", "path_absolute"):
            if self.index.api(model, call, name) is not None:
                break
        else:
            return None
        pieces = [self._path_parts(a, depth + 1) for a in args]
        if not pieces or any(p is None for p in pieces):
            return None
        if name == "path_dirname":
            return os.path.dirname(pieces[0][0]), pieces[0][1]
        if name == "path_absolute":
            return pieces[0]
        if name == "path_resolve":
            joined = os.path.join(*[p for p, _ in pieces])  # a later absolute segment starts over
            return joined, os.path.isabs(joined)
        joined = "/".join(p for p, _ in pieces) if not self.python else os.path.join(*[p for p, _ in pieces])
        return joined, pieces[0][1]

    def _shown(self, path: Optional[str]) -> str:
        return os.path.relpath(path, self.file_dir).replace(os.sep, "/") if path else ""


class _Props:
    """A construct's props: `{…}` (JS, third argument) or keyword arguments (Python), evaluated."""

    def __init__(self, reader: _FileReader, call: Call):
        self.reader, self.call = reader, call
        index, model = reader.index, reader.model
        self.unknown = False
        self.literal: Optional[ObjectLiteral] = None
        if reader.python:
            self.obj = None
            self.complete = not any(a.spread for a in call.args)
            return
        obj = V.call_argument(index, model, call, position=2)
        if not isinstance(obj, V.ObjectValue):
            self.unknown, self.complete, self.obj = True, False, None
            return
        self.obj, self.complete = obj, not obj.unknown_keys
        positional = [a for a in call.args if a.keyword is None]
        arg = positional[2] if len(positional) > 2 else None
        if reader.text and arg is not None and arg.span is not None:
            start = _offset(reader.lines, arg.span.line, arg.span.column)
            if reader.text[start:start + 1] == "{":
                self.literal = ObjectLiteral(reader.text, start)

    def value(self, key: str):
        reader = self.reader
        if reader.python:
            found = V.call_argument(reader.index, reader.model, self.call, keyword=_snake(key))
            return found if found is not V.ABSENT or self.complete else V.UNKNOWN
        return self.obj.get(key)

    def span(self, key: str) -> Span:
        """Where the prop is written: its value in an inline object or keyword argument, else the construct call."""
        if self.reader.python:
            arg = next((a for a in self.call.args if a.keyword == _snake(key)), None)
            return arg.span if arg is not None and arg.span else self.call.span
        if self.literal is not None and key in self.literal.props:
            text, offset = self.literal.props[key]
            return _span_at(self.reader.text, offset, len(text.split("\n", 1)[0]))
        return self.call.span

    def nested_spans(self, key: str) -> dict[str, Span]:
        """Spans of the properties of an inline object prop (`environment: { K: 'v' }`)."""
        reader = self.reader
        if not reader.text:
            return {}
        if reader.python:
            arg = next((a for a in self.call.args if a.keyword == _snake(key)), None)
            if arg is None or arg.span is None:
                return {}
            start = _offset(reader.lines, arg.span.line, arg.span.column)
        elif self.literal is not None and key in self.literal.props:
            start = self.literal.props[key][1]
        else:
            return {}
        if reader.text[start:start + 1] != "{":
            return {}
        inner = ObjectLiteral(reader.text, start)
        return {k: _span_at(reader.text, off, len(v.split("\n", 1)[0])) for k, (v, off) in inner.props.items()}
