"""AWS CDK apps (TS/JS/Python) read statically: Lambda constructs whose props are literals.

`lambda.Function` (`handler`, `runtime`, `code: Code.fromAsset(dir)`),
`NodejsFunction` (`entry`, default `<defining file>.<id>.ts|js`; `handler`,
default `handler`; built by esbuild), `PythonFunction` (`entry` folder,
`index` default `index.py`, `handler` default `handler`). A relative asset
path is relative to the CDK app (the folder of `cdk.json`), as `cdk synth`
runs there. Anything computed is unknown.
"""
from __future__ import annotations

import os
import re
from typing import Optional

from lambdalint.iac.literals import ObjectLiteral, call_parts, dotted, js_path, string_value
from lambdalint.iac.records import IacFunction, Located
from lambdalint.model import ArgKind, Call, FileModel, Language, Span

_CONSTRUCTS = frozenset({"Function", "NodejsFunction", "PythonFunction", "DockerImageFunction",
                         "SingletonFunction"})
_CDK_MODULE = re.compile(r"^(aws-cdk-lib|@aws-cdk/aws-lambda|aws_cdk|@aws-cdk-lib)")
_RUNTIME = re.compile(r"(?:^|\.)Runtime\.([A-Z0-9_]+)$")


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


def _qualified(model: FileModel, callee: str, scope: Optional[int]) -> Optional[str]:
    """The construct's module-qualified name through the file's imports, or None when not from the CDK."""
    parts = callee.split(".")
    for imp in model.imports:
        if imp.function not in (None, scope) or not _CDK_MODULE.match(imp.module):
            continue
        local = imp.local.split(".")
        if parts[:len(local)] == local:
            rest = parts[len(local):]
            named = [imp.name] if imp.name and imp.name not in ("*", "default") else []
            return ".".join([imp.module.replace("/", ".").replace("-", "_")] + named + rest)
    return None


def _app_dir(file_dir: str) -> Optional[str]:
    folder = file_dir
    for _ in range(12):
        if os.path.isfile(os.path.join(folder, "cdk.json")):
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


def read_cdk(models: dict[str, FileModel], sources: dict[str, str]) -> list[IacFunction]:
    out = []
    for path, model in models.items():
        if model.is_test or not any(_CDK_MODULE.match(i.module) for i in model.imports):
            continue
        text = sources.get(path)
        if text is None:
            continue
        reader = _FileReader(model, text)
        for call in model.calls:
            if call.method in _CONSTRUCTS and (call.is_new or model.language is Language.PYTHON):
                fn = reader.function(call)
                if fn is not None:
                    out.append(fn)
    return out


class _FileReader:
    def __init__(self, model: FileModel, text: str):
        self.model, self.text = model, text
        self.lines = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
        self.file = os.path.abspath(model.path)
        self.file_dir = os.path.dirname(self.file)
        self.app_dir = _app_dir(self.file_dir)

    def function(self, call: Call) -> Optional[IacFunction]:
        qualified = _qualified(self.model, call.callee, call.function)
        if qualified is None or "lambda" not in qualified.lower():
            return None
        kind = call.method
        positional = [a for a in call.args if a.keyword is None]
        if len(positional) < 2 or positional[1].kind is not ArgKind.STRING:
            return None
        construct_id = str(positional[1].value)
        fn = IacFunction("cdk", self.model.path, construct_id, call.span)
        if kind == "DockerImageFunction":
            fn.image = True
            return fn
        props = self._props(call, positional)
        if props is None:
            return None  # props not written here: unknown
        values, complete = props
        runtime = values.get("runtime")
        if runtime is not None:
            member = _RUNTIME.search(runtime[0])
            name = runtime_name(member[1]) if member else None
            fn.runtime = Located(name, self.model.path, runtime[1]) if name else None
            fn.runtime_unknown = fn.runtime is None
        elif not complete:
            fn.runtime_unknown = True
        self._environment(fn, call, values.get("environment"), complete)
        fn.durable = "durableConfig" in values
        for key in ("functionName", "function_name"):
            written = self._string(values.get(key)) if values.get(key) is not None else None
            if written:
                fn.function_name = Located(written, self.model.path, values[key][1])
        fn.layers_unknown = True  # `layers` values are constructs, and `addLayers()` may add more later
        if kind in ("Function", "SingletonFunction"):
            handler = values.get("handler")
            handler_text = self._string(handler)
            fn.handler = Located(handler_text, self.model.path, handler[1]) if handler_text else None
            fn.handler_unknown = fn.handler is None
            code = values.get("code")
            if code is not None:
                self._code(fn, code[0])
            return fn
        export = values.get("handler")
        if export is not None:
            fn.export = self._string(export)
            if fn.export is None:
                return None
            fn.handler = Located(fn.export, self.model.path, export[1])
        elif complete:
            fn.export = "handler"
        else:
            return None
        entry = values.get("entry")
        if kind == "NodejsFunction":
            fn.build = "esbuild"
            if entry is not None:
                fn.entry = self._path(entry[0])
                fn.entry_located = Located(self._shown(fn.entry), self.model.path, entry[1])
                if fn.entry is None:
                    return None
            elif complete:
                stem = os.path.splitext(self.file)[0]
                candidates = [f"{stem}.{construct_id}{ext}" for ext in (".ts", ".js", ".mjs", ".mts", ".cts", ".cjs")]
                fn.entry = next((c for c in candidates if os.path.isfile(c)), candidates[0])
                fn.entry_located = Located(os.path.basename(candidates[0]), self.model.path, call.span)
            else:
                return None
        else:  # PythonFunction
            if entry is None:
                return None
            folder = self._path(entry[0])
            index = values.get("index")
            index_name = self._string(index) if index is not None else ("index.py" if complete else None)
            if folder is None or index_name is None:
                return None
            fn.entry = os.path.normpath(os.path.join(folder, index_name))
            fn.code_root = folder
            fn.entry_located = Located(index_name, self.model.path, (index or entry)[1])
            if fn.runtime is None and not fn.runtime_unknown:
                fn.runtime_unknown = True
        return fn

    def _environment(self, fn: IacFunction, call: Call, env, complete: bool) -> None:
        """`environment: { K: 'v' }` (JS) / `environment={"K": "v"}` (Python): literal values, the rest unknown."""
        if env is None:
            fn.environment_unknown = not complete
            return
        text, span = env
        if self.model.language is Language.PYTHON:
            arg = next((a for a in call.args if a.keyword == "environment"), None)
            if arg is None or arg.kind is not ArgKind.OBJECT or arg.span is None:
                fn.environment_unknown = True
                return
            start = _offset(self.lines, arg.span.line, arg.span.column)
        else:
            start = _offset(self.lines, span.line, span.column)
        literal = ObjectLiteral(self.text, start)
        fn.environment_unknown = literal.spread
        for key, (value, offset) in literal.props.items():
            written = string_value(value)
            fn.environment[key] = (Located(written, self.model.path, _span_at(self.text, offset, len(value)))
                                   if written is not None else None)

    def _shown(self, path: Optional[str]) -> str:
        return os.path.relpath(path, self.file_dir).replace(os.sep, "/") if path else ""

    # --------------------------------------------------------------- props
    def _props(self, call: Call, positional) -> Optional[tuple[dict[str, tuple[str, Span]], bool]]:
        """prop -> (value text, where), and whether every prop is visible (no spread)."""
        if self.model.language is Language.PYTHON:
            values = {}
            for arg in call.args:
                if arg.keyword:
                    values[_snake_to_camel(arg.keyword)] = (self._py_text(arg), arg.span or call.span)
            return values, not any(a.spread for a in call.args)
        if len(positional) < 3 or positional[2].kind is not ArgKind.OBJECT or positional[2].span is None:
            return None
        span = positional[2].span
        start = _offset(self.lines, span.line, span.column)
        literal = ObjectLiteral(self.text, start)
        values = {key: (value, _span_at(self.text, offset, len(value.split("\n", 1)[0])))
                  for key, (value, offset) in literal.props.items()}
        return values, not literal.spread

    def _py_text(self, arg) -> str:
        if arg.kind is ArgKind.STRING:
            return repr(str(arg.value))
        if arg.kind is ArgKind.CALL and arg.call is not None:
            return f"@call:{arg.call}"
        return arg.text

    def _string(self, value) -> Optional[str]:
        if value is None:
            return None
        return string_value(value[0])

    def _path(self, text: str) -> Optional[str]:
        if self.model.language is Language.PYTHON:
            return self._py_path(text)
        return js_path(text, self.file_dir, self.app_dir)

    def _py_path(self, text: str, depth: int = 0) -> Optional[str]:
        literal = string_value(text)
        if literal is not None:
            if os.path.isabs(literal):
                return None
            return os.path.normpath(os.path.join(self.app_dir, literal)) if self.app_dir else None
        if not text.startswith("@call:") or depth > 4:
            return None
        call = self.model.calls[int(text[len("@call:"):])]
        if call.callee.endswith("path.join") and call.args:
            pieces = []
            for i, arg in enumerate(call.args):
                if arg.kind is ArgKind.NAME and i == 0:
                    arg = self._module_constant(arg.text) or arg
                if arg.kind is ArgKind.STRING:
                    pieces.append(str(arg.value))
                elif i == 0 and arg.kind is ArgKind.CALL and self._is_file_dir(arg.call):
                    pieces.append(self.file_dir)
                else:
                    return None
            if pieces[0] != self.file_dir:
                if not self.app_dir:
                    return None
                pieces.insert(0, self.app_dir)
            return os.path.normpath(os.path.join(*pieces))
        return None

    def _module_constant(self, name: str):
        """`DIRNAME = os.path.dirname(__file__)` at module level: an argument standing for its value."""
        from lambdalint.model import Arg

        for binding in self.model.bindings:
            if binding.function is None and binding.name == name:
                if binding.value_call is not None:
                    return Arg(ArgKind.CALL, name, call=binding.value_call)
                if binding.has_literal and isinstance(binding.value_literal, str):
                    return Arg(ArgKind.STRING, name, value=binding.value_literal)
                return None
        return None

    def _is_file_dir(self, call_id: Optional[int]) -> bool:
        if call_id is None:
            return False
        call = self.model.calls[call_id]
        if not call.callee.endswith("path.dirname") or len(call.args) != 1:
            return False
        arg = call.args[0]
        if arg.kind is ArgKind.NAME and arg.text == "__file__":
            return True
        if arg.kind is ArgKind.CALL and arg.call is not None:
            inner = self.model.calls[arg.call]
            return inner.callee.endswith(("path.realpath", "path.abspath")) and bool(inner.args) and (
                inner.args[0].text == "__file__")
        return False

    def _code(self, fn: IacFunction, text: str) -> None:
        if self.model.language is Language.PYTHON:
            if not text.startswith("@call:"):
                fn.code_root = None
                return
            call = self.model.calls[int(text[len("@call:"):])]
            method = call.method
            if method == "from_inline":
                fn.inline = True
            elif method == "from_asset" and call.args:
                fn.code_root = self._py_path(self._py_text(call.args[0]))
            return
        parts = call_parts(text.strip().removeprefix("new ").strip())
        if parts is None:
            return
        callee, args = parts
        method = callee.rsplit(".", 1)[-1]
        if method in ("fromInline", "InlineCode"):
            fn.inline = True
        elif method in ("fromAsset", "AssetCode") and args and dotted(callee):
            fn.code_root = js_path(args[0], self.file_dir, self.app_dir)


def _snake_to_camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p.title() for p in rest)
