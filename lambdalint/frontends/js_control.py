"""The JS/TS lowering of control structure (see `model.Construct`): conditions, `if`, loops, `switch`,
`try`, jumps, labels, blocks (with `using` declarations) and namespaces.
"""
from __future__ import annotations

from typing import Optional

from lambdalint.frontends.dispositions import (
    ASYNC_ITERATED as _ASYNC_ITERATED,
    CONDITION as _CONDITION,
    DISCARDED as _DISCARDED,
    ITERATED as _ITERATED,
    OTHER as _OTHER,
)
from lambdalint.frontends.js_common import (
    _always_true,
    _COMMENTS,
    _INERT,
    _is_using,
    _MAIN_GUARDS,
    _NON_WS,
    _NULL_CHECKS,
    _NULLISH,
    _Scope,
)
from lambdalint.model import Condition, ConstructKind, ExitKind, Handler, LoopKind, RegionKind, Span


class ControlLowering:
    """Handlers of `_Lowerer` (a mixin) for statements that shape control flow."""

    def condition_item(self, node, scope: _Scope, items: list, disp=_CONDITION) -> Condition:
        """Schedule `node` as a condition; its calls and reads are collected as they are walked."""
        core = self.inner(node) if node.type == "parenthesized_expression" else node
        cond = Condition(self.span(core if core is not None else node))
        if disp is _CONDITION:
            cond.tests, cond.negated = self.presence(node)
        items.append((node, scope.collecting(cond), disp, None, None))
        return cond

    def presence(self, test) -> tuple[Optional[str], bool]:
        """(`x`, negated) when a test only checks that `x` holds a value: `x`, `!x`, `x != null`,
        `x === undefined`, `typeof x !== "undefined"`."""
        negated = False
        test = self.unwrap(test)
        while test is not None and test.type == "unary_expression":
            operator = test.child_by_field_name("operator")
            if operator is None or operator.type != "!":
                break
            negated, test = not negated, self.unwrap(test.child_by_field_name("argument"))
        if test is None:
            return None, False
        if test.type == "binary_expression":
            operator = test.child_by_field_name("operator")
            op = operator.type if operator is not None else ""
            if op not in _NULL_CHECKS:
                return None, False
            left, right = self.unwrap(test.child_by_field_name("left")), self.unwrap(test.child_by_field_name("right"))
            if left is None or right is None:
                return None, False
            if left.type in _NULLISH or (left.type == "string" and self.string_value(left) == "undefined"):
                left, right = right, left
            if right.type == "string" and self.string_value(right) == "undefined" and left.type == "unary_expression":
                operator = left.child_by_field_name("operator")
                if operator is None or operator.type != "typeof":
                    return None, False
                left = self.unwrap(left.child_by_field_name("argument"))
            elif right.type not in _NULLISH:
                return None, False
            if left is None:
                return None, False
            path = self.walk_path(left)[0]
            if path is None:
                return None, False
            return path, negated if op in ("!=", "!==") else not negated
        path = self.walk_path(test)[0]
        return (path, negated) if path is not None and path != "this" else (None, False)

    def label_of(self, node) -> Optional[str]:
        labels = self.labels
        return labels.pop(node.id, None) if labels else None

    def _labeled(self, node, scope, disp, sinks, naming) -> None:
        label = node.child_by_field_name("label")
        body = node.child_by_field_name("body")
        if body is not None:
            if label is not None:
                self.labels[body.id] = self.text(label)
            self.stack.append((body, scope, None, None, None))

    def _if(self, node, scope, disp, sinks, naming) -> None:
        """An `if` and its `else if` chain are one construct; each consequence is a THEN region."""
        construct = self.structure.construct(ConstructKind.IF, self.span(node), scope.fn, scope.region,
                                             label=self.label_of(node))
        items = []
        while True:
            condition = node.child_by_field_name("condition")
            consequence = node.child_by_field_name("consequence")
            alternative = node.child_by_field_name("alternative")
            inner = scope
            if condition is not None and self.is_main_guard(condition):
                inner = _Scope(scope.fn, scope.loop, True, scope.cls, scope.region)
            test = self.condition_item(condition, scope, items) if condition is not None else None
            if consequence is not None:
                rid = self.structure.region(construct, RegionKind.THEN, self.span(consequence), scope.region, test)
                items.append((consequence, inner.within(rid), None, None, None))
            body = None
            if alternative is not None:
                body = next((c for c in alternative.named_children if c.type not in _COMMENTS), None)
            if body is None:
                break
            if body.type == "if_statement":
                node = body
                continue
            construct.has_else = True
            rid = self.structure.region(construct, RegionKind.ELSE, self.span(body), scope.region)
            items.append((body, scope.within(rid), None, None, None))
            break
        self.push(items)

    def is_main_guard(self, condition) -> bool:
        raw = self.src[condition.start_byte:condition.end_byte]
        if b"main" not in raw and b"import.meta" not in raw:
            return False
        compact = _NON_WS.sub(b"", raw).decode("utf-8", "replace")
        if compact in _MAIN_GUARDS:
            return True
        return "import.meta" in compact and "process.argv[1]" in compact

    def _while(self, node, scope, disp, sinks, naming) -> None:
        is_do = node.type == "do_statement"
        condition = node.child_by_field_name("condition")
        construct = self.structure.construct(
            ConstructKind.LOOP, self.span(node), scope.fn, scope.region, loop=LoopKind.DO if is_do else LoopKind.WHILE,
            unconditional=condition is not None and _always_true(self.unwrap(condition)), label=self.label_of(node))
        inner = scope.deeper()
        items = []
        if condition is not None:
            construct.condition = self.condition_item(condition, inner, items)
        body = node.child_by_field_name("body")
        if body is not None:
            rid = self.structure.region(construct, RegionKind.LOOP, self.span(body), scope.region)
            items.append((body, inner.within(rid), None, None, None))
        if is_do:
            items.reverse()
        self.push(items)

    def _for(self, node, scope, disp, sinks, naming) -> None:
        construct = self.structure.construct(ConstructKind.LOOP, self.span(node), scope.fn, scope.region,
                                             loop=LoopKind.FOR, label=self.label_of(node))
        inner = scope.deeper()
        items = []
        init = node.child_by_field_name("initializer")
        if init is not None:
            items.append((init, scope, _DISCARDED, None, None))
        condition = node.child_by_field_name("condition")
        if condition is not None and condition.type == "expression_statement":
            condition = next(iter(self.expressions(condition)), None)
        if condition is not None and condition.type != "empty_statement":
            construct.condition = self.condition_item(condition, inner, items)
            construct.unconditional = _always_true(self.unwrap(condition))
        else:
            construct.unconditional = True
        increment = node.child_by_field_name("increment")
        if increment is not None:
            items.append((increment, inner, _DISCARDED, None, None))
        body = node.child_by_field_name("body")
        if body is not None:
            rid = self.structure.region(construct, RegionKind.LOOP, self.span(body), scope.region)
            items.append((body, inner.within(rid), None, None, None))
        self.push(items)

    def _for_in(self, node, scope, disp, sinks, naming) -> None:
        is_await = any(c.type == "await" for c in node.children)
        operator = node.child_by_field_name("operator")
        kind = LoopKind.ASYNC_FOR if is_await else (
            LoopKind.FOR_IN if operator is not None and operator.type == "in" else LoopKind.FOR_OF)
        construct = self.structure.construct(ConstructKind.LOOP, self.span(node), scope.fn, scope.region, loop=kind,
                                             is_async=is_await, label=self.label_of(node))
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        body = node.child_by_field_name("body")
        items = []
        if left is not None:
            value = node.child_by_field_name("value")      # `for (var x = 1 in o)` (legacy)
            first = len(self.model.bindings)
            self.bind_target(left, scope, "for", items)
            self.value_spans(first, right)
            if value is not None:
                items.append((value, scope, _OTHER, None, None))
        if right is not None:
            construct.iterated = self.condition_item(right, scope, items,
                                                     _ASYNC_ITERATED if is_await else _ITERATED)
        if body is not None:
            rid = self.structure.region(construct, RegionKind.LOOP, self.span(body), scope.region)
            items.append((body, scope.deeper().within(rid), None, None, None))
        self.push(items)

    def _switch(self, node, scope, disp, sinks, naming) -> None:
        construct = self.structure.construct(ConstructKind.SWITCH, self.span(node), scope.fn, scope.region,
                                             label=self.label_of(node))
        items = []
        value = node.child_by_field_name("value")
        if value is not None:
            construct.condition = self.condition_item(value, scope, items, _OTHER)
        body = node.child_by_field_name("body")
        for case in body.named_children if body is not None else ():
            if case.type != "switch_case" and case.type != "switch_default":
                continue
            test = case.child_by_field_name("value")
            cond = self.condition_item(test, scope, items, _OTHER) if test is not None else None
            statements = [c for c in case.named_children if c.type not in _COMMENTS and c != test]
            if statements:
                first, last = self.span(statements[0]), self.span(statements[-1])
                span = Span(first.line, first.column, last.end_line, last.end_column)
            else:
                end = self.span(case)
                span = Span(end.end_line, end.end_column, end.end_line, end.end_column)
            is_default = case.type == "switch_default"
            construct.has_else = construct.has_else or is_default
            rid = self.structure.region(construct, RegionKind.DEFAULT if is_default else RegionKind.CASE, span,
                                        scope.region, cond)
            inner = scope.within(rid)
            items.extend((c, inner, None, None, None) for c in statements)
        self.push(items)

    def _try(self, node, scope, disp, sinks, naming) -> None:
        construct = self.structure.construct(ConstructKind.TRY, self.span(node), scope.fn, scope.region,
                                             label=self.label_of(node))
        items = []
        body = node.child_by_field_name("body")
        if body is not None:
            rid = self.structure.region(construct, RegionKind.TRY, self.span(body), scope.region)
            items.append((body, scope.within(rid), None, None, None))
        handler = node.child_by_field_name("handler")
        if handler is not None:
            parameter = handler.child_by_field_name("parameter")
            name = None
            if parameter is not None:
                name = self.text(parameter) if parameter.type == "identifier" else (
                    "[]" if parameter.type == "array_pattern" else "{}")
            catch_body = handler.child_by_field_name("body")
            if catch_body is not None:
                clause = self.span(handler)
                record = Handler([], True, name,
                                 keyword=Span(clause.line, clause.column, clause.line, clause.column + len("catch")))
                rid = self.structure.region(construct, RegionKind.HANDLER, self.span(catch_body), scope.region,
                                            handler=record)
                items.append((catch_body, scope.within(rid), None, None, None))
        finalizer = node.child_by_field_name("finalizer")
        final_body = finalizer.child_by_field_name("body") if finalizer is not None else None
        if final_body is not None:
            rid = self.structure.region(construct, RegionKind.FINALLY, self.span(final_body), scope.region)
            items.append((final_body, scope.within(rid), None, None, None))
        self.push(items)

    def _throw(self, node, scope, disp, sinks, naming) -> None:
        values = self.expressions(node)
        self.structure.exit(ExitKind.RAISE, self.span(node), scope.fn, scope.region, bool(values),
                            self.walk_path(values[0])[0] if values else None)
        self.push([(c, scope, _OTHER, None, None) for c in values])

    def _jump(self, node, scope, disp, sinks, naming) -> None:
        label = node.child_by_field_name("label")
        kind = ExitKind.BREAK if node.type == "break_statement" else ExitKind.CONTINUE
        self.structure.exit(kind, self.span(node), scope.fn, scope.region,
                            label=self.text(label) if label is not None else None)

    def _block(self, node, scope, disp, sinks, naming) -> None:
        """A block holding `using` declarations: each opens a WITH region to the end of the block."""
        if not self.has_using or self.src.find(b"using", node.start_byte, node.end_byte) < 0:
            stack = self.stack
            for c in reversed(node.named_children):
                t = c.type
                if t == "expression_statement":     # `_expression_statement`, inlined: the same items
                    for e in reversed(c.named_children):
                        if e.type not in _INERT:
                            stack.append((e, scope, _DISCARDED, None, None))
                elif t not in _INERT:
                    stack.append((c, scope, _OTHER, None, None))
            return
        children = [c for c in node.named_children if c.type not in _INERT]
        if all(_is_using(c) is None for c in children):
            self.push([(c, scope, _OTHER, None, None) for c in children])
            return
        items = []
        end = self.span(node)
        closing = node.children[-1] if node.type == "statement_block" and node.children else None
        if closing is not None and closing.type == "}":
            end = self.span(closing)
            end = Span(end.line, end.column, end.line, end.column)
        current = scope
        for child in children:
            is_await = _is_using(child)
            if is_await is None:
                items.append((child, current, _OTHER, None, None))
            else:
                start = self.span(child)
                declaration = Condition(start)
                items.append((child, current.collecting(declaration), _OTHER, None, None))
                construct = self.structure.construct(
                    ConstructKind.WITH, Span(start.line, start.column, end.end_line, end.end_column), scope.fn,
                    current.region, is_async=is_await, items=[declaration])
                rid = self.structure.region(construct, RegionKind.WITH,
                                            Span(start.end_line, start.end_column, end.end_line, end.end_column),
                                            current.region)
                current = current.within(rid)
        self.push(items)

    def _namespace(self, node, scope, disp, sinks, naming) -> None:
        body = node.child_by_field_name("body")
        if body is not None:
            self.stack.append((body, scope, None, None, None))
