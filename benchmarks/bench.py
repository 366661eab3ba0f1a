"""Throughput benchmark: lines per second for lowering, indexing and checking a tree.

Usage: python benchmarks/bench.py PATH [PATH ...] [--repeat N]

Runs the engine in one process (jobs=1, no cache) so the numbers measure the
analyser, not the machine's core count, and prints lines/s per phase and per
language: where the time goes. `benchmarks/run.py` is the side-by-side
benchmark of the command as a user runs it. Not a test: speed is measured
here, never asserted in the suite.
"""
from __future__ import annotations

import argparse
import gc
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout, not an installed copy

from lambdalint.catalog import default_catalog
from lambdalint.config import load_config
from lambdalint.discovery import discover
from lambdalint.file_lowering import lower_one as _lower_one
from lambdalint.checking import check_file as _check_file
from lambdalint.listing import read_source
from lambdalint.result import RunProblems
from lambdalint.index import ProjectIndex
from lambdalint.result import RunResult


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    config = load_config(args.paths)
    files, _ = discover(args.paths, config)
    inputs = []
    for file in files:
        text = read_source(file.path, file.display)
        if isinstance(text, str):
            inputs.append((file.display, file.language, text))
    lines = Counter()
    for _, language, text in inputs:
        lines[language.value] += text.count("\n") + 1
    print(f"{len(inputs)} files, {sum(lines.values())} lines: {dict(lines)}")

    best: dict[str, float] = {}
    for _ in range(args.repeat):
        per_language = Counter()
        gc.disable()  # as the engine does while lowering
        start = time.perf_counter()
        models = []
        for display, language, text in inputs:
            t0 = time.perf_counter()
            outcome = _lower_one(display, language, text)
            per_language[language.value] += time.perf_counter() - t0
            if not isinstance(outcome, str) and hasattr(outcome, "calls"):
                models.append(outcome)
        lowered = time.perf_counter()
        gc.freeze()  # as the engine does after lowering: the models are not walked by collections
        gc.enable()
        index = ProjectIndex(models, default_catalog())
        indexed = time.perf_counter()
        result, problems = RunResult(), RunProblems()
        for model in models:
            _check_file(model, index, config, result, problems)
        checked = time.perf_counter()
        gc.unfreeze()
        timings = {"lower": lowered - start, "index": indexed - lowered, "rules": checked - indexed,
                   "total": checked - start}
        timings.update({f"lower[{k}]": v for k, v in per_language.items()})
        for key, value in timings.items():
            best[key] = min(best.get(key, value), value)
    total_lines = sum(lines.values())
    for key, seconds in best.items():
        counted = lines[key[6:-1]] if key.startswith("lower[") else total_lines
        print(f"{key:<20} {seconds:8.2f} s  {counted / seconds:10.0f} lines/s")


if __name__ == "__main__":
    main()
