"""What the parts of the JS/TS lowering share: the tree-sitter node classes it treats alike, the
records a work item carries (`_Scope`, `_Naming`) and small readers of nodes.

Private to the JS/TS front end (the names keep their underscore).
"""
from __future__ import annotations

import re
from typing import Optional

from lambdalint.model import ClassInfo, Condition, Disposition, Use


_COMMENTS = frozenset({"comment", "html_comment"})
# The parents of a call that chain on its value (`f().x`, `f()[0]`, `f()()`).
_CHAIN_PARENTS = frozenset({"member_expression", "subscript_expression", "call_expression"})
# Wrappers whose value *is* the inner expression's value.
_IDENTITY = frozenset({
    "parenthesized_expression", "non_null_expression", "as_expression",
    "satisfies_expression", "type_assertion", "instantiation_expression",
})
_FUNCTIONS = frozenset({
    "function_declaration", "generator_function_declaration", "function_expression",
    "function", "generator_function", "arrow_function", "method_definition",
})
_FUNCTION_VALUES = frozenset({"function_expression", "function", "generator_function", "arrow_function"})
_CLASSES = frozenset({"class_declaration", "abstract_class_declaration", "class"})
_DECLARATIONS = frozenset({"lexical_declaration", "variable_declaration", "using_declaration"})
_PATH_BASES = frozenset({"identifier", "this", "super", "property_identifier", "type_identifier"})
_PATTERNS = frozenset({"object_pattern", "array_pattern"})
_RENDERED_AS_WRITTEN = frozenset({"private_property_identifier", "meta_property", "import"})
_JSX_PARTS = frozenset({
    "jsx_element", "jsx_self_closing_element", "jsx_opening_element", "jsx_attribute", "jsx_expression",
})
# Nodes that hold nothing the model records: literals, names in non-read positions, types.
_INERT = frozenset({
    "comment", "html_comment", "hash_bang_line", "string", "number", "regex", "true", "false",
    "null", "undefined", "this", "super", "meta_property", "empty_statement", "debugger_statement", "statement_identifier", "property_identifier",
    "private_property_identifier", "decorator", "import", "optional_chain", "accessibility_modifier",
    "override_modifier", "escape_sequence", "string_fragment", "jsx_text", "html_character_reference",
    "type_identifier", "predefined_type", "type_annotation", "type_arguments", "type_parameters",
    "interface_declaration", "type_alias_declaration", "ambient_declaration", "function_signature",
    "abstract_method_signature", "method_signature", "index_signature", "property_signature",
    "call_signature", "construct_signature", "import_alias", "implements_clause",
    "asserts_annotation", "type_predicate_annotation", "opting_type_annotation",
    "omitting_type_annotation", "adding_type_annotation", "formal_parameters", "jsx_closing_element",
    "jsx_namespace_name",
})
_LOGICAL = frozenset({"&&", "||", "??"})
_NULL_CHECKS = frozenset({"!=", "!==", "==", "==="})
_NULLISH = frozenset({"null", "undefined"})
_MAIN_GUARDS = frozenset({
    "require.main===module", "module===require.main", "require.main==module", "module==require.main",
    "import.meta.main",
})
_NON_WS = re.compile(rb"[\s()]")
_COMMENT_START = re.compile(rb"/(?=[/*])")
_IDENTIFIER = re.compile(r"[A-Za-z_$\u0080-\uffff][\w$\u0080-\uffff]*")
_ARG_TEXT_LIMIT = 200


def _assigned(target: str, declared: bool) -> Disposition:
    return Disposition(Use.ASSIGNED, None, None, None, False, target, declared)


def _number_value(text: str) -> object:
    clean = text.replace("_", "").rstrip("n")
    try:
        return int(clean, 0) if clean[:2].lower() in ("0x", "0o", "0b") else int(clean)
    except ValueError:
        try:
            return float(clean)
        except ValueError:
            return text


class _Naming:
    """What the parent knows about the name a function or class will be known by."""

    __slots__ = ("name", "node", "class_name", "decorators")

    def __init__(self, name, node=None, class_name=None, decorators=None):
        self.name = name
        self.node = node
        self.class_name = class_name
        self.decorators = decorators


# Handed to a `const`/`let`/`var` that sits under `export`: each declarator is also an Export.
_EXPORTED_DECLARATION = _Naming(None)


class _Scope:
    """The lexical surroundings shared by every node of one region: rarely changes, so it is shared."""

    __slots__ = ("fn", "loop", "guard", "cls", "region", "cond")

    def __init__(self, fn: Optional[int], loop: int, guard: bool, cls: Optional[ClassInfo],
                 region: Optional[int] = None, cond: Optional[Condition] = None):
        self.fn = fn
        self.loop = loop
        self.guard = guard
        self.cls = cls
        self.region = region        # innermost structure region (in this function)
        self.cond = cond            # the condition whose calls and reads are being collected

    def deeper(self) -> "_Scope":
        return _Scope(self.fn, self.loop + 1, self.guard, self.cls, self.region)

    def within(self, region: int) -> "_Scope":
        return _Scope(self.fn, self.loop, self.guard, self.cls, region)

    def collecting(self, cond: Condition) -> "_Scope":
        return _Scope(self.fn, self.loop, self.guard, self.cls, self.region, cond)


def _always_true(node) -> bool:
    """`while (true)`, `for (;; )`-like tests: the loop ends only through break, return or throw."""
    return node is not None and (node.type == "true" or (node.type == "number" and node.text in (b"1", b"1.0")))


def _is_using(statement) -> Optional[bool]:
    """For a `using` / `await using` declaration: whether it is the `await` form; None for anything else.

    The JavaScript grammar has `using_declaration`; the TypeScript grammar reads the
    same text as an assignment whose first token is `using`.
    """
    t = statement.type
    if t == "using_declaration":
        return any(c.type == "await" for c in statement.children)
    if t != "expression_statement" or not statement.named_children:
        return None
    expression = statement.named_children[0]
    is_await = expression.type == "await_expression"
    if is_await:
        expression = next((c for c in expression.named_children), None)
    if expression is not None and expression.type == "assignment_expression" and expression.children \
            and expression.children[0].type == "using":
        return is_await
    return None
