"""Cost of the control-structure layer as a function grows: lowering and path queries must stay linear.

Usage: python benchmarks/structure_scaling.py [--sizes 500,1000,2000,4000,8000]

For each size N, generates one Python and one TypeScript handler whose body
holds N blocks (an if / else, a try / except with a finally, a loop with a
`continue`), started by a thread or a timer and finished after the blocks;
then lowers it and asks, once each, `reached_on_every_path` from the start,
`follows` from the start to the last call, and `governing_conditions` /
`swallowing_handler` for every call. Prints microseconds per block: flat
numbers down a column mean linear cost. Not a test: speed is measured here,
never asserted in the suite.
"""
from __future__ import annotations

import argparse
import gc
import time

from lambdalint.frontends.javascript import lower_javascript
from lambdalint.frontends.python import lower_python
from lambdalint.structure import Structure


def python_source(n: int) -> str:
    blocks = "".join(
        f"    if event.get('a{i}'):\n        f{i}()\n    else:\n        g{i}()\n"
        f"    try:\n        w{i}()\n    except Exception:\n        log()\n    finally:\n        done{i}()\n"
        f"    for x in event['items{i}']:\n        if not x:\n            continue\n        h{i}(x)\n"
        for i in range(n))
    return f"def handler(event, context):\n    t.start()\n{blocks}    t.join()\n"


def typescript_source(n: int) -> str:
    blocks = "".join(
        f"  if (event.a{i}) {{ f{i}(); }} else {{ g{i}(); }}\n"
        f"  try {{ w{i}(); }} catch (err) {{ log(err); }} finally {{ done{i}(); }}\n"
        f"  for (const x of event.items{i}) {{ if (!x) continue; h{i}(x); }}\n"
        for i in range(n))
    return f"export async function handler(event) {{\n  const timer = setTimeout(flush, 1);\n{blocks}" \
           f"  clearTimeout(timer);\n}}\n"


def measure(lower, source: str, path: str) -> tuple[float, float]:
    gc.collect()
    gc.disable()
    try:
        started = time.perf_counter()
        model = lower(source, path)
        lowered = time.perf_counter()
        structure = Structure(model)
        first, last = model.calls[0], model.calls[-1]
        assert structure.reached_on_every_path(first, lambda c: c.callee in ("t.join", "clearTimeout"))
        assert structure.follows(first, last)
        for call in model.calls:
            structure.governing_conditions(call)
            structure.swallowing_handler(call)
        queried = time.perf_counter()
    finally:
        gc.enable()
    return lowered - started, queried - lowered


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="500,1000,2000,4000,8000")
    sizes = [int(s) for s in parser.parse_args().sizes.split(",")]
    print(f"{'blocks':>7} | {'py lower':>9} {'py query':>9} | {'ts lower':>9} {'ts query':>9}   (us per block)")
    for n in sizes:
        py_lower, py_query = measure(lower_python, python_source(n), "handler.py")
        ts_lower, ts_query = measure(lower_javascript, typescript_source(n), "handler.ts")
        per = 1e6 / n
        print(f"{n:>7} | {py_lower * per:>9.1f} {py_query * per:>9.1f} | {ts_lower * per:>9.1f} {ts_query * per:>9.1f}")


if __name__ == "__main__":
    main()
