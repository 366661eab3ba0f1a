"""The JS/TS lowering of expressions: reads, calls and `new`, and the contexts that decide what happens
to a value (`await`, `yield`, `return`, `void`, operators, conditionals, literals, templates, JSX).
"""
from __future__ import annotations

from lambdalint.frontends.dispositions import (
    AWAITED as _AWAITED,
    CONDITION as _CONDITION,
    DISCARDED as _DISCARDED,
    OTHER as _OTHER,
    RETURNED as _RETURNED,
    VOIDED as _VOIDED,
    YIELDED as _YIELDED,
)
from lambdalint.frontends.js_common import (
    _CHAIN_PARENTS,
    _COMMENTS,
    _IDENTITY,
    _INERT,
    _JSX_PARTS,
    _LOGICAL,
    _Naming,
    _PATH_BASES,
)
from lambdalint.frontends.js_elements import discarded_await_sinks, element_read
from lambdalint.model import Call, Choice, ChoiceKind, Container, Disposition, ExitKind, NameRef, Use

# The `Choice` each logical operator records: its right operand runs only as the left one decides.
_CHOICE_KINDS = {"&&": ChoiceKind.AND, "||": ChoiceKind.OR, "??": ChoiceKind.NULLISH}


class ExpressionLowering:
    """Handlers of `_Lowerer` (a mixin) for expressions."""

    def _identifier(self, node, scope, disp, sinks, naming) -> None:
        name = self.src[node.start_byte:node.end_byte].decode("utf-8", "replace")
        if name and name != "undefined":         # as `add_name`, inlined: a file's most common node
            self.model.names.append(NameRef(name, self.span(node), scope.fn, (disp or _OTHER).copy(), scope.loop,
                                            scope.region))
            if scope.cond is not None:
                scope.cond.names.append(name)

    def _member_read(self, node, scope, disp, sinks, naming) -> None:
        """A dotted read is one NameRef (the longest path); a read through a call or `x[i]` reads its parts."""
        found = self.paths.pop(node.id, None) if self.paths else None
        path, stop = found if found is not None else self.walk_path(node)
        if path is not None:
            if path != "this" and path != "super":
                self.add_name(path, node, scope, disp)
            return
        items = []
        element_read(self, node, stop, scope, disp)
        if stop.type == "subscript_expression":
            index = stop.child_by_field_name("index")
            obj = stop.child_by_field_name("object")
            if obj is not None:
                items.append((obj, scope, _OTHER, None, None))
            if index is not None:
                items.append((index, scope, _OTHER, None, None))
        elif stop.type == "member_expression":      # broken member (recovery): read what is there
            items = [(c, scope, _OTHER, None, None) for c in stop.named_children if c.type not in _INERT]
        else:
            items.append((stop, scope, _OTHER, None, None))
        self.push(items)

    # --------------------------------------------------------------- calls
    def _call(self, node, scope, disp, sinks, naming) -> None:
        callee_node = node.child_by_field_name("function")
        args_node = node.child_by_field_name("arguments")
        if callee_node is None or callee_node.type == "import":
            return                                  # dynamic `import()` is not a call the rules judge
        if args_node is None or args_node.type != "arguments":
            self._generic(node, scope, disp, sinks, naming)   # tagged template
            return
        if callee_node.type == "identifier" and self.text(callee_node) == "require":
            self.side_effect_require(node, scope)
        if callee_node.type == "await_expression":
            # tree-sitter-typescript reads `await f<T>(x)` as `(await f)<T>(x)`; written code needs parentheses
            # for that. Lowered as `await f<T>(x)` when nothing is chained on (else the await covers the chain).
            operand = next(iter(self.expressions(callee_node)), None)
            parent = node.parent
            if operand is not None and parent is not None and parent.type not in _CHAIN_PARENTS:
                self.callee_memo.pop(node.id, None)
                self.record_call(node, operand, args_node, False, scope, _AWAITED, sinks if disp is _AWAITED else None)
                return
        self.record_call(node, callee_node, args_node, False, scope, disp, sinks)

    def _new(self, node, scope, disp, sinks, naming) -> None:
        self.record_call(node, node.child_by_field_name("constructor"), node.child_by_field_name("arguments"),
                         True, scope, disp, sinks)

    def record_call(self, node, callee_node, args_node, is_new, scope, disp, sinks) -> None:
        node_id = node.id
        memo = self.callee_memo.pop(node_id, None) if self.callee_memo else None
        core = callee_node
        t = callee_node.type if callee_node is not None else None
        if memo is not None:
            callee, optional = memo
        elif t == "identifier":                 # `f(...)`: `render`, inlined
            callee = self.src[callee_node.start_byte:callee_node.end_byte].decode("utf-8", "replace") or "?"
            # two children are the callee and the arguments: no `?.` between them
            optional = not is_new and node.child_count != 2 and self.direct_optional(node)
        else:
            callee, optional = self.render(callee_node)
            optional = optional or (not is_new and node.child_count != 2 and self.direct_optional(node))
        calls = self.model.calls
        cid = len(calls)
        self.call_ids[node_id] = cid
        call = Call(cid, callee, self.span(node), scope.fn, (disp or _OTHER).copy(), [], is_new, None, scope.loop,
                    scope.guard, optional, None, scope.region)
        calls.append(call)
        if scope.cond is not None:
            scope.cond.calls.append(cid)
        if sinks:
            self.fire(sinks, call_id=cid)
        items = []
        if t in _IDENTITY:
            core = self.unwrap(callee_node)
        if core is not None and core.type == "sequence_expression":
            # `(0, obj.fn)(x)`, as compilers emit it: a plain call of `obj.fn`.
            parts = self.expressions(core)
            items.extend((c, scope, _DISCARDED, None, None) for c in parts[:-1])
            core = self.unwrap(parts[-1]) if parts else None
        if core is not None:
            t = core.type
            if is_new and (t == "member_expression" or t == "subscript_expression"):
                self.target_path(core, scope, items)        # `new a[k]()`: only `k` is read
            elif t == "member_expression" or t == "subscript_expression":
                receiver = core.child_by_field_name("object")
                if receiver is not None:
                    items.append((receiver, scope, Disposition(Use.RECEIVER, cid),
                                  ((call, "receiver_call", None),), None))
                index = core.child_by_field_name("index") if t == "subscript_expression" else None
                if index is not None:
                    items.append((index, scope, _OTHER, None, None))
            elif t not in _PATH_BASES:
                # `(async () => {})()`, `f()()`: an immediately invoked function is linked to its call.
                items.append((core, scope, _OTHER, ((call, None, "callee_function"),), None))
        if args_node is not None:
            args = call.args
            for child in args_node.named_children:
                t = child.type
                if t in _COMMENTS:
                    continue
                spread = t == "spread_element"
                if spread:
                    value = next(iter(self.expressions(child)), None)
                    if value is None:
                        continue
                    t = value.type
                else:
                    value = child
                arg = self.arg(value, spread, child)
                args.append(arg)
                if t not in _INERT:             # a literal argument holds nothing more to walk
                    items.append((value, scope, Disposition(Use.ARGUMENT, cid, len(args) - 1, None, spread),
                                  ((arg, "call", "function"),), None))
        if items:
            items.reverse()
            self.stack.extend(items)

    # ---------------------------------------------------------- value contexts
    def _await(self, node, scope, disp, sinks, naming) -> None:
        discarded = discarded_await_sinks(self, disp)
        self.push([(c, scope, _AWAITED, discarded, None) for c in self.expressions(node)])

    def _yield(self, node, scope, disp, sinks, naming) -> None:
        self.push([(c, scope, _YIELDED, None, None) for c in self.expressions(node)])

    def _return(self, node, scope, disp, sinks, naming) -> None:
        values = self.expressions(node)
        if scope.fn is not None:
            function = self.model.functions[scope.fn]
            function.returns += 1
            if not values:
                function.plain_returns += 1
        self.structure.exit(ExitKind.RETURN, self.span(node), scope.fn, scope.region, bool(values),
                            self.walk_path(values[0])[0] if values else None)
        self.push([(c, scope, _RETURNED, None, None) for c in values])

    def _unary(self, node, scope, disp, sinks, naming) -> None:
        operator = node.child_by_field_name("operator")
        argument = node.child_by_field_name("argument")
        if argument is None:
            return
        op = operator.type if operator is not None else ""
        if op == "delete":
            items = []
            self.bind_target(argument, scope, "delete", items)
            self.push(items)
            return
        inner = _CONDITION if op == "!" else _VOIDED if op == "void" else _OTHER
        self.stack.append((argument, scope, inner, None, None))

    def _binary(self, node, scope, disp, sinks, naming) -> None:
        operator = node.child_by_field_name("operator")
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        if operator is not None and operator.type in _LOGICAL:
            items = [(left, scope, _CONDITION, None, None), (right, scope, disp or _OTHER, None, None)]
            if left is not None and right is not None:
                self.model.choices.append(Choice(_CHOICE_KINDS[operator.type], self.span(node), scope.fn,
                                                 self.span(left), [self.span(right)], scope.region))
        else:
            items = [(left, scope, _OTHER, None, None), (right, scope, _OTHER, None, None)]
        self.push([item for item in items if item[0] is not None])

    def _ternary(self, node, scope, disp, sinks, naming) -> None:
        disp = disp or _OTHER
        test, consequence, alternative = (node.child_by_field_name(f) for f in ("condition", "consequence",
                                                                                 "alternative"))
        items = [
            (test, scope, _CONDITION, None, None),
            (consequence, scope, disp, None, None),
            (alternative, scope, disp, None, None),
        ]
        if test is not None and consequence is not None and alternative is not None:
            self.model.choices.append(Choice(ChoiceKind.TERNARY, self.span(node), scope.fn, self.span(test),
                                             [self.span(consequence), self.span(alternative)], scope.region))
        self.push([item for item in items if item[0] is not None])

    def _sequence(self, node, scope, disp, sinks, naming) -> None:
        parts = self.expressions(node)
        items = [(c, scope, _DISCARDED, None, None) for c in parts[:-1]]
        if parts:
            items.append((parts[-1], scope, disp or _OTHER, None, None))
        self.push(items)

    def _array(self, node, scope, disp, sinks, naming) -> None:
        inner = (disp or _OTHER).within(Container.ARRAY)
        items = []
        for child in self.expressions(node):
            if child.type == "spread_element":
                items.extend((c, scope, inner, None, None) for c in self.expressions(child))
            else:
                items.append((child, scope, inner, None, None))
        self.push(items)

    def _object(self, node, scope, disp, sinks, naming, key_sinks=None) -> None:
        """Values share the object's fate; `key_sinks(key, member)` lets `module.exports = {...}` claim them."""
        inner = (disp or _OTHER).within(Container.OBJECT)
        items = []
        src = self.src
        for child in node.named_children:
            t = child.type
            if t == "pair":
                key = child.child_by_field_name("key")
                value = child.child_by_field_name("value")
                name = None
                if key is not None:
                    kt = key.type
                    if kt == "computed_property_name":
                        items.extend((c, scope, _OTHER, None, None) for c in self.expressions(key))
                    elif kt == "string":
                        name = self.string_value(key)
                    else:                                   # `property_name`, inlined
                        name = src[key.start_byte:key.end_byte].decode("utf-8", "replace")
                if value is not None:
                    member_sinks = key_sinks(name, child, value) if key_sinks and name is not None else None
                    if value.type not in _INERT:            # a literal value holds nothing to walk
                        items.append((value, scope, inner, member_sinks, _Naming(name, key)))
            elif t == "shorthand_property_identifier":
                if key_sinks:
                    key_sinks(self.text(child), child, None)
                items.append((child, scope, inner, None, None))
            elif t == "method_definition":
                key = child.child_by_field_name("name")
                name = self.property_name(key)
                member_sinks = key_sinks(name, child, child) if key_sinks and name is not None else None
                items.append((child, scope, None, member_sinks, _Naming(name, key, class_name="{}")))
            elif t == "spread_element":
                items.extend((c, scope, _OTHER, None, None) for c in self.expressions(child))
            elif t not in _COMMENTS:
                items.append((child, scope, _OTHER, None, None))
        self.push(items)

    def _spread(self, node, scope, disp, sinks, naming) -> None:
        self.push([(c, scope, _OTHER, None, None) for c in self.expressions(node)])

    def _template(self, node, scope, disp, sinks, naming) -> None:
        items = []
        for child in node.named_children:
            if child.type == "template_substitution":
                items.extend((c, scope, _OTHER, None, None) for c in self.expressions(child))
        self.push(items)

    def _jsx(self, node, scope, disp, sinks, naming) -> None:
        """Only embedded `{...}` expressions and nested elements hold code; tag and attribute names do not."""
        items = []
        if node.type == "jsx_expression":
            for child in self.expressions(node):
                items.append((child, scope, _OTHER, None, None))
        else:
            for child in node.named_children:
                if child.type in _JSX_PARTS:
                    items.append((child, scope, _OTHER, None, None))
        self.push(items)
