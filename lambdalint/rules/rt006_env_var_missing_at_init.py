"""RT006 env-var-missing-at-init."""
from __future__ import annotations

from collections import defaultdict
from typing import Iterator, Optional

from lambdalint.deploy.environment_writes import written_at_init
from lambdalint.deploy.init_modules import init_modules
from lambdalint.deploy.runtime_provided import preloads_code, reserved_variables, wrapper_variables
from lambdalint.deploy.deployed import deployed_functions
from lambdalint.model import ExitKind, FileModel, Finding, Language, NameRef, Severity, Span, Use, ValueKind
from lambdalint.rules import register
from lambdalint.rules.base import ProjectContext, ProjectRule
from lambdalint.values import string_value


@register
class EnvVarMissingAtInit(ProjectRule):
    """Init code that fails when an environment variable is absent, for a function whose IaC does not set it."""

    id = "RT006"
    name = "env-var-missing-at-init"
    severity = Severity.ERROR
    languages = frozenset(Language)

    def check_project(self, ctx: ProjectContext) -> Iterator[Finding]:
        reserved, wrappers = reserved_variables(), wrapper_variables()
        reads_of: dict[str, list[tuple[str, Span, str, str]]] = {}
        written_of: dict[str, Optional[frozenset]] = {}
        lacking: dict[tuple[str, Span, str, str], list] = defaultdict(list)
        handler_of: dict[tuple[str, Span, str, str], str] = {}
        for deployed in deployed_functions(ctx.index):
            fn, resolution = deployed.function, deployed.resolution
            if fn.environment_unknown or wrappers & fn.environment.keys() or preloads_code(fn.environment):
                continue  # an intrinsic, a computed CDK environment, `addEnvironment`, a wrapper script…: unknown
            modules = init_modules(ctx.index, resolution.file, within=fn.code_root)
            if any(_loads_environment_file(ctx, ctx.index.files[path]) for path in modules):
                continue  # `dotenv.config()` at init: a `.env` file shipped with the code may set it
            written = _written(ctx, modules, written_of)
            if written is None:
                continue  # init code fills the environment from somewhere (`os.environ.update(secrets)`)
            for path in modules:
                if path not in reads_of:
                    reads_of[path] = list(required_reads(ctx, ctx.index.files[path]))
                for read in reads_of[path]:
                    variable = read[2]
                    if (variable not in fn.environment and variable not in reserved
                            and not _set_before(variable, read, written, written_of)):
                        lacking[read].append(fn)
                        handler_of.setdefault(read, deployed.handler_name)
        for (path, span, variable, failure), functions in sorted(lacking.items(),
                                                                 key=lambda item: (item[0][0], item[0][1].line)):
            first = functions[0]
            others = f" and {len(functions) - 1} more" if len(functions) > 1 else ""
            where = f"{first.path.rsplit('/', 1)[-1]}:{first.span.line}"
            message = (f"`{variable}` is required at init, but `{first.logical_id}` ({where}){others} does not set it: "
                       f"{failure} on every cold start. Fix: set it in the function's environment, or give a default")
            yield self.finding_at(path, span, message, handler=handler_of[(path, span, variable, failure)])


def _written(ctx: ProjectContext, modules: list[str], cache: dict) -> Optional[dict[str, set]]:
    """Variable -> the init modules that set it themselves (None: one sets some it does not name)."""
    found: dict[str, set] = defaultdict(set)
    for path in modules:
        if path not in cache:
            cache[path] = written_at_init(ctx.index, ctx.index.files[path])
        if cache[path] is None:
            return None
        for variable in cache[path]:
            found[variable].add(path)
    return found


def _set_before(variable: str, read, written: dict[str, set], lines: dict) -> bool:
    """Whether init code may have set `variable` when `read` runs: another init module sets it (it may
    run first), or the read's own module does on an earlier line (module code runs top to bottom)."""
    writers = written.get(variable, ())
    path, span = read[0], read[1]
    return any(writer != path or lines[writer][variable] <= span.line for writer in writers)


def _loads_environment_file(ctx: ProjectContext, model: FileModel) -> bool:
    """Whether module-level code loads variables from a file (`dotenv.config()`, `load_dotenv()`,
    `import 'dotenv/config'`)."""
    categories = ctx.index.catalog.categories
    for imp in model.imports:
        if imp.function is None and categories.first("environment_file_module", model.language.is_js, imp.module):
            return True
    for call in model.calls:
        if call.function is not None:
            continue
        entry = ctx.index.api(model, call, "environment_loader")
        if entry is None:
            continue
        module = entry.get("module")
        if module is None or (call.args and string_value(ctx.index, model, None, call.args[0]) == module):
            return True
    return False


def required_reads(ctx: ProjectContext, model: FileModel) -> Iterator[tuple[str, Span, str, str]]:
    """(path, span, variable, what fails) for module-level code that fails when `variable` is not set."""
    if model.language is Language.PYTHON:
        yield from _python_reads(ctx, model)
    else:
        yield from _js_reads(ctx, model)


def _environment(ctx: ProjectContext, model: FileModel, ref: NameRef) -> Optional[str]:
    """The variable a read names (`os.environ["X"]`, `process.env.X`), or None."""
    index = ctx.index
    if model.language is Language.PYTHON:
        if ref.key and index.api_of_path(model, ref.function, ref.name, "environment_map"):
            return ref.key
        return None
    base, _, variable = ref.name.rpartition(".")
    if base and variable and index.api_of_path(model, ref.function, base, "environment_map"):
        return variable
    return None


def _python_reads(ctx: ProjectContext, model: FileModel):
    reads = [ref for ref in model.names if ref.function is None and ref.name.endswith("environ")]
    for ref in reads:
        if ref.region is not None or ref.key is None:
            continue  # inside a try / if / loop: it may be guarded
        if any(other is not ref and other.span.line == ref.span.line for other in reads):
            continue  # `os.environ["X"] if "X" in os.environ else d`: guarded on its own line
        variable = _environment(ctx, model, ref)
        if variable:
            yield model.path, ref.span, variable, "a `KeyError` at import fails init"


def _js_reads(ctx: ProjectContext, model: FileModel):
    module_reads = [ref for ref in model.names if ref.function is None and "." in ref.name]
    aliases = {}
    for ref in module_reads:
        variable = _environment(ctx, model, ref)
        if variable is None:
            continue
        d = ref.disposition
        if d.use is Use.ARGUMENT and ref.region is None and ctx.index.api(model, model.calls[d.consumer],
                                                                          "throws_on_undefined"):
            yield model.path, ref.span, variable, "`new URL(undefined)` throws at init"
        if d.use is Use.ASSIGNED and d.declared and d.target:
            aliases[d.target] = (ref, variable)
    for binding in model.bindings:
        # `const { QUEUE_URL } = process.env`: each name is a read of the variable it is bound from
        value = binding.value_expr if binding.function is None and binding.kind == "declare" else None
        if value is not None and value.kind is ValueKind.NAME and binding.value_name is None:
            base, _, variable = str(value.literal).rpartition(".")
            if base and variable and ctx.index.api_of_path(model, None, base, "environment_map"):
                aliases.setdefault(binding.name, (binding, variable))
    yield from _guarded_throws(ctx, model, aliases)


def _guarded_throws(ctx: ProjectContext, model: FileModel, aliases: dict):
    """`if (!process.env.X) throw …` (or `if (!X)` after `const X = process.env.X`) at module level.

    The structure layer says when a test only checks that one path is absent (`negated` presence test);
    compound tests (`!a || !b`) are not judged: unknown is silent.
    """
    for exit_ in model.exits:
        if exit_.kind is not ExitKind.RAISE or exit_.function is not None or exit_.region is None:
            continue
        region = model.regions[exit_.region]
        while region.parent is not None and region.condition is None:
            region = model.regions[region.parent]
        condition = region.condition
        if condition is None or region.function is not None or not condition.negated or not condition.tests:
            continue
        for ref in model.names:
            if ref.function is not None or ref.name != condition.tests or not _within(ref.span, condition.span):
                continue
            variable = _environment(ctx, model, ref)
            failure = "the module-level `throw` fails init"
            if variable is not None:
                yield model.path, ref.span, variable, failure
            elif ref.name in aliases:
                origin, variable = aliases[ref.name]
                yield model.path, origin.span, variable, failure


def _within(inner: Span, outer: Span) -> bool:
    return not inner.before(outer) and (inner.end_line, inner.end_column) <= (outer.end_line, outer.end_column)
