"""Expression-level conditionals in the model: which operands a ternary or `&&` / `||` / `??` / `and` / `or`
test decides, as both front ends record them and `Structure.choices_over` answers."""
from __future__ import annotations

import textwrap

import pytest

from lambdalint.frontends.javascript import lower_javascript
from lambdalint.frontends.python import lower_python
from lambdalint.model import ChoiceKind
from lambdalint.structure import structure_of


def lower(lang: str, source: str):
    source = textwrap.dedent(source)
    return lower_python(source, "handler.py") if lang == "py" else lower_javascript(source, "handler.ts")


def text_of(source: str, span) -> str:
    lines = textwrap.dedent(source).splitlines()
    assert span.line == span.end_line
    return lines[span.line - 1][span.column - 1:span.end_column - 1]


def deciders(model, source: str, callee: str):
    """(kind, test text, arm index) of the choices over the first call of `callee`, innermost first."""
    target = next(c for c in model.calls if c.callee == callee)
    return [(choice.kind, text_of(source, choice.test), arm)
            for choice, arm in structure_of(model).choices_over(target)]


@pytest.mark.parametrize("lang, source, expected", [
    ("js", "const a = flip ? f() : g();\n", [(ChoiceKind.TERNARY, "flip", 0)]),
    ("js", "const a = flip ? g() : f();\n", [(ChoiceKind.TERNARY, "flip", 1)]),
    ("js", "ok && f();\n", [(ChoiceKind.AND, "ok", 0)]),
    ("js", "ok || f();\n", [(ChoiceKind.OR, "ok", 0)]),
    ("js", "const v = cached ?? f();\n", [(ChoiceKind.NULLISH, "cached", 0)]),
    ("js", "a && b && f();\n", [(ChoiceKind.AND, "a && b", 0)]),
    ("js", "const v = x ? (y ? f() : 0) : 1;\n", [(ChoiceKind.TERNARY, "y", 0), (ChoiceKind.TERNARY, "x", 0)]),
    ("py", "a = f() if flip else g()\n", [(ChoiceKind.TERNARY, "flip", 0)]),
    ("py", "a = g() if flip else f()\n", [(ChoiceKind.TERNARY, "flip", 1)]),
    ("py", "ok and f()\n", [(ChoiceKind.AND, "ok", 0)]),
    ("py", "ok or f()\n", [(ChoiceKind.OR, "ok", 0)]),
    ("py", "a and b and f()\n", [(ChoiceKind.AND, "a and b", 0)]),
])
def test_the_test_decides_the_operand_holding_the_call(lang, source, expected):
    assert deciders(lower(lang, source), source, "f") == expected


@pytest.mark.parametrize("lang, source", [
    ("js", "const a = f() ? x : y;\n"),
    ("js", "f() && x;\n"),
    ("js", "const v = f() ?? x;\n"),
    ("js", "g(flip ? 1 : 2, f());\n"),
    ("py", "a = x if f() else y\n"),
    ("py", "f() or x\n"),
    ("py", "g(1 if flip else 2, f())\n"),
])
def test_a_call_in_the_test_or_beside_the_conditional_is_not_decided(lang, source):
    assert deciders(lower(lang, source), source, "f") == []


def test_a_callback_in_an_operand_is_another_function_whose_definition_is_decided():
    source = "const a = flip ? items.map((i) => f(i)) : [];\n"
    model = lower("js", source)
    inner = next(c for c in model.calls if c.callee == "f")
    assert structure_of(model).choices_over(inner) == []
    fn = model.functions[inner.function]
    assert [(c.kind, arm) for c, arm in structure_of(model).choices_over(fn)] == [(ChoiceKind.TERNARY, 0)]


def test_a_comprehension_in_an_operand_is_code_of_the_function_around_it():
    source = "a = [f(i) for i in items] if flip else []\n"
    assert deciders(lower("py", source), source, "f") == [(ChoiceKind.TERNARY, "flip", 0)]


def test_choices_are_recorded_with_their_function_and_every_arm():
    source = "function h(c) {\n  return c ? one() : two();\n}\n"
    model = lower("js", source)
    [choice] = model.choices
    assert choice.function == 0
    assert [text_of(source, arm) for arm in choice.arms] == ["one()", "two()"]
    assert text_of(source, choice.span) == "c ? one() : two()"
