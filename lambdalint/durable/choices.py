"""Expression-level conditionals in durable code: which of them decide whether an operation runs.

A ternary's test, or the left operand of `&&` / `||` / `??` / `and` / `or`,
decides whether the operations in the operand it guards run, as an `if` test
does. A ternary choosing between two arms that issue the same operations (same
method, same literal name, in the same order) leaves the replay on the same
checkpointed path, so it does not count; when the arms cannot be compared
(an unnamed operation, a helper handed the context, an operation inside a
callback) it does not count either.
"""
from __future__ import annotations

from typing import Iterable, Iterator, Optional

from lambdalint.durable.facts import file_facts
from lambdalint.durable.scope import Kind, durable_scope, runs_in_parent
from lambdalint.model import ArgKind, Call, Choice, ChoiceKind, FileModel, Language, Use
from lambdalint.structure import structure_of

_OPERATORS = {ChoiceKind.AND: ("&&", "and"), ChoiceKind.OR: ("||", "or"), ChoiceKind.NULLISH: ("??", "??")}


def choice_what(choice: Choice, language: Language) -> str:
    """How a message names the test: "conditional expression's test", "left operand of `&&`"."""
    if choice.kind is ChoiceKind.TERNARY:
        return "conditional expression's test"
    js, py = _OPERATORS[choice.kind]
    return f"left operand of `{py if language is Language.PYTHON else js}`"


def deciding_choices(index, model: FileModel, call: Call) -> Iterator[tuple[Choice, int, int, bool]]:
    """(choice, arm index, function, direct) for every expression-level conditional whose test decides
    whether `call` runs, in durable code, followed out through inline callbacks as
    `facts.governing` does (`direct`: the call itself sits in the arm, not inside a callback there).
    A function that is itself a discarded operand (`c ? () => f() : null;`) never runs."""
    scope = durable_scope(index)
    structure = structure_of(model)
    item, fid = call, call.function
    direct = True
    while fid is not None and scope.kind_of(model.path, fid) is not None:
        for choice, arm in structure.choices_over(item):
            yield choice, arm, fid, direct
        fn = model.functions[fid]
        if not runs_in_parent(fn) or (fn.disposition is not None and fn.disposition.use is Use.DISCARDED):
            return
        item, fid, direct = fn, fn.parent, False


def deciding_choice_sites(index, model: FileModel, calls: Iterable[Call]) -> Iterator[tuple[Choice, int]]:
    """(choice, function) for each conditional in orchestration code that decides whether one of `calls`
    (operations, or calls handing the context to a helper) runs, and whose arms issue different
    operations; in source order."""
    scope = durable_scope(index)
    arms: dict[int, tuple[Choice, int, dict[int, list]]] = {}
    for call in calls:
        for choice, arm, fid, direct in deciding_choices(index, model, call):
            if scope.kind_of(model.path, fid) is not Kind.ORCHESTRATION:
                continue
            entry = arms.setdefault(id(choice), (choice, fid, {}))
            entry[2].setdefault(arm, []).append((call, direct))
    ops = {call.id: op for call, op in file_facts(index, model).ops}
    for choice, fid, by_arm in sorted(arms.values(), key=lambda e: (e[0].test.line, e[0].test.column)):
        if len(by_arm) > 1 and not _differ(ops, by_arm.get(0, ()), by_arm.get(1, ())):
            continue
        yield choice, fid


def _differ(ops: dict, first: list, second: list) -> bool:
    """Whether two arms provably issue different operations (method or literal name, in order)."""
    a, b = _signature(ops, first), _signature(ops, second)
    if a is None or b is None:
        return False
    if len(a) != len(b):
        return True
    return any(m1 != m2 or (n1 is not None and n2 is not None and n1 != n2) for (m1, n1), (m2, n2) in zip(a, b))


def _signature(ops: dict, calls: list) -> Optional[list[tuple[str, Optional[str]]]]:
    """(method, literal name or None) per operation in source order; None when an arm cannot be read."""
    signature = []
    for call, direct in sorted(calls, key=lambda e: (e[0].span.line, e[0].span.column)):
        op = ops.get(call.id)
        if op is None or not direct:
            return None
        name = op.name_arg
        literal = name.value if name is not None and name.kind is ArgKind.STRING and isinstance(name.value, str) else None
        signature.append((op.method, literal))
    return signature
