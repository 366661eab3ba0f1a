"""The side-by-side benchmark: lambdalint against the parse-only ceilings and its peers, on the same files.

Usage:
    python benchmarks/run.py --lines 100000 [--seed 0] [--repeat 3] [--json out.json] [--no-peers]
    python benchmarks/run.py --corpus PATH  [--repeat 3] [--json out.json] [--no-peers]

`--lines N` generates a deterministic serverless monorepo of about N lines
(`benchmarks/generate.py`); `--corpus PATH` takes any real tree (it is only
read). The files lambdalint would lint are copied, by language, into two
temporary projects, "python" and "jsts" (with the `.gitignore` files, templates
and manifests around them), so that editing a file and the cache never touch
the original. For each part it measures, as a user sees it (lambdalint runs as
`python -m lambdalint.cli check` in a child process):

    cold          --no-cache, default --jobs
    warm          the cache filled, nothing changed
    incremental   the cache filled, one file's code edited (a function added at its end)
    incremental_comment  the same with a comment added instead (no model changes: answered by facts)
    one_file      one named file, cache filled (the pre-commit and editor case)
    one_file_edited  the same, right after the file was edited (no run has seen that state)
    jobs1, jobs2  --no-cache --jobs 1 / --jobs 2

and, on the same files, the ceilings (tree-sitter parse only; for Python
tree-sitter-python, installed here if missing, and libcst `parse_module` only)
and the peers where they can run: `ruff --select RUF006,ASYNC` on the Python
part and typescript-eslint's type-aware `no-floating-promises` on the JS/TS
part (installed with npm into a temporary folder outside the tree).

Reports wall time (median of `--repeat`), CPU time, peak RSS of the whole
process tree (sampled from /proc, at least the largest process's maxrss),
lines/s and ratios, checks that the findings are identical across the modes,
and writes `--json FILE`. Not a test: speed is measured here, never asserted.

Two narrower tools stay beside it: `benchmarks/bench.py PATH` splits one
in-process run into phases (lowering per language, index, rules), and
`benchmarks/scaling.py` checks that cost per item stays flat as a file grows.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE))

from lambdalint.config import load_config  # noqa: E402
from lambdalint.discovery import discover, is_test_file  # noqa: E402
from lambdalint.model import Language  # noqa: E402

# Files copied next to the sources: what the rules read besides code (templates, manifests, ignore files).
_CONTEXT_FILES = frozenset({
    ".gitignore", "template.yaml", "template.yml", "template.json", "serverless.yml", "serverless.yaml",
    "package.json", "tsconfig.json", "pyproject.toml", "requirements.txt", "lambdalint.toml", "cdk.json",
    "setup.cfg", "setup.py",
})
_PAGE = os.sysconf("SC_PAGE_SIZE")
_MODES = ("cold", "warm", "incremental", "incremental_comment", "one_file", "one_file_edited", "jobs1", "jobs2")
_ESLINT_PACKAGES = ("eslint@9", "typescript-eslint@8", "typescript@5")


# ------------------------------------------------------------------ measuring
@dataclass
class Sample:
    wall: float
    cpu: float
    rss_mb: float
    returncode: int
    stdout: bytes = b""
    stderr: bytes = b""
    pss_mb: float = 0.0   # the tree's memory with shared pages counted once (see `_TreeRss`)


class _TreeRss:
    """Peaks of the summed RSS and PSS of a process and its descendants, sampled from /proc.

    RSS counts a page shared by several processes (a forked worker's inherited
    index) once per process; PSS shares it out, so the PSS sum is the memory the
    tree holds.

    Only pids at or above the root's are examined for new children (pids are handed
    out in increasing order), so sampling costs little CPU next to the measured run.
    """

    def __init__(self, root: int, interval: float = 0.02):
        self.root, self.interval = root, interval
        self.tree = {root}
        self.peak = 0
        self.peak_pss = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _scan(self) -> None:
        for name in os.listdir("/proc"):
            if name.isdigit() and int(name) > self.root and int(name) not in self.tree:
                try:
                    with open(f"/proc/{name}/stat", "rb") as handle:
                        ppid = int(handle.read().rsplit(b")", 1)[1].split()[1])
                except (OSError, ValueError, IndexError):
                    continue
                if ppid in self.tree:
                    self.tree.add(int(name))

    def _run(self) -> None:
        tick = 0
        while not self._stop.is_set():
            if tick % 5 == 0:
                self._scan()
            tick += 1
            total = pss = 0
            for pid in list(self.tree):
                try:
                    with open(f"/proc/{pid}/statm", "rb") as handle:
                        total += int(handle.read().split()[1]) * _PAGE
                    pss += _pss(pid)
                except (OSError, ValueError, IndexError):
                    if pid != self.root:
                        self.tree.discard(pid)
            self.peak = max(self.peak, total)
            self.peak_pss = max(self.peak_pss, pss)
            self._stop.wait(self.interval)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def _pss(pid: int) -> int:
    """The process's proportional set size in bytes (0 where the kernel does not tell)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as handle:
            for line in handle:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def measure(argv: list[str], cwd: Path, env: Optional[dict] = None, timeout: Optional[float] = None) -> Sample:
    """Run `argv` once; wall time, CPU of the whole tree (children reaped by it included), peak RSS."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(argv, cwd=cwd, env=env, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        sampler = _TreeRss(process.pid)
        deadline = None if timeout is None else start + timeout
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if deadline is not None and time.perf_counter() > deadline:
                process.kill()
                pid, status, usage = os.wait4(process.pid, 0)
                break
            time.sleep(0.005)
        wall = time.perf_counter() - start
        peak = sampler.stop()
        pss = sampler.peak_pss
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Sample(wall, usage.ru_utime + usage.ru_stime, max(peak, usage.ru_maxrss * 1024) / 2**20,
                      process.returncode, out.read(), err.read(), pss / 2**20)


@dataclass
class Series:
    samples: list[Sample] = field(default_factory=list)

    @property
    def wall(self) -> float:
        return statistics.median(s.wall for s in self.samples)

    @property
    def cpu(self) -> float:
        return statistics.median(s.cpu for s in self.samples)

    @property
    def rss_mb(self) -> float:
        return max(s.rss_mb for s in self.samples)

    @property
    def pss_mb(self) -> float:
        return max(s.pss_mb for s in self.samples)


# ------------------------------------------------------------------ the trees
@dataclass
class Part:
    name: str                  # "python" or "jsts"
    root: Path
    files: list[str]           # relative posix paths of the sources
    lines: int


def prepare(source: Path, work: Path) -> list[Part]:
    """Copy the files lambdalint lints in `source`, split by language, into `work/<part>`."""
    config = load_config([source])
    found, _ = discover([source], config)
    groups: dict[str, list[str]] = {"python": [], "jsts": []}
    base = os.path.realpath(source)
    for file in found:
        rel = Path(os.path.relpath(os.path.realpath(file.path), base)).as_posix()
        if rel.startswith("../"):
            continue
        groups["python" if file.language is Language.PYTHON else "jsts"].append(rel)
    context = _context_files(source)
    parts = []
    for name, files in groups.items():
        if not files:
            continue
        root = work / name
        folders = {""}
        for rel in files:
            parent = posixpath_parent(rel)
            while parent not in folders:
                folders.add(parent)
                parent = posixpath_parent(parent)
        lines = 0
        for rel in files:
            target = root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source / rel, target)
            with open(target, "rb") as handle:
                data = handle.read()
            lines += data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)
        for rel in context:
            if posixpath_parent(rel) in folders or rel.endswith(".gitignore"):
                target = root / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source / rel, target)
        parts.append(Part(name, root, files, lines))
    return parts


def posixpath_parent(rel: str) -> str:
    return rel.rsplit("/", 1)[0] if "/" in rel else ""


def _context_files(source: Path) -> list[str]:
    """Templates, manifests and ignore files below `source`, outside VCS folders and dependencies."""
    found = []
    for folder, dirs, names in os.walk(source):
        dirs[:] = [d for d in dirs if d not in (".git", "node_modules", ".lambdalint_cache", ".venv", "venv")]
        for name in names:
            if name in _CONTEXT_FILES:
                path = os.path.join(folder, name)
                if os.path.getsize(path) <= 1_000_000:
                    found.append(Path(os.path.relpath(path, source)).as_posix())
    return found


def _named_file(part: Part) -> str:
    """The file of the pre-commit and incremental cases: the middle one of those that mention a handler
    (a test file is indexed but not reported, so it would measure nothing)."""
    reported = [rel for rel in part.files if not is_test_file(rel)] or part.files
    handlers = [rel for rel in reported if b"handler" in (part.root / rel).read_bytes()]
    chosen = handlers or reported
    return chosen[len(chosen) // 2]


# ------------------------------------------------------------------ lambdalint
def _lambdalint(extra: list[str]) -> list[str]:
    return [sys.executable, "-m", "lambdalint.cli", "check", "--format", "json", *extra]


_MEASURED = [REPO]  # the checkout whose lambdalint is measured (`--lambdalint`)


def _env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(_MEASURED[0]) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.pop("LAMBDALINT_DEBUG", None)
    return env


def _findings(sample: Sample) -> list:
    if sample.returncode not in (0, 1):
        raise SystemExit(f"lambdalint failed (exit {sample.returncode}):\n{sample.stderr.decode(errors='replace')}")
    return json.loads(sample.stdout or b"[]")


def run_lambdalint(part: Part, repeat: int, log) -> dict:
    env = _env()
    shutil.rmtree(part.root / ".lambdalint_cache", ignore_errors=True)
    series: dict[str, Series] = {}
    findings: dict[str, list] = {}

    def timed(key: str, extra: list[str], before=None) -> None:
        s = series[key] = Series()
        for i in range(repeat):
            if before:
                before(i)
            sample = measure(_lambdalint(extra), part.root, env)
            findings[key] = _findings(sample)
            s.samples.append(sample)
        log(f"  {part.name:<7}{key:<16}{s.wall:8.2f} s wall {s.cpu:8.2f} s cpu {s.rss_mb:8.0f} MB RSS "
            f"{s.pss_mb:6.0f} MB PSS")

    timed("cold", [".", "--no-cache"])
    timed("jobs1", [".", "--no-cache", "--jobs", "1"])
    timed("jobs2", [".", "--no-cache", "--jobs", "2"])
    _findings(measure(_lambdalint(["."]), part.root, env))  # fills the cache
    timed("warm", ["."])
    named = _named_file(part)
    python = named.endswith((".py", ".pyi"))

    def edit(i: int) -> None:
        """A change to the code: a function no one calls, at the end (the findings stay those of cold)."""
        added = (f"\n\ndef edited_by_benchmark_{i}():\n    return {i}\n" if python
                 else f"\nfunction editedByBenchmark{i}() {{\n  return {i};\n}}\n")
        with open(part.root / named, "a", encoding="utf-8") as handle:
            handle.write(added)

    def comment(i: int) -> None:
        with open(part.root / named, "a", encoding="utf-8") as handle:
            handle.write(f"\n{'#' if python else '//'} edited by the benchmark, round {i}\n")

    timed("incremental", ["."], before=edit)
    timed("incremental_comment", ["."], before=comment)
    timed("one_file", [named])
    # Pre-commit right after an edit: no run has seen this state, so only the models are reused.
    timed("one_file_edited", [named], before=lambda i: edit(repeat + i))
    differ = [k for k in ("jobs1", "jobs2", "warm", "incremental", "incremental_comment")
              if findings[k] != findings["cold"]]
    # The same file must give the same findings however it is linted, alone or with its project.
    for key in ("one_file", "one_file_edited"):
        if findings[key] != [f for f in findings["cold"] if f["filename"] == named]:
            differ.append(key)
    return {"series": series, "findings": len(findings["cold"]), "differ": differ, "named_file": named}


# ------------------------------------------------------------------ ceilings
def _ensure_pip_package(module: str, package: str, log) -> bool:
    try:
        __import__(module)
        return True
    except ImportError:
        pass
    log(f"  installing {package} into {sys.prefix} (pip)")
    done = subprocess.run([sys.executable, "-m", "pip", "install", "-q", package], capture_output=True)
    if done.returncode != 0:
        log(f"  could not install {package}: {done.stderr.decode(errors='replace').strip()[-300:]}")
        return False
    import importlib

    importlib.invalidate_caches()
    return True


def run_ceiling(part: Part, parser: str, repeat: int) -> tuple[float, float]:
    """Median wall and CPU seconds of parsing every file of `part` with `parser` alone."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as handle:
        handle.write("\n".join(str(part.root / rel) for rel in part.files))
        listing = handle.name
    try:
        done = subprocess.run([sys.executable, str(HERE / "ceiling.py"), parser, listing, "--repeat", str(repeat)],
                              capture_output=True, check=True, env=_env())
    finally:
        os.unlink(listing)
    rounds = json.loads(done.stdout)
    return statistics.median(rounds["rounds"]), statistics.median(rounds["cpu"])


# ------------------------------------------------------------------ peers
def run_ruff(part: Part, repeat: int, log) -> Optional[Series]:
    ruff = shutil.which("ruff") or shutil.which("ruff", path=str(Path(sys.executable).parent))
    if ruff is None and _ensure_pip_package("ruff", "ruff", log):
        ruff = shutil.which("ruff", path=str(Path(sys.executable).parent))
    if ruff is None:
        log("  ruff: skipped (not installed and `pip install ruff` failed)")
        return None
    s = Series()
    for _ in range(repeat):
        s.samples.append(measure([ruff, "check", "--isolated", "--no-cache", "--select", "RUF006,ASYNC",
                                  "--exit-zero", "--output-format", "concise", "."], part.root))
    log(f"  python ruff       {s.wall:8.2f} s wall {s.cpu:8.2f} s cpu {s.rss_mb:8.0f} MB")
    return s


def _eslint_home(log) -> Optional[Path]:
    if shutil.which("npm") is None or shutil.which("node") is None:
        log("  typescript-eslint: skipped (npm or node not found)")
        return None
    home = Path(tempfile.gettempdir()) / "lambdalint-bench-eslint"
    if (home / "node_modules" / "typescript-eslint").is_dir():
        return home
    home.mkdir(parents=True, exist_ok=True)
    (home / "package.json").write_text('{"name": "bench-eslint", "private": true}\n', encoding="utf-8")
    log(f"  installing {' '.join(_ESLINT_PACKAGES)} into {home} (npm)")
    done = subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--loglevel=error", *_ESLINT_PACKAGES],
                          cwd=home, capture_output=True)
    if done.returncode != 0:
        log(f"  typescript-eslint: skipped (npm install failed: {done.stderr.decode(errors='replace').strip()[-300:]})")
        return None
    return home


def run_eslint(part: Part, timeout: float, log) -> Optional[dict]:
    home = _eslint_home(log)
    if home is None:
        return None
    (part.root / "tsconfig.lambdalint-bench.json").write_text(json.dumps({
        "compilerOptions": {"allowJs": True, "checkJs": False, "noEmit": True, "jsx": "preserve",
                            "target": "es2022", "module": "esnext", "moduleResolution": "bundler",
                            "skipLibCheck": True, "strict": False, "types": []},
        "include": ["**/*"], "exclude": ["**/node_modules", ".lambdalint_cache"]}), encoding="utf-8")
    (part.root / "eslint.config.mjs").write_text(f"""import {{ createRequire }} from 'node:module';
const require = createRequire({json.dumps(str(home / 'package.json'))});
const tseslint = require('typescript-eslint');
export default [
  {{ ignores: ['**/node_modules/**', '.lambdalint_cache/**', '**/*.d.ts', 'eslint.config.mjs'] }},
  {{
    files: ['**/*.{{ts,tsx,mts,cts,js,mjs,cjs,jsx}}'],
    languageOptions: {{
      parser: tseslint.parser,
      parserOptions: {{ project: './tsconfig.lambdalint-bench.json', tsconfigRootDir: import.meta.dirname,
                       ecmaFeatures: {{ jsx: true }} }},
    }},
    plugins: {{ '@typescript-eslint': tseslint.plugin }},
    linterOptions: {{ reportUnusedDisableDirectives: 'off' }},
    rules: {{ '@typescript-eslint/no-floating-promises': 'error' }},
  }},
];
""", encoding="utf-8")
    report = part.root.parent / "eslint-report.json"
    eslint = home / "node_modules" / "eslint" / "bin" / "eslint.js"
    try:
        sample = measure(["node", "--max-old-space-size=16384", str(eslint), "--no-inline-config", "--format", "json",
                          "--output-file", str(report), "."], part.root, timeout=timeout)
    finally:
        for name in ("tsconfig.lambdalint-bench.json", "eslint.config.mjs"):
            (part.root / name).unlink(missing_ok=True)
    if sample.returncode not in (0, 1):
        log(f"  typescript-eslint: failed (exit {sample.returncode} after {sample.wall:.0f} s): "
            f"{sample.stderr.decode(errors='replace').strip()[-300:]}")
        return None
    results = json.loads(report.read_text(encoding="utf-8"))
    floating = sum(1 for r in results for m in r["messages"] if m.get("ruleId") == "@typescript-eslint/no-floating-promises")
    fatal = sum(1 for r in results for m in r["messages"] if m.get("fatal"))
    log(f"  jsts    eslint    {sample.wall:8.2f} s wall {sample.cpu:8.2f} s cpu {sample.rss_mb:8.0f} MB "
        f"({floating} floating promises, {fatal} files it could not parse)")
    return {"wall": sample.wall, "cpu": sample.cpu, "rss_mb": sample.rss_mb, "findings": floating, "unparsed": fatal}


# ------------------------------------------------------------------ report
def summarise(part: Part, lint: dict, ceilings: dict, ruff: Optional[Series], eslint: Optional[dict]) -> dict:
    s = lint["series"]
    ceiling, ceiling_cpu = ceilings.get("tree-sitter", (0.0, 0.0))
    libcst, libcst_cpu = ceilings.get("libcst", (None, None))
    out = {"files": len(part.files), "lines": part.lines}
    for key in _MODES:
        out[f"{key}_s"] = round(s[key].wall, 3)
    out["ceiling_s"] = round(ceiling, 3)
    if libcst is not None:
        out["libcst_parse_s"] = round(libcst, 3)
    out["ceiling_cpu_s"] = round(ceiling_cpu, 3)
    if libcst is not None:
        out["libcst_parse_cpu_s"] = round(libcst_cpu, 3)
    out["peak_rss_mb"] = round(s["cold"].rss_mb, 1)
    out["peak_pss_mb"] = round(s["cold"].pss_mb, 1)
    for key in _MODES:
        out[f"{key}_cpu_s"] = round(s[key].cpu, 3)
        out[f"{key}_rss_mb"] = round(s[key].rss_mb, 1)
    out["lines_per_s"] = {k: round(part.lines / s[k].wall) for k in ("cold", "jobs1", "jobs2")}
    ratios = {
        "cold_over_ceiling": s["cold"].wall / ceiling if ceiling else None,
        "jobs1_over_ceiling": s["jobs1"].wall / ceiling if ceiling else None,
        "warm_over_cold": s["warm"].wall / s["cold"].wall,
        "incremental_over_cold": s["incremental"].wall / s["cold"].wall,
        "incremental_comment_over_cold": s["incremental_comment"].wall / s["cold"].wall,
        "one_file_over_cold": s["one_file"].wall / s["cold"].wall,
        "one_file_edited_over_cold": s["one_file_edited"].wall / s["cold"].wall,
        "jobs2_speedup": s["jobs1"].wall / s["jobs2"].wall,
    }
    if ceiling_cpu:
        ratios["jobs1_cpu_over_ceiling_cpu"] = s["jobs1"].cpu / ceiling_cpu
    if libcst:
        ratios["jobs1_over_libcst"] = s["jobs1"].wall / libcst
        ratios["jobs1_cpu_over_libcst_cpu"] = s["jobs1"].cpu / libcst_cpu
    ratios["warm_cpu_over_cold_cpu"] = s["warm"].cpu / s["jobs1"].cpu
    ratios["incremental_cpu_over_cold_cpu"] = s["incremental"].cpu / s["jobs1"].cpu
    ratios["one_file_cpu_over_cold_cpu"] = s["one_file"].cpu / s["jobs1"].cpu
    if ruff is not None:
        out["ruff_s"] = round(ruff.wall, 3)
        out["ruff_peak_mb"] = round(ruff.rss_mb, 1)
        ratios["cold_over_ruff"] = s["cold"].wall / ruff.wall
    if eslint is not None:
        out["eslint_typed_s"] = round(eslint["wall"], 3)
        out["eslint_peak_mb"] = round(eslint["rss_mb"], 1)
        out["eslint_findings"] = eslint["findings"]
        ratios["eslint_over_cold"] = eslint["wall"] / s["cold"].wall
        ratios["eslint_memory_over_cold"] = eslint["rss_mb"] / s["cold"].rss_mb
    out["ratios"] = {k: (round(v, 3) if v is not None else None) for k, v in ratios.items()}
    out["findings"] = lint["findings"]
    out["findings_identical"] = not lint["differ"]
    out["findings_differ_in"] = lint["differ"]  # the modes whose findings are not those of the cold run
    out["named_file"] = lint["named_file"]
    return out


def print_table(results: dict) -> None:
    names = list(results)
    rows = [("files", "files", "{:.0f}"), ("lines", "lines", "{:.0f}")]
    rows += [(f"{k}_s", f"{k} (s)", "{:.2f}") for k in _MODES]
    rows += [("ceiling_s", "tree-sitter parse only (s)", "{:.2f}"), ("libcst_parse_s", "libcst parse only (s)", "{:.2f}"),
             ("ceiling_cpu_s", "tree-sitter parse CPU (s)", "{:.2f}"),
             ("libcst_parse_cpu_s", "libcst parse CPU (s)", "{:.2f}"),
             ("cold_cpu_s", "cold CPU (s)", "{:.2f}"), ("jobs1_cpu_s", "jobs1 CPU (s)", "{:.2f}"),
             ("warm_cpu_s", "warm CPU (s)", "{:.2f}"), ("incremental_cpu_s", "incremental CPU (s)", "{:.2f}"),
             ("one_file_cpu_s", "one_file CPU (s)", "{:.2f}"), ("peak_rss_mb", "cold peak RSS, tree (MB)", "{:.0f}"),
             ("peak_pss_mb", "cold peak PSS, tree (MB)", "{:.0f}"),
             ("jobs1_rss_mb", "jobs1 peak RSS (MB)", "{:.0f}"), ("jobs2_rss_mb", "jobs2 peak RSS (MB)", "{:.0f}"),
             ("ruff_s", "ruff RUF006,ASYNC (s)", "{:.2f}"), ("eslint_typed_s", "eslint typed (s)", "{:.1f}"),
             ("eslint_peak_mb", "eslint peak RSS (MB)", "{:.0f}"), ("findings", "findings", "{:.0f}")]
    width = 30
    print("\n" + "".ljust(width) + "".join(n.rjust(14) for n in names))
    for key, label, fmt in rows:
        if any(key in results[n] for n in names):
            print(label.ljust(width) + "".join((fmt.format(results[n][key]) if key in results[n] else "—").rjust(14)
                                               for n in names))
    print("lines/s cold".ljust(width) + "".join(f"{results[n]['lines_per_s']['cold']:,}".rjust(14) for n in names))
    ratio_keys = sorted({k for n in names for k in results[n]["ratios"]})
    for key in ratio_keys:
        print(key.ljust(width) + "".join((f"{results[n]['ratios'][key]:.2f}×" if results[n]["ratios"].get(key)
                                          is not None else "—").rjust(14) for n in names))
    print("findings differ from cold in".ljust(width)
          + "".join((",".join(results[n]["findings_differ_in"]) or "none").rjust(14) for n in names))


def main() -> None:
    parser = argparse.ArgumentParser(description="lambdalint side by side with the parse ceilings and its peers.")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--lines", type=int, help="generate a monorepo of about N lines")
    source.add_argument("--corpus", type=Path, help="benchmark a real tree (only read)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3, help="rounds per measurement; the median is reported")
    parser.add_argument("--json", type=Path, help="write the results to FILE")
    parser.add_argument("--no-peers", action="store_true", help="skip ruff and typescript-eslint")
    parser.add_argument("--eslint-timeout", type=float, default=1800.0)
    parser.add_argument("--keep", action="store_true", help="keep the temporary trees and print where")
    parser.add_argument("--lambdalint", type=Path, default=REPO,
                        help="measure the lambdalint of this checkout (default: this one), e.g. to compare two")
    args = parser.parse_args()
    _MEASURED[0] = args.lambdalint.resolve()

    def log(message: str) -> None:
        print(message, flush=True)

    work = Path(tempfile.mkdtemp(prefix="lambdalint-bench-"))
    started = time.perf_counter()
    try:
        if args.lines:
            import generate

            source_root = work / "generated"
            manifest = generate.generate(args.lines, args.seed)
            generate.write(manifest, source_root)
            log(f"generated {len(manifest.files)} files, {manifest.lines} lines, {len(manifest.bugs)} planted bugs "
                f"(seed {args.seed})")
        else:
            source_root = args.corpus.resolve()
        parts = prepare(source_root, work / "parts")
        for part in parts:
            log(f"{part.name}: {len(part.files)} files, {part.lines} lines")
        results = {}
        for part in parts:
            lint = run_lambdalint(part, args.repeat, log)
            ceilings = {}
            if part.name != "python" or _ensure_pip_package("tree_sitter_python", "tree-sitter-python", log):
                ceilings["tree-sitter"] = run_ceiling(part, "tree-sitter", args.repeat)
            if part.name == "python":
                ceilings["libcst"] = run_ceiling(part, "libcst", args.repeat)
            log(f"  {part.name:<7}ceilings    " + ", ".join(f"{k} {w:.2f} s wall {c:.2f} s cpu"
                                                          for k, (w, c) in ceilings.items()))
            ruff = eslint = None
            if args.no_peers:
                log(f"  {part.name:<7}peers: skipped (--no-peers)")
            elif part.name == "python":
                ruff = run_ruff(part, args.repeat, log)
            else:
                eslint = run_eslint(part, args.eslint_timeout, log)
            results[part.name] = summarise(part, lint, ceilings, ruff, eslint)
        results["machine"] = {"cpus": os.cpu_count(), "python": sys.version.split()[0], "lambdalint": str(_MEASURED[0]),
                              "source": f"--lines {args.lines} --seed {args.seed}" if args.lines else str(args.corpus),
                              "repeat": args.repeat, "seconds": round(time.perf_counter() - started, 1)}
        print_table({k: v for k, v in results.items() if k != "machine"})
        log(f"\n{results['machine']['seconds']} s in all, {os.cpu_count()} cores, "
            f"load average {os.getloadavg()[0]:.1f} at the end")
        if args.json:
            args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    finally:
        if args.keep:
            log(f"trees kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
