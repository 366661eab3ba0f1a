"""Parse-only ceilings: how long the parsers alone take on a list of files.

Usage: python benchmarks/ceiling.py {tree-sitter,libcst} FILE_LIST [--repeat N]

FILE_LIST holds one path a line. The files are read once, untimed; then every
file is parsed, `--repeat` times; prints the wall and CPU seconds of each round as JSON.
`tree-sitter` picks the grammar by suffix (Python needs `tree-sitter-python`).
Run by `benchmarks/run.py` in a child process, so one parser's memory does not
weigh on the next measurement.
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import time


def _tree_sitter_parsers():
    import tree_sitter
    import tree_sitter_javascript
    import tree_sitter_typescript

    languages = {"typescript": tree_sitter_typescript.language_typescript(),
                 "tsx": tree_sitter_typescript.language_tsx(),
                 "javascript": tree_sitter_javascript.language()}
    try:
        import tree_sitter_python

        languages["python"] = tree_sitter_python.language()
    except ImportError:
        pass
    return {name: tree_sitter.Parser(tree_sitter.Language(lang)) for name, lang in languages.items()}


_GRAMMAR = {".py": "python", ".pyi": "python", ".ts": "typescript", ".mts": "typescript", ".cts": "typescript",
            ".tsx": "tsx", ".js": "javascript", ".mjs": "javascript", ".cjs": "javascript", ".jsx": "javascript"}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("parser", choices=("tree-sitter", "libcst"))
    parser.add_argument("file_list")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with open(args.file_list, encoding="utf-8") as handle:
        paths = [line.rstrip("\n") for line in handle if line.strip()]
    data = []
    for path in paths:
        with open(path, "rb") as handle:
            data.append((os.path.splitext(path)[1].lower(), handle.read()))
    rounds, cpu = [], []
    failed = 0
    if args.parser == "tree-sitter":
        parsers = _tree_sitter_parsers()
        jobs = [(parsers[_GRAMMAR[suffix]], raw) for suffix, raw in data if _GRAMMAR[suffix] in parsers]
        for _ in range(args.repeat):
            start, start_cpu = time.perf_counter(), time.process_time()
            for ts_parser, raw in jobs:
                ts_parser.parse(raw)
            rounds.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        failed = len(data) - len(jobs)
    else:
        import libcst

        texts = [raw.decode("utf-8", "replace") for _, raw in data]
        gc.disable()  # as lambdalint does while lowering: libcst's many short-lived nodes
        for _ in range(args.repeat):
            failed = 0
            start, start_cpu = time.perf_counter(), time.process_time()
            for text in texts:
                try:
                    libcst.parse_module(text)
                except Exception:  # noqa: BLE001 - a file libcst cannot read still cost its time
                    failed += 1
            rounds.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
            gc.collect()
    print(json.dumps({"rounds": rounds, "cpu": cpu, "files": len(paths), "failed": failed}))


if __name__ == "__main__":
    main()
