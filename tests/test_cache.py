"""The model cache: only ever data, verified on load, rebuilt when it does not verify, and pruned."""
from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import pickle
import shutil
import time
from typing import Optional
from pathlib import Path

import pytest
from click.testing import CliRunner

from lambdalint import __version__, cache, codec, file_lowering, run_cache
from lambdalint.cli import main
from lambdalint.config import Config
from lambdalint.discovery import discover
from lambdalint.frontends import lower
from lambdalint.model import ArgKind, Binding, FileModel, Language, Span

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def demo(tmp_path, monkeypatch):
    """A copy of the demo project (its own `lambdalint.toml` makes it the project root), as the cwd."""
    root = tmp_path / "demo"
    shutil.copytree(EXAMPLES, root, ignore=shutil.ignore_patterns(".lambdalint_cache"))  # a user's own run left one
    monkeypatch.chdir(root)
    return root


@pytest.fixture
def models_only(monkeypatch):
    """The findings cache out of the way: every run analyses, so it loads (and prunes) models."""
    monkeypatch.setattr(run_cache.RunCache, "load", lambda self: None)


@pytest.fixture
def lowered(monkeypatch, models_only):
    """How many files the runs parsed (one process, so every parse passes through here)."""
    calls = []
    real = file_lowering.lower_one

    def counting(display, language, source):
        calls.append(display)
        return real(display, language, source)
    monkeypatch.setattr(file_lowering, "lower_one", counting)
    return calls


def check(*args: str):
    result = CliRunner().invoke(main, ["check", "--jobs", "1", "--format", "json", *args], catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def source_count(root: Path) -> int:
    return len(discover([root], Config(root=root))[0])


def cache_files(root: Path, folder: Optional[Path] = None) -> list[Path]:
    return sorted(p for p in (folder or root / ".lambdalint_cache").rglob("*") if p.is_file())


def entries(root: Path, folder: Optional[Path] = None) -> list[Path]:
    """The model entries (the findings of whole runs live in `runs/`)."""
    return [p for p in cache_files(root, folder) if p.suffix == ".json" and p.parent.name != run_cache.FOLDER]


# ------------------------------------------------------------------ safety
class _Plant:
    """Unpickling this creates a file: the proof that loading ran code."""

    def __init__(self, marker: Path):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


def test_planted_pickles_never_run_and_change_nothing(demo, tmp_path, lowered):
    first = check(".")
    assert first and lowered
    written = cache_files(demo)
    assert len(entries(demo)) == source_count(demo)
    marker = tmp_path / "owned"
    payload = pickle.dumps(_Plant(marker))
    for path in written:
        path.write_bytes(payload)
    # Also where the pickle cache of earlier releases looked, which anyone can compute from a file's content.
    for file in discover([demo], Config(root=demo))[0]:
        source = file.path.read_text(encoding="utf-8")
        digest = hashlib.sha256(f"{file.display}\0{file.language.value}\0".encode() + source.encode()).hexdigest()
        old = demo / ".lambdalint_cache" / __version__ / f"{digest}.pickle"
        old.parent.mkdir(parents=True, exist_ok=True)
        old.write_bytes(payload)
    lowered.clear()
    assert check(".") == first
    assert not marker.exists()
    assert len(lowered) == source_count(demo)   # every planted entry was ignored and rebuilt
    assert not (demo / ".lambdalint_cache" / __version__).exists()   # the old format is removed, unread
    lowered.clear()
    assert check(".") == first and lowered == []  # and the rebuilt entries are good again
    assert not marker.exists()


def entry_parts(path: Path) -> tuple[dict, list]:
    """An entry's two lines of JSON: what it was built from (and its facts digest), and the model."""
    head, model = path.read_text(encoding="ascii").split("\n")
    return json.loads(head), json.loads(model)


def write_entry(path: Path, head, model) -> None:
    path.write_text(json.dumps(head) + "\n" + json.dumps(model))


def test_entries_are_plain_json_with_what_they_were_built_from(demo):
    check(".")
    for path in entries(demo):
        head, model = entry_parts(path)
        header = head["header"]
        assert header["code"] == cache.code_hash() and header["format"] == cache.FORMAT
        assert len(header["source"]) == 64 and header["language"] in {"python", "javascript", "typescript"}
        assert len(head["facts"]) == 64 and type(model) is list


def test_cache_folder_is_marked_as_a_cache(demo):
    check(".")
    folder = demo / ".lambdalint_cache"
    assert "*" in (folder / ".gitignore").read_text().splitlines()
    assert (folder / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55")
    assert not [p for p in folder.rglob("*.tmp")]   # writes are atomic: nothing half-written is left


def test_warm_run_parses_nothing(demo, lowered):
    first = check(".")
    lowered.clear()
    assert check(".") == first and lowered == []
    # One file changed: only that one is parsed again.
    app = demo / "orders_py" / "app.py"
    app.write_text(app.read_text() + "\n# touched\n")
    assert check(".") == first and lowered == ["orders_py/app.py"]


def test_entry_of_another_build_is_rebuilt(demo, lowered, monkeypatch):
    """An older lambdalint (a model without today's fields) wrote the cache: its entries are not used."""
    with monkeypatch.context() as patch:
        patch.setattr(cache, "code_hash", lambda: "0" * 64)
        first = check(".")
    lowered.clear()
    assert check(".") == first
    assert len(lowered) == source_count(demo)
    assert (demo / ".lambdalint_cache" / ("0" * 32)).is_dir()   # kept for a while: two installs may take turns


def test_entry_that_does_not_decode_is_rebuilt(demo, lowered):
    first = check(".")
    paths = entries(demo)
    broken = [
        lambda h, m: (h, m[:-1]),                                        # a field missing (older model)
        lambda h, m: (h, m + [0]),                                       # a field too many
        lambda h, m: (h, ["x"] * len(m)),                                # wrong types
        lambda h, m: ({**h, "header": {**h["header"], "source": "0" * 64}}, m),  # built from other source
        lambda h, m: ({**h, "header": {**h["header"], "settings": "x"}}, m),     # built with other settings
        lambda h, m: ({**h, "facts": "not a digest"}, m),
        lambda h, m: (None, m),
    ]
    for i, path in enumerate(paths):
        write_entry(path, *broken[i % len(broken)](*entry_parts(path)))
    lowered.clear()
    assert check(".") == first and len(lowered) == len(paths)


def test_entry_copied_under_another_files_name_is_not_trusted(demo, lowered):
    first = check(".")
    paths = entries(demo)
    data = [p.read_bytes() for p in paths]
    for path, other in zip(paths, data[1:] + data[:1]):
        path.write_bytes(other)
    lowered.clear()
    assert check(".") == first and len(lowered) == len(paths)


@pytest.mark.parametrize("junk", [b"", b"{", b"null", b"[" * 100000 + b"]" * 100000, "\u00ff".encode("latin-1"),
                                  b'{"header": 1, "model": 2}'])
def test_junk_entries_are_ignored(demo, junk, lowered):
    first = check(".")
    for path in entries(demo):
        path.write_bytes(junk)
    lowered.clear()
    assert check(".") == first and len(lowered) == source_count(demo)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_planted_fifo_or_link_is_not_read(demo, tmp_path, lowered):
    first = check(".")
    paths = entries(demo)
    elsewhere = tmp_path / "elsewhere.json"
    shutil.copy(paths[0], elsewhere)
    for i, path in enumerate(paths):
        path.unlink()
        if i % 2:
            os.mkfifo(path)                    # reading it would block for ever
        else:
            path.symlink_to(elsewhere)
    lowered.clear()
    assert check(".") == first and len(lowered) == len(paths)


def test_a_cache_folder_that_is_a_link_is_not_written_through(demo, tmp_path):
    target = tmp_path / "victim"
    target.mkdir()
    (target / "keep.json").write_text("{}")
    top = demo / ".lambdalint_cache"
    top.mkdir()
    (top / cache.code_hash()[:32]).symlink_to(target)
    check(".")
    assert sorted(p.name for p in target.iterdir()) == ["keep.json"]


# ------------------------------------------------------------------ settings
def test_no_cache_writes_nothing(demo):
    result = CliRunner().invoke(main, ["check", "--no-cache", "."])
    assert result.exit_code == 1
    assert not (demo / ".lambdalint_cache").exists()
    (demo / "lambdalint.toml").write_text("cache = false\n")
    CliRunner().invoke(main, ["check", "."])
    assert not (demo / ".lambdalint_cache").exists()


def test_cache_dir_setting(demo, lowered):
    (demo / "lambdalint.toml").write_text('cache-dir = "build/lint-cache"\n')
    first = check(".")
    assert not (demo / ".lambdalint_cache").exists()
    folder = demo / "build" / "lint-cache"
    assert (folder / "CACHEDIR.TAG").is_file() and len(entries(demo, folder)) == source_count(demo)
    lowered.clear()
    assert check(".") == first and lowered == []
    for bad in ("3", '"."', '".."', '"orders_js/.."'):
        (demo / "lambdalint.toml").write_text(f"cache-dir = {bad}\n")
        result = CliRunner().invoke(main, ["check", "."])
        assert result.exit_code == 2 and "cache-dir" in result.stderr, bad
    assert not (demo / ".gitignore").exists() and not (demo.parent / ".gitignore").exists()


# ------------------------------------------------------------------ pruning
def _age(path: Path, days: float) -> None:
    then = time.time() - days * 24 * 3600
    os.utime(path, (then, then))


def test_old_builds_and_stale_entries_are_pruned(demo, monkeypatch, models_only):
    check(".")
    top = demo / ".lambdalint_cache"
    current = top / cache.code_hash()[:32]
    used = {p.name for p in current.iterdir()}
    builds = []
    for i in range(4):
        build = top / (f"{i}" * 32)
        build.mkdir()
        (build / ("a" * 64 + ".json")).write_text("{}")
        _age(build, 0.1 * (i + 1))
        builds.append(build)
    ancient = top / ("e" * 32)
    ancient.mkdir()
    _age(ancient, 30)
    foreign = top / "not-ours"
    foreign.mkdir()
    stale = current / ("b" * 64 + ".json")
    stale.write_text("{}")
    _age(stale, 30)
    recent = current / ("c" * 64 + ".json")
    recent.write_text("{}")
    notes = current / "notes.txt"
    notes.write_text("mine")
    _age(notes, 30)
    check(".")
    assert [b.exists() for b in builds] == [True, True, False, False]   # the two most recent other builds stay
    assert not ancient.exists() and foreign.exists()
    assert not stale.exists() and recent.exists() and notes.exists()
    assert used <= {p.name for p in current.iterdir()}


def test_unused_entries_are_bounded(demo, monkeypatch, models_only):
    monkeypatch.setattr(cache, "SPARE_ENTRIES", 3)
    check(".")
    current = demo / ".lambdalint_cache" / cache.code_hash()[:32]
    used = {p.name for p in current.iterdir()}
    for i in range(40):
        (current / (f"{i:02d}" + "d" * 62 + ".json")).write_text("{}")
    check(".")
    names = {p.name for p in current.iterdir()}
    assert used <= names and len(names - used) == max(3, len(used))


def test_a_tmp_file_left_by_a_killed_run_is_removed(demo, models_only):
    check(".")
    current = demo / ".lambdalint_cache" / cache.code_hash()[:32]
    left = current / ".abc.tmp"
    left.write_text("half")
    _age(left, 1)
    check(".")
    assert not left.exists()


# ------------------------------------------------------------------ the codec
def _fixture_models():
    for path in sorted(FIXTURES.rglob("*")):
        if path.suffix in {".py", ".js", ".ts", ".tsx", ".mjs", ".cjs", ".mts", ".cts", ".jsx"}:
            language = Language.PYTHON if path.suffix == ".py" else Language.TYPESCRIPT
            yield lower(path.read_text(encoding="utf-8"), path.as_posix(), language)


def test_every_fixture_model_survives_the_round_trip():
    encode, decode = codec.encoder(FileModel), codec.decoder(FileModel)
    models = list(_fixture_models())
    assert len(models) > 100
    for model in models:
        assert decode(json.loads(json.dumps(encode(model)))) == model


def test_literals_json_has_no_word_for():
    source = 'send(b"\\x00\\xff", 2j, 1e999, 1000000000000000000000000000000)\nx = b"k"\n'
    model = lower(source, "a.py", Language.PYTHON)
    back = codec.decoder(FileModel)(json.loads(json.dumps(codec.encoder(FileModel)(model))))
    assert back == model
    assert [a.value for a in back.calls[0].args] == [b"\x00\xff", 2j, float("inf"), 10**30]



def test_a_value_the_format_cannot_carry_is_not_cached(tmp_path):
    store = cache.ModelCache(tmp_path, "s")
    for value in (object(), 10 ** 5000):   # the second is longer than Python turns into text
        model = FileModel("a.py", Language.PYTHON, bindings=[Binding("x", Span(1, 1, 1, 2), None, "assign",
                                                                      value_literal=value)])
        assert file_lowering.encode(model, "x = 1\n") is None   # (so the file is lowered every time)
    good = FileModel("a.py", Language.PYTHON, calls=[], bindings=[])
    body, facts = file_lowering.encode(good, "x = 1\n")
    store.put("a.py", Language.PYTHON, "x = 1\n", body, facts)
    assert store.get("b.py", Language.PYTHON, "x = 1\n") == dataclasses.replace(good, path="b.py")
    assert store.facts("b.py", Language.PYTHON, "x = 1\n") == facts


def test_the_encoding_follows_the_model_fields(tmp_path):
    """A field added to the model changes the schema and the code hash, so old entries are not used."""
    def schema(*extra):
        return codec.schema_fingerprint(dataclasses.make_dataclass("Model", [("span", Span), *extra]))
    assert schema() == schema() != schema(("kind", ArgKind, dataclasses.field(default=ArgKind.OTHER)))
    before = codec.schema_fingerprint(FileModel)
    package = Path(cache.__file__).resolve().parent
    copy = tmp_path / "lambdalint"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__"))
    assert cache.code_digest(copy, before) == cache.code_digest(package, before)
    model_py = copy / "model.py"
    model_py.write_text(model_py.read_text().replace(
        "    line_count: int = 0", "    new_field: int = 0\n    line_count: int = 0"))
    assert cache.code_digest(copy, before) != cache.code_digest(package, before)


def test_entries_are_rebuilt_when_a_setting_that_affects_lowering_changes(demo, lowered, monkeypatch):
    monkeypatch.setattr(cache, "LOWERING_SETTINGS", ("allow_void",))
    first = check(".")
    lowered.clear()
    assert check(".") == first and lowered == []
    (demo / "lambdalint.toml").write_text("allow-void = true\n")
    check(".")
    assert len(lowered) == source_count(demo)


def test_reinstalling_a_parser_invalidates_models_and_findings(tmp_path, monkeypatch):
    """A parser is known by its installed entry file: a new release (a rewritten file) is a new cache key."""
    from importlib.machinery import ModuleSpec

    from lambdalint import cache_files

    entry = tmp_path / "site-packages" / "libcst" / "__init__.py"
    entry.parent.mkdir(parents=True)
    entry.write_text("__version__ = '1.0'\n")
    real_find_spec = cache_files.find_spec

    def find_spec(name):
        if name == "libcst":
            return ModuleSpec(name, None, origin=str(entry))
        return real_find_spec(name)

    monkeypatch.setattr(cache_files, "find_spec", find_spec)

    def key() -> str:
        digest = hashlib.sha256()
        cache_files.add_parser_versions(digest)
        return digest.hexdigest()

    before = key()
    assert key() == before
    entry.write_text("__version__ = '1.1.0'\n")
    assert key() != before
    entry.unlink()
    assert key() != before  # removed: "?", not the old identity
