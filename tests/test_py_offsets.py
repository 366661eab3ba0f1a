"""Positions measured without libcst's code generator are the generator's, node for node.

A finding's line and column come from these offsets: if the direct measure drifted from what
libcst reports, findings would point at the wrong place. Each case is measured both ways.
"""
import json
from importlib import metadata

import libcst as cst
import pytest
from libcst._nodes.op import BaseUnaryOp, _BaseOneTokenOp, _BaseTwoTokenOp

from lambdalint.codec import encoder
from lambdalint.frontends import py_offsets, py_positions, python
from lambdalint.model import FileModel

SOURCES = {
    "calls and attributes": "import a.b as c, d\nfrom . import (x, y as z,)\nr = c.f(1, *a, k=2, **kw)[0].g()\n",
    "comments everywhere": "# head\nx = [  # open\n    1,  # one\n\n    # alone\n    2,\n]  # close\n# tail",
    "f-string hash is text": 'x = f"#{a}# {b!r:#>{w}} {c=}"  # real\ny = f"{x:#x}"\nz = f"""\n#{q}\n"""\n',
    "functions and classes": (
        "@d.e(f=1)\n# between\n@g\n\nasync def h(a, /, b=1, *c, d, e: int = 2, **k) -> None:\n"
        "    '''doc'''\n    return (yield)\n\nclass K(B, metaclass=M):\n    x: int = 1\n"
        "    def m(self): return {**a, 'b': [*c], 'd': {1, 2}}\n"
    ),
    "control flow": (
        "if a:\n    pass\nelif b: c(); d()\nelse:\n    e()\nfor i in j:\n    continue\nelse:\n    pass\n"
        "while k:\n    break\ntry:\n    f()\nexcept (A, B) as err:\n    raise E from err\nexcept:\n    raise\n"
        "else:\n    g()\nfinally:\n    h()\nwith open(p) as q, r:\n    pass\nwith (\n    s as t,\n    u,\n):\n    pass\n"
    ),
    "expressions": (
        "x = lambda *, k=1: k\ny = a if b else c\nz = not a and b or -c ** ~d\nw = a[1:2, ::3, ...]\n"
        "v = [i async for i in a if i for j in i]\nu = {k: v for k, v in z}\nt = (n := 1) != 2 is not 3\n"
        "s = 'a' 'b' if b'c' b'd' else 1_0 + 1e5 + 3j\ndel a[0], b.c\nglobal q; nonlocal r\nassert x, 'm'\n"
        "a += 1; b -= 2;\nprint((yield from z))\n"
    ),
    "match statement": (
        "match x:\n    case [1, *r] if r:  # c\n        pass\n    case {'a': 1, **k}:\n        f(k)\n"
        "    case P(x=1) | Q():\n        g()\n    case _:\n        h()\n"
    ),
    "type parameters": "def f[T: int, *Ts, **P](x: T) -> T:\n    return x\nclass C[T]:\n    pass\ntype A[T] = list[T]\n",
    "windows newlines": "def f():\r\n    x = 1  # c\r\n\r\n    return x\r\n",
    "continuations and tabs": "x = 1 + \\\n    2\nif x:\n\ty = (1,\n\t     2)\n",
    "no final newline": "x = 1  # trailing",
    "empty": "",
}


def _codegen_state(module):
    state = py_positions._OffsetState(module)
    module._codegen(state)
    return state


def _nodes(module) -> dict:
    found, pending = {}, [module]
    while pending:
        node = pending.pop()
        found[id(node)] = node
        pending.extend(node.children)
    return found


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_measured_offsets_are_libcsts(name):
    module = cst.parse_module(SOURCES[name])
    expected = _codegen_state(module)
    measured = py_positions._OffsetState(module)
    end = py_offsets.measure(module, measured)
    nodes = _nodes(module)
    operators = (_BaseOneTokenOp, _BaseTwoTokenOp, BaseUnaryOp)
    def without_operators(ranges):  # operators get no range (nothing reads one), except inside libcst's part
        return {key: value for key, value in ranges.items() if not isinstance(nodes[key], operators)}

    assert end == expected.offset
    assert without_operators(measured.ranges) == without_operators(expected.ranges)
    assert measured.comments == expected.comments


def test_hash_inside_an_f_string_is_no_comment():
    module = cst.parse_module(SOURCES["f-string hash is text"])
    measured = py_positions._OffsetState(module)
    py_offsets.measure(module, measured)
    assert [text for _, text in measured.comments] == ["# real"]


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_model_is_the_same_with_libcsts_generator(name, monkeypatch):
    encode = encoder(FileModel)
    fast = json.dumps(encode(python.lower_python(SOURCES[name], "m.py")), sort_keys=True)
    monkeypatch.setattr(py_offsets, "available", lambda: False)
    slow = json.dumps(encode(python.lower_python(SOURCES[name], "m.py")), sort_keys=True)
    assert fast == slow


def test_the_libcst_release_the_handlers_mirror_is_measured_directly():
    """With the release the handlers were written against, no file pays for libcst's generator; another
    release is measured by the generator (slower, the same models: see above) unless its node modules
    are the same."""
    if metadata.version("libcst") in py_offsets.CHECKED_RELEASES:
        assert py_offsets.available()
    else:
        assert py_offsets.available() == (py_offsets._sources_digest() in py_offsets._KNOWN_SOURCES)
