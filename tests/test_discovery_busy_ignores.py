"""Ignore files asked about many times (a monorepo's root `.gitignore`, one copied into every folder)
give the same answers as git: last match wins, `!` re-includes, directory patterns hide folders."""
from pathlib import Path

from lambdalint.config import Config
from lambdalint.discovery import discover

_IGNORE = """
# generated code
*.gen.ts
!keep.gen.ts
build/
/scratch.py
**/fixtures/**/*.js
tmp-*
!tmp-keep.py
"""


def _make(root: Path, folders: int) -> None:
    (root / ".gitignore").write_text(_IGNORE, encoding="utf-8")
    for i in range(folders):
        folder = root / f"svc{i}"
        for name in ("handler.ts", "api.gen.ts", "keep.gen.ts", "scratch.py", "tmp-a.py", "tmp-keep.py",
                     "build/out.js", "fixtures/deep/x.js", "fixtures/deep/x.py"):
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("", encoding="utf-8")
        (folder / ".gitignore").write_text(_IGNORE, encoding="utf-8")  # the same file in every folder


def test_busy_ignore_files_decide_as_git_does(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _make(tmp_path, 40)  # far more questions than it takes to join an ignore file's patterns
    (tmp_path / "scratch.py").write_text("", encoding="utf-8")
    files, warnings = discover([Path(".")], Config(root=tmp_path))
    names = sorted({Path(f.display).relative_to(Path(f.display).parts[0]).as_posix()
                    for f in files if f.display.startswith("svc")})
    # `/scratch.py` is anchored to the folder of the ignore file that says it, so each folder's own copy
    # hides its own scratch.py, and the top-level one is hidden by the root file.
    assert names == ["fixtures/deep/x.py", "handler.ts", "keep.gen.ts", "tmp-keep.py"]
    assert len(files) == 40 * 4 and warnings == []
    assert "scratch.py" not in {f.display for f in files}


def test_a_nested_ignore_file_can_re_include(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _make(tmp_path, 40)
    (tmp_path / "svc3" / ".gitignore").write_text("!api.gen.ts\n", encoding="utf-8")
    files, _ = discover([Path(".")], Config(root=tmp_path))
    svc3 = sorted(Path(f.display).name for f in files if f.display.startswith("svc3/"))
    assert svc3 == ["api.gen.ts", "handler.ts", "keep.gen.ts", "scratch.py", "tmp-keep.py", "x.py"]
