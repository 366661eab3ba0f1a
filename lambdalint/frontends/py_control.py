"""The Python lowering of control structure (see `model.Construct`): conditions, `if`, loops, `with`,
`try`, `match` and its patterns; heads belong to the enclosing region.
"""
from __future__ import annotations

from typing import Optional

import libcst as cst

from lambdalint.frontends.dispositions import (
    ASYNC_ITERATED as _ASYNC_ITERATED,
    AWAITED as _AWAITED,
    CONDITION as _CONDITION,
    CONTEXT as _CONTEXT,
    ITERATED as _ITERATED,
    OTHER as _OTHER,
)
from lambdalint.frontends.py_nodes import _is_main_guard, _name_path, _path
from lambdalint.frontends.py_values import evaluated_value as _evaluated_value
from lambdalint.model import Condition, ConstructKind, Disposition, Handler, LoopKind, RegionKind, Span


class ControlLowering:
    """Handlers of `_Lowerer` (a mixin) for compound statements that shape control flow."""

    def body_span(self, suite) -> Span:
        """From a body's first statement to its last (`if x: f()` included)."""
        ranges = self.ranges
        body = suite.body
        if type(suite) is cst.IndentedBlock or not body:
            start, end = ranges.get(id(suite), (0, 0))
        else:
            start, end = ranges.get(id(body[0]), (0, 0))[0], ranges.get(id(body[-1]), (0, 0))[1]
        positions = self.positions
        start, end = positions.source_offset(start), positions.source_offset(end)
        source = self.source
        while start < end and source[start] in " \t\f":
            start += 1
        return positions.span(start, self.trim_end(start, end))

    def in_region(self, construct, kind: RegionKind, suite, condition=None, handler=None) -> None:
        saved = self.region
        self.region = self.structure.region(construct, kind, self.body_span(suite), saved, condition, handler)
        self.suite(suite)
        self.region = saved

    def collect_condition(self, node, d: Disposition, span: Optional[Span] = None) -> Condition:
        """Walk `node` with disposition `d`, collecting the calls and names it reads."""
        condition = Condition(span or self.span(node))
        if d is _CONDITION:
            condition.tests, condition.negated = _presence(node)
        saved = self.condition
        self.condition = condition
        self.expr(node, d)
        self.condition = saved
        return condition

    def if_statement(self, node: cst.If) -> None:
        construct = self.structure.construct(ConstructKind.IF, self.block_span(node), self.fid, self.region)
        guarded = self.in_main_guard
        while True:
            test = self.collect_condition(node.test, _CONDITION)
            if _is_main_guard(node.test):
                self.in_main_guard = True
            self.in_region(construct, RegionKind.THEN, node.body, test)
            self.in_main_guard = guarded
            orelse = node.orelse
            if type(orelse) is cst.If:
                node = orelse
                continue
            if orelse is not None:
                construct.has_else = True
                self.in_region(construct, RegionKind.ELSE, orelse.body)
            return

    def for_statement(self, node: cst.For) -> None:
        is_async = node.asynchronous is not None
        construct = self.structure.construct(ConstructKind.LOOP, self.block_span(node), self.fid, self.region,
                                             loop=LoopKind.ASYNC_FOR if is_async else LoopKind.FOR_OF,
                                             is_async=is_async)
        construct.iterated = self.collect_condition(node.iter, _ASYNC_ITERATED if is_async else _ITERATED)
        operands = _set_operator_operands(node.iter)
        construct.iterated.set_operands = [self.span(operand) for operand in operands]
        construct.iterated.set_display = any(type(n) in (cst.Set, cst.SetComp) for n in operands or [node.iter])
        self.bind_target(node.target, "for", value_node=node.iter)
        self.loop_depth += 1
        self.in_region(construct, RegionKind.LOOP, node.body)
        self.loop_depth -= 1
        if node.orelse is not None:
            self.in_region(construct, RegionKind.LOOP_ELSE, node.orelse.body)

    def while_statement(self, node: cst.While) -> None:
        construct = self.structure.construct(ConstructKind.LOOP, self.block_span(node), self.fid, self.region,
                                             loop=LoopKind.WHILE, unconditional=_always_true(node.test))
        self.loop_depth += 1
        construct.condition = self.collect_condition(node.test, _CONDITION)
        self.in_region(construct, RegionKind.LOOP, node.body)
        self.loop_depth -= 1
        if node.orelse is not None:
            self.in_region(construct, RegionKind.LOOP_ELSE, node.orelse.body)

    def with_statement(self, node: cst.With) -> None:
        is_async = node.asynchronous is not None
        construct = self.structure.construct(ConstructKind.WITH, self.block_span(node), self.fid, self.region,
                                             is_async=is_async)
        for item in node.items:
            value = item.item
            value_ids = self.next_id(value)
            construct.items.append(self.collect_condition(value, _AWAITED if is_async else _CONTEXT))
            if item.asname is not None:
                self.bind_target(item.asname.name, "async_with" if is_async else "with", value, value_ids)
        self.in_region(construct, RegionKind.WITH, node.body)

    def try_statement(self, node) -> None:
        construct = self.structure.construct(ConstructKind.TRY, self.block_span(node), self.fid, self.region)
        self.in_region(construct, RegionKind.TRY, node.body)
        star = type(node) is not cst.Try
        for handler in node.handlers:
            caught = handler.type
            types = []
            if caught is not None:
                self.expr(caught, _OTHER)
                types = [_path(e.value) for e in caught.elements] if type(caught) is cst.Tuple else [_path(caught)]
            name = handler.name.name if handler.name is not None else None
            record = Handler(types, caught is None, _path(name) if name is not None else None, star=star)
            clause = self.span(handler)
            record.keyword = Span(clause.line, clause.column, clause.line, clause.column + len("except"))
            self.in_region(construct, RegionKind.HANDLER, handler.body, handler=record)
        if node.orelse is not None:
            construct.has_else = True
            self.in_region(construct, RegionKind.TRY_ELSE, node.orelse.body)
        if node.finalbody is not None:
            self.in_region(construct, RegionKind.FINALLY, node.finalbody.body)

    def match_statement(self, node: cst.Match) -> None:
        construct = self.structure.construct(ConstructKind.SWITCH, self.block_span(node), self.fid, self.region)
        construct.condition = self.collect_condition(node.subject, _OTHER)
        for case in node.cases:
            start, end = self.span(case.pattern), self.span(case.guard if case.guard is not None else case.pattern)
            condition = Condition(Span(start.line, start.column, end.end_line, end.end_column))
            saved = self.condition
            self.condition = condition
            self.pattern(case.pattern)
            if case.guard is not None:
                self.expr(case.guard, _CONDITION)
            self.condition = saved
            irrefutable = case.guard is None and _irrefutable(case.pattern)
            construct.has_else = construct.has_else or irrefutable
            self.in_region(construct, RegionKind.DEFAULT if irrefutable else RegionKind.CASE, case.body, condition)

    def pattern(self, pattern) -> None:
        """Values read by a match pattern (`Color.RED`, class names); captures are skipped."""
        t = type(pattern)
        if t is cst.MatchValue:
            self.expr(pattern.value, _OTHER)
        elif t is cst.MatchAs:
            if pattern.pattern is not None:
                self.pattern(pattern.pattern)
        elif t is cst.MatchOr:
            for element in pattern.patterns:
                self.pattern(element.pattern)
        elif t in (cst.MatchList, cst.MatchTuple):
            for element in pattern.patterns:
                if type(element) is cst.MatchSequenceElement:
                    self.pattern(element.value)
        elif t is cst.MatchMapping:
            for element in pattern.elements:
                self.expr(element.key, _OTHER)
                self.pattern(element.pattern)
        elif t is cst.MatchClass:
            self.expr(pattern.cls, _OTHER)
            for element in pattern.patterns:
                self.pattern(element.value)
            for keyword in pattern.kwds:
                self.pattern(keyword.pattern)


def _presence(test) -> tuple[Optional[str], bool]:
    """(`x`, negated) when a test only checks that `x` holds a value: `x`, `not x`, `x is (not) None`."""
    negated = False
    while type(test) is cst.UnaryOperation and type(test.operator) is cst.Not:
        negated, test = not negated, test.expression
    t = type(test)
    if t is cst.Comparison and len(test.comparisons) == 1:
        target = test.comparisons[0]
        if type(target.comparator) is cst.Name and target.comparator.value == "None":
            op = type(target.operator)
            if op is cst.IsNot or op is cst.NotEqual:
                path = _name_path(test.left)
            elif op is cst.Is or op is cst.Equal:
                path, negated = _name_path(test.left), not negated
            else:
                return None, False
            return (path, negated) if path is not None else (None, False)
        return None, False
    path = _name_path(test)
    return (path, negated) if path is not None else (None, False)


def _always_true(test) -> bool:
    """`while True:` / `while 1:`: the loop ends only through break, return or raise."""
    t = type(test)
    if t is cst.Name:
        return test.value == "True"
    if t is cst.Integer:
        return _evaluated_value(test) != 0
    return False


def _irrefutable(pattern) -> bool:
    """`case _:` / `case x:` (and an or-pattern holding one) matches anything."""
    t = type(pattern)
    if t is cst.MatchAs:
        return pattern.pattern is None or _irrefutable(pattern.pattern)
    if t is cst.MatchOr:
        return any(_irrefutable(element.pattern) for element in pattern.patterns)
    return False


_SET_OPERATORS = (cst.BitOr, cst.BitAnd, cst.Subtract, cst.BitXor)


def _set_operator_operands(node) -> list:
    """The operands of `a | b`, `a & b`, `a - b`, `a ^ b` (chains flattened); [] for any other expression."""
    if type(node) is not cst.BinaryOperation or type(node.operator) not in _SET_OPERATORS:
        return []
    operands = []
    for side in (node.left, node.right):
        operands.extend(_set_operator_operands(side) or [side])
    return operands
