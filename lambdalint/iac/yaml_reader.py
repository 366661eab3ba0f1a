"""Templates as plain trees of positioned values, read without constructing anything.

PyYAML's `compose` builds nodes only: no Python object is ever made from a
tag, so CloudFormation's short tags (`!Ref`, `!GetAtt`, `!Sub`, `!If`, …) and
hostile ones alike are just tagged values, and every node keeps its line and
column. The composed graph is converted iteratively (deep nesting cannot blow
the stack) with a budget on the nodes visited, so aliases cannot make it
explode; merge keys (`<<`) are flattened as YAML 1.1 defines them.
"""
from __future__ import annotations

import json
from typing import Optional, Union

import yaml

try:
    _LOADER = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML without libyaml
    _LOADER = yaml.SafeLoader

NODE_BUDGET = 250_000
_CORE = "tag:yaml.org,2002:"
_MERGE = _CORE + "merge"


class TemplateError(Exception):
    """A template that cannot be read: the message names the problem, `line`/`column` where (1-based)."""

    def __init__(self, message: str, line: int = 1, column: int = 1):
        super().__init__(message)
        self.line, self.column = line, column


class YNode:
    """One value: a mapping (`dict` of key -> YNode), a sequence (`list`), or a scalar (`str`).

    `tag` is set for anything not a core YAML type (`!Ref`, `!Sub`, `Fn::` forms are plain mappings);
    such values are opaque to readers: `text` gives None for them.

    A node read from YAML builds its children only when they are first asked for: a reader looks at a
    few paths of a template (`Resources.X.Properties.Handler`), never at all of it, and shared
    (aliased) nodes are never expanded beyond what is looked at. Every node built counts against the
    document's budget.
    """

    __slots__ = ("_value", "_raw", "_budget", "line", "column", "end_line", "end_column", "tag")

    def __init__(self, value, line: int, column: int, end_line: int, end_column: int,
                 tag: Optional[str] = None, raw=None, budget: Optional[list] = None):
        self._value = value
        self._raw = raw
        self._budget = budget
        self.line, self.column, self.end_line, self.end_column = line, column, end_line, end_column
        self.tag = tag

    @property
    def value(self) -> Union[dict, list, str, None]:
        if self._raw is not None:
            raw, self._raw = self._raw, None   # cleared first: a recursive alias sees an empty container
            self._value = _children(raw, self._budget)
        return self._value

    @property
    def is_map(self) -> bool:
        return isinstance(self.value, dict) and self.tag is None

    @property
    def is_seq(self) -> bool:
        return isinstance(self.value, list) and self.tag is None

    @property
    def text(self) -> Optional[str]:
        """The literal scalar, or None for a mapping, a sequence, a tagged value or null."""
        if self.tag is not None or not isinstance(self.value, str):
            return None
        return self.value

    def get(self, key: str) -> Optional["YNode"]:
        return self.value.get(key) if self.is_map else None

    def path(self, *keys: str) -> Optional["YNode"]:
        node = self
        for key in keys:
            node = node.get(key) if node is not None else None
        return node

    def items(self):
        return self.value.items() if self.is_map else ()

    def __repr__(self) -> str:
        return f"YNode({self.value!r}, line={self.line})"


def parse_template(text: str, is_json: bool = False) -> Optional[YNode]:
    """The template's root value (None for an empty document); raises `TemplateError`."""
    try:
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as error:
        if is_json:
            return _from_json(text)
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = error.problem or error.context or "invalid YAML"
        raise TemplateError(f"{problem}", line, column) from None
    except yaml.YAMLError as error:
        if is_json:
            return _from_json(text)
        raise TemplateError(str(error).splitlines()[0] if str(error) else "invalid YAML") from None
    except RecursionError:
        raise TemplateError("the template is too deeply nested to read") from None
    if root is None:
        return None
    return _convert(root)


def _from_json(text: str) -> Optional[YNode]:
    """JSON that YAML cannot read (surrogate-pair escapes): values without positions (line 1)."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as error:
        line = getattr(error, "lineno", 1)
        column = getattr(error, "colno", 1)
        raise TemplateError(getattr(error, "msg", "too deeply nested"), line, column) from None
    stack = [(data, None, None)]
    root: Optional[YNode] = None
    count = 0
    while stack:
        value, parent, key = stack.pop()
        count += 1
        if count > NODE_BUDGET:
            raise TemplateError("the template is too large to read")
        if isinstance(value, dict):
            node = YNode({}, 1, 1, 1, 1)
            stack.extend((v, node, str(k)) for k, v in value.items())
        elif isinstance(value, list):
            node = YNode([], 1, 1, 1, 1)
            stack.extend((v, node, None) for v in reversed(value))
        else:
            node = YNode(None if value is None else (json.dumps(value) if isinstance(value, bool) else str(value)),
                         1, 1, 1, 1)
        if parent is None:
            root = node
        elif isinstance(parent.value, dict):
            parent.value[key] = node
        else:
            parent.value.append(node)
    return root


def _convert(root: yaml.Node) -> YNode:
    return _wrap(root, [0, {}])


def _wrap(node: yaml.Node, budget: list) -> YNode:
    """One YNode per composed node (an alias gives back the same YNode: nothing is expanded twice)."""
    known = budget[1].get(id(node))
    if known is not None:
        return known
    budget[0] += 1
    if budget[0] > NODE_BUDGET:
        raise TemplateError("the template is too large to read (too many values or aliases)")
    start, end = node.start_mark, node.end_mark
    tag = None if node.tag.startswith(_CORE) else node.tag
    if isinstance(node, yaml.ScalarNode):
        value = None if node.tag == _CORE + "null" else node.value
        wrapped = YNode(value, start.line + 1, start.column + 1, end.line + 1, end.column + 1, tag)
    else:
        empty = {} if isinstance(node, yaml.MappingNode) else []
        wrapped = YNode(empty, start.line + 1, start.column + 1, end.line + 1, end.column + 1, tag, raw=node,
                        budget=budget)
    budget[1][id(node)] = wrapped
    return wrapped


def _children(node: yaml.Node, budget: list):
    """The children of a mapping or sequence node, wrapped; merge keys (`<<`) flattened, explicit keys winning."""
    if isinstance(node, yaml.SequenceNode):
        return [_wrap(item, budget) for item in node.value]
    mapping: dict[str, YNode] = {}
    merged: dict[str, YNode] = {}
    for key, value in node.value:
        if key.tag == _MERGE:
            child = _wrap(value, budget)
            sources = child.value if isinstance(child.value, list) else [child]
            for source in sources:  # earlier sources win over later ones
                if isinstance(source.value, dict):
                    for name, item in source.value.items():
                        merged.setdefault(name, item)
            continue
        if isinstance(key, yaml.ScalarNode):
            mapping[key.value] = _wrap(value, budget)
    for name, item in merged.items():
        mapping.setdefault(name, item)
    return mapping
