"""How the JS/TS lowering spells what a node names: dotted paths (`a.b.c`), member paths, and the
rendered text of a callee or an argument, read once and kept short.
"""
from __future__ import annotations

from typing import Optional

import tree_sitter

from lambdalint.frontends.js_common import _IDENTITY, _PATH_BASES, _RENDERED_AS_WRITTEN


class PathReading:
    """Readers of `_Lowerer` (a mixin) for paths and rendered text."""

    def walk_path(self, node: tree_sitter.Node):
        """(`a.b.c`, None) for a pure dotted path; (None, node where the path stops being one) otherwise."""
        if node.type == "identifier":           # the common case, without the loop
            name = self.src[node.start_byte:node.end_byte].decode("utf-8", "replace")
            return (name, None) if name else (None, node)
        src = self.src
        parts = []
        cur = node
        while True:
            t = cur.type
            if t == "member_expression":
                prop = cur.child_by_field_name("property")
                obj = cur.child_by_field_name("object")
                if prop is None or obj is None:
                    return None, cur
                parts.append(src[prop.start_byte:prop.end_byte].decode("utf-8", "replace"))
                cur = obj
            elif t == "subscript_expression":
                key = self.member_key(cur)
                obj = cur.child_by_field_name("object")
                if key is None or obj is None:
                    return None, cur
                parts.append(key)
                cur = obj
            elif t in _PATH_BASES:
                name = src[cur.start_byte:cur.end_byte].decode("utf-8", "replace")
                if not name:
                    return None, cur
                parts.append(name)
                break
            elif t in _IDENTITY:
                inner = self.inner(cur)
                if inner is None:
                    return None, cur
                cur = inner
            else:
                return None, cur
        parts.reverse()
        return ".".join(parts), None

    def member_path(self, node: tree_sitter.Node):
        """`walk_path` of a member expression the walk meets again as a read: kept for `_member_read`."""
        found = self.paths[node.id] = self.walk_path(node)
        return found

    def render(self, node: Optional[tree_sitter.Node]) -> tuple[str, bool]:
        """The dotted path of any expression (calls as `f()`, computed members as `[]`, else `?`),
        and whether its own member chain uses `?.`.

        The renderings of the calls met on the way are remembered, so a chain
        `a().b().c()...` costs one walk, not one per link.
        """
        if node is None:
            return "?", False
        if node.type == "identifier":           # the common case, without the loop
            return self.src[node.start_byte:node.end_byte].decode("utf-8", "replace") or "?", False
        parts: list[str] = []
        marks: list[list] = []         # [call node, index in parts, optional]
        optional = False
        current = None                 # the mark whose member chain is being walked
        cur = node
        base = "?"
        src = self.src
        while cur is not None:
            t = cur.type
            if t == "member_expression":
                prop = cur.child_by_field_name("property")
                parts.append("." + src[prop.start_byte:prop.end_byte].decode("utf-8", "replace")
                             if prop is not None else ".?")
                if cur.child_count > 1 and cur.child(1).type == "optional_chain":
                    if current is None:
                        optional = True
                    else:
                        current[2] = True
                cur = cur.child_by_field_name("object")
            elif t == "subscript_expression":
                key = self.member_key(cur)
                parts.append("[]" if key is None else "." + key)
                if cur.child_count > 1 and cur.child(1).type == "optional_chain":
                    if current is None:
                        optional = True
                    else:
                        current[2] = True
                cur = cur.child_by_field_name("object")
            elif t == "call_expression" or t == "new_expression":
                memo = self.callee_memo.get(cur.id)
                if memo is not None:
                    base = memo[0] + "()"
                    break
                callee = cur.child_by_field_name("function" if t == "call_expression" else "constructor")
                if callee is not None and callee.type == "super":
                    base = "super"
                    break
                current = [cur, len(parts), t == "call_expression" and self.direct_optional(cur)]
                marks.append(current)
                parts.append("()")
                cur = callee
            elif t in _PATH_BASES or t in _RENDERED_AS_WRITTEN:
                base = src[cur.start_byte:cur.end_byte].decode("utf-8", "replace") or "?"
                break
            elif t in _IDENTITY:
                cur = self.inner(cur)
            elif t == "sequence_expression":
                parts_of_sequence = self.expressions(cur)
                cur = parts_of_sequence[-1] if parts_of_sequence else None
            else:
                break
        path = base
        if marks:
            mark_at = {mark[1]: mark for mark in marks}
            for i in range(len(parts) - 1, -1, -1):
                mark = mark_at.get(i)
                if mark is not None:
                    self.callee_memo[mark[0].id] = (path, mark[2])
                path += parts[i]
        else:
            parts.reverse()
            path += "".join(parts)
        return path, optional

    @staticmethod
    def direct_optional(call: tree_sitter.Node) -> bool:
        """`f?.()`: the call itself is optional."""
        for child in call.children:
            if child.type == "?." or child.type == "optional_chain":
                return True
            if child.type == "arguments":
                return False
        return False
