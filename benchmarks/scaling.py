"""Cost per item as a file or a project grows: the analysis must stay linear.

Usage: python benchmarks/scaling.py [--sizes 500,1000,2000,4000,8000]

Generates, for each size N, (a) one TypeScript and one Python file with N
functions that each call the next and keep a promise / coroutine, (b) one
class with N typed fields read through `this.x.send()`, and (c) a chain of N
`export *` barrel files; lowers, indexes and checks each, and prints the time
per item. Flat numbers down a column mean linear cost. Not a test: speed is
measured here, never asserted in the suite.
"""
from __future__ import annotations

import argparse
import gc
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout, not an installed copy

from lambdalint.catalog import default_catalog
from lambdalint.config import Config
from lambdalint.checking import check_file as _check_file
from lambdalint.engine import RunProblems
from lambdalint.frontends import lower
from lambdalint.index import ProjectIndex
from lambdalint.model import Language
from lambdalint.result import RunResult


def functions_ts(n: int) -> str:
    lines = [f"async function f{i}(x: number) {{ const p = f{i + 1}(x); await p; return x; }}" for i in range(n)]
    lines.append(f"async function f{n}(x: number) {{ return x; }}")
    lines.append("export const handler = async () => { await f0(1); };")
    return "\n".join(lines) + "\n"


def functions_py(n: int) -> str:
    lines = [f"async def f{i}(x):\n    p = f{i + 1}(x)\n    await p\n    return x\n" for i in range(n)]
    lines.append(f"async def f{n}(x):\n    return x\n")
    lines.append("def lambda_handler(event, context):\n    import asyncio\n    asyncio.run(f0(1))\n")
    return "\n".join(lines)


def fields_ts(n: int) -> str:
    fields = "\n".join(f"  private readonly c{i}: Client{i % 7};" for i in range(n))
    sends = "\n".join(f"    await this.c{i}.send();" for i in range(n))
    classes = "\n".join(f"class Client{k} {{ async send() {{}} }}" for k in range(7))
    return f"{classes}\nexport class Service {{\n{fields}\n  async run() {{\n{sends}\n  }}\n}}\n"


def barrels(n: int) -> list[tuple[str, str, Language]]:
    files = [(f"b{i}.ts", f"export * from './b{i + 1}';\n", Language.TYPESCRIPT) for i in range(n)]
    files.append((f"b{n}.ts", "export async function notify() {}\n", Language.TYPESCRIPT))
    files.append(("handler.ts", "import { notify } from './b0';\nexport const handler = async () => { notify(); };\n",
                  Language.TYPESCRIPT))
    return files


def measure(files: list[tuple[str, str, Language]]) -> tuple[float, float]:
    gc.collect()
    gc.disable()  # as the engine does while lowering
    try:
        return _measure(files)
    finally:
        gc.enable()


def _measure(files: list[tuple[str, str, Language]]) -> tuple[float, float]:
    start = time.perf_counter()
    models = [lower(source, path, language) for path, source, language in files]
    lowered = time.perf_counter()
    index = ProjectIndex(models, default_catalog())
    config = Config()
    result, problems = RunResult(), RunProblems()
    for model in models:
        _check_file(model, index, config, result, problems)
    return lowered - start, time.perf_counter() - lowered


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="500,1000,2000,4000,8000")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    cases = {
        "functions (ts)": lambda n: [("f.ts", functions_ts(n), Language.TYPESCRIPT)],
        "functions (py)": lambda n: [("f.py", functions_py(n), Language.PYTHON)],
        "fields (ts)": lambda n: [("s.ts", fields_ts(n), Language.TYPESCRIPT)],
        "barrel layers": barrels,
    }
    print(f"{'case':<16}{'N':>7}{'lower µs/item':>16}{'index+rules µs/item':>22}")
    for name, make in cases.items():
        for n in sizes:
            lower_s, rest_s = measure(make(n))
            print(f"{name:<16}{n:>7}{lower_s / n * 1e6:>16.1f}{rest_s / n * 1e6:>22.1f}")


if __name__ == "__main__":
    main()
