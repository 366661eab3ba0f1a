import os
from pathlib import Path

import pytest

from lambdalint.config import Config
from lambdalint.discovery import discover, is_test_file, language_for
from lambdalint.model import Language


def touch(root: Path, *names: str) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("", encoding="utf-8")


@pytest.fixture
def repo(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def found(paths, config=None):
    files, warnings = discover([Path(p) for p in paths], config or Config(root=Path.cwd()))
    return [f.display for f in files], warnings


def test_languages_by_suffix():
    assert language_for("a.py") is Language.PYTHON and language_for("a.pyi") is Language.PYTHON
    for name in ("a.js", "a.mjs", "a.cjs", "a.jsx"):
        assert language_for(name) is Language.JAVASCRIPT
    for name in ("a.ts", "a.mts", "a.cts", "a.TSX"):
        assert language_for(name) is Language.TYPESCRIPT
    assert language_for("README.md") is None and language_for("Makefile") is None


def test_walk_finds_sources_sorted_with_languages(repo):
    touch(repo, "src/b.ts", "src/a.py", "src/c.mjs", "README.md", "src/data.json")
    files, warnings = discover([Path(".")], Config(root=repo))
    assert [f.display for f in files] == ["src/a.py", "src/b.ts", "src/c.mjs"]
    assert [f.language for f in files] == [Language.PYTHON, Language.TYPESCRIPT, Language.JAVASCRIPT]
    assert not any(f.explicit for f in files) and warnings == []
    assert files[0].path == Path("src/a.py")


def test_declaration_files_are_skipped(repo):
    touch(repo, "types/index.d.ts", "types/mod.d.mts", "src/handler.ts")
    assert found(["."]) == (["src/handler.ts"], [])
    assert found(["types/index.d.ts"]) == ([], [])


def test_default_excludes(repo):
    touch(repo, "src/app.ts", "node_modules/pkg/index.js", "cdk.out/asset.123/index.js",
          ".aws-sam/build/Fn/app.py", "dist/app.js", "packages/api/build/out.js",
          ".serverless/x.js", "services/a/node_modules/x/y.ts", "docs/js/vendor.min.js")
    assert found(["."])[0] == ["src/app.ts"]


def test_virtualenv_under_any_name_is_skipped(repo):
    touch(repo, "handler.py", "py311/pyvenv.cfg", "py311/lib/python3.11/site-packages/boto3/session.py",
          "py311/bin/activate_this.py")
    assert found(["."])[0] == ["handler.py"]


def test_vendored_packages_are_skipped(repo):
    """`pip install -t layer/python` leaves *.dist-info folders beside third-party code."""
    touch(repo, "handler.py", "layer/python/requests/api.py", "layer/python/requests-2.32.dist-info/METADATA",
          "layer/python/own.py", "src/lib/helpers.py")
    assert found(["."])[0] == ["handler.py", "src/lib/helpers.py"]


def test_root_and_nested_gitignore(repo):
    (repo / ".gitignore").write_text("*.gen.ts\n/tmp/\n")
    (repo / "svc").mkdir()
    (repo / "svc" / ".gitignore").write_text("fixtures/\n!keep.gen.ts\n")
    touch(repo, "a.ts", "a.gen.ts", "tmp/x.py", "svc/tmp/y.py", "svc/fixtures/z.ts",
          "svc/keep.gen.ts", "svc/other.gen.ts", "other/fixtures/w.ts")
    assert found(["."])[0] == ["a.ts", "other/fixtures/w.ts", "svc/keep.gen.ts", "svc/tmp/y.py"]


def test_gitignore_above_the_walked_folder_applies(repo):
    (repo / ".git").mkdir()
    (repo / ".gitignore").write_text("generated/\n")
    touch(repo, "svc/generated/a.ts", "svc/b.ts")
    assert found(["svc"])[0] == ["svc/b.ts"]


def test_git_info_exclude_applies(repo):
    (repo / ".git" / "info").mkdir(parents=True)
    (repo / ".git" / "info" / "exclude").write_text("scratch.py\n")
    touch(repo, "scratch.py", "main.py")
    assert found(["."])[0] == ["main.py"]


def test_gitignore_can_be_turned_off(repo):
    (repo / ".gitignore").write_text("*.gen.ts\n")
    touch(repo, "a.gen.ts")
    assert found(["."], Config(root=repo, respect_gitignore=False))[0] == ["a.gen.ts"]


def test_configured_excludes_are_relative_to_root(repo):
    touch(repo, "src/legacy/old.py", "lib/legacy/kept.py", "src/gen/x.ts", "src/app.py")
    config = Config(root=repo, extend_exclude=["src/legacy", "gen/"])
    assert found(["."], config)[0] == ["lib/legacy/kept.py", "src/app.py"]
    # the same result when only a subfolder is walked
    assert found(["src"], config)[0] == ["src/app.py"]


def test_explicit_file_is_linted_even_if_excluded_or_ignored(repo):
    (repo / ".gitignore").write_text("ignored.py\n")
    touch(repo, "node_modules/lib/index.js", "ignored.py")
    files, warnings = discover([Path("node_modules/lib/index.js"), Path("ignored.py")], Config(root=repo))
    assert [f.display for f in files] == ["ignored.py", "node_modules/lib/index.js"]
    assert all(f.explicit for f in files) and warnings == []


def test_explicit_excluded_folder_is_walked(repo):
    touch(repo, "dist/app.js", "dist/node_modules/x.js")
    assert found(["dist"])[0] == ["dist/app.js"]


def test_explicit_gitignored_folder_is_walked(repo):
    (repo / ".gitignore").write_text("out/\n")
    touch(repo, "out/sub/a.ts", "out/.gitignore", "out/b.ts")
    (repo / "out" / ".gitignore").write_text("b.ts\n")
    assert found(["out/sub"])[0] == ["out/sub/a.ts"]
    assert found(["out"])[0] == ["out/sub/a.ts"]


def test_explicit_unknown_suffix_and_missing_path_warn(repo):
    touch(repo, "notes.md", "a.py")
    files, warnings = found(["notes.md", "missing.py", "a.py", "-"])
    assert files == ["a.py"]
    assert warnings == ["skipping notes.md: not a Python, JavaScript or TypeScript file",
                        "path does not exist: missing.py"]


def test_duplicates_are_listed_once(repo):
    touch(repo, "src/a.py")
    files, _ = discover([Path("src"), Path("src/a.py"), Path("./src/a.py")], Config(root=repo))
    assert [f.display for f in files] == ["src/a.py"]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_symlinked_folders_are_not_followed(repo):
    touch(repo, "real/a.py")
    try:
        os.symlink(repo / "real", repo / "link", target_is_directory=True)
        os.symlink(repo, repo / "real" / "loop", target_is_directory=True)
    except OSError:
        pytest.skip("symlinks not permitted")
    assert found(["."])[0] == ["real/a.py"]


def test_paths_outside_cwd_are_absolute(tmp_path, monkeypatch):
    touch(tmp_path, "proj/a.py", "elsewhere/b.py")
    monkeypatch.chdir(tmp_path / "proj")
    files, _ = discover([Path("."), tmp_path / "elsewhere"], Config(root=tmp_path / "proj"))
    assert [f.display for f in files] == [(tmp_path / "elsewhere" / "b.py").resolve().as_posix(), "a.py"]


@pytest.mark.parametrize("path, expected", [
    ("src/api.test.ts", True),
    ("src/api.spec.js", True),
    ("test_handler.py", True),
    ("handler_test.py", True),
    ("tests/helpers.py", True),
    ("pkg/test/util.js", True),
    ("src/__tests__/api.ts", True),
    ("conftest.py", True),
    ("src/handler.py", False),
    ("src/contest.ts", False),
    ("src/latest/api.ts", False),
    ("src/testing.py", False),
    ("test_data.json.ts", False),
])
def test_is_test_file(path, expected):
    assert is_test_file(path) is expected


def test_one_walk_serves_sources_and_templates_alike(repo):
    """Inside one run a folder is walked once; what a second walker gets is what its own walk would give."""
    from lambdalint.discovery import one_walk
    from lambdalint.iac.discover import find_templates

    touch(repo, "svc/app.py", "svc/template.yaml", "lib/util.ts", "node_modules/dep/index.js", "build/out.py")
    (repo / "svc" / "template.yaml").write_text("AWSTemplateFormatVersion: '2010-09-09'\nResources: {}\n")
    (repo / ".gitignore").write_text("build/\n")
    config = Config(root=repo)
    alone = [(found(["."], config), found([str(repo)], config), find_templates([repo], config))]
    with one_walk():
        together = [(found(["."], config), found([str(repo)], config), find_templates([repo], config))]
    assert together == alone
    assert alone[0][0][0] == ["lib/util.ts", "svc/app.py"]
    assert alone[0][2] == [str(repo / "svc" / "template.yaml")]


@pytest.fixture
def remembered(repo, monkeypatch):
    """Runs that remember their walks, with every file counted as settled at once; yields a function
    that lists the tree as such a run does, and the number of folder walks made so far."""
    from lambdalint import discovery, file_states, walk_cache

    monkeypatch.setattr(file_states, "SETTLED_NS", -10**15)
    monkeypatch.setattr(walk_cache, "SETTLED_NS", -10**15)
    (repo / ".lambdalint_cache" / "runs").mkdir(parents=True)  # made by the project's first run
    walks = []
    real = discovery._Walker._walk
    monkeypatch.setattr(discovery._Walker, "_walk", lambda self, top: walks.append(top) or real(self, top))

    def listed(config=None):
        with discovery.one_walk(repo / ".lambdalint_cache" / "runs"):
            return found(["."], config)
    return listed, walks


def test_an_unchanged_tree_is_not_walked_again(repo, remembered):
    listed, walks = remembered
    touch(repo, "svc/app.py", "svc/gen/out.py", "lib/util.ts")
    (repo / ".gitignore").write_text("gen/\n")
    first = listed()
    assert first == (["lib/util.ts", "svc/app.py"], []) and len(walks) == 1
    assert listed() == first and len(walks) == 1


def test_a_remembered_walk_sees_added_removed_and_newly_ignored_files(repo, remembered):
    listed, walks = remembered
    touch(repo, "svc/app.py", "svc/gen/out.py", "lib/util.ts")
    listed()
    touch(repo, "svc/deep/new.py")
    assert listed()[0] == ["lib/util.ts", "svc/app.py", "svc/deep/new.py", "svc/gen/out.py"]
    (repo / "lib" / "util.ts").unlink()
    assert listed()[0] == ["svc/app.py", "svc/deep/new.py", "svc/gen/out.py"]
    (repo / "svc" / ".gitignore").write_text("gen/\n")       # a new ignore file
    assert listed()[0] == ["svc/app.py", "svc/deep/new.py"]
    (repo / "svc" / ".gitignore").write_text("gen/\ndeep/\n")  # an edited one
    assert listed()[0] == ["svc/app.py"]
    assert len(walks) == 5


def test_a_remembered_walk_is_one_of_these_settings(repo, remembered):
    listed, walks = remembered
    touch(repo, "svc/app.py", "lib/util.ts")
    listed()
    assert listed(Config(root=repo, exclude=["lib/"]))[0] == ["svc/app.py"]
    assert listed()[0] == ["lib/util.ts", "svc/app.py"] and len(walks) == 2


def test_a_folder_that_changed_back_is_not_walked_again(repo, remembered):
    """An editor's save (a temporary file written, then renamed over the old one) changes the folder's
    status but not what it holds: its entries are listed again, the rest of the walk holds."""
    listed, walks = remembered
    touch(repo, "svc/app.py", "lib/util.ts")
    first = listed()
    (repo / "svc" / ".app.py.swp").write_text("")
    os.replace(repo / "svc" / ".app.py.swp", repo / "svc" / "app.py")
    assert listed() == first and len(walks) == 1
    (repo / "svc" / "other.py").write_text("")  # a real change is still seen
    assert listed()[0] == ["lib/util.ts", "svc/app.py", "svc/other.py"] and len(walks) == 2


def test_a_retargeted_link_makes_the_folder_walked_again(repo, remembered):
    listed, walks = remembered
    touch(repo, "a/app.py", "b/app.py")
    (repo / "svc").mkdir()
    (repo / "svc" / "app.py").symlink_to(repo / "a" / "app.py")
    listed()
    (repo / "svc" / "app.py").unlink()
    (repo / "svc" / "app.py").symlink_to(repo / "b" / "app.py")
    listed()
    assert len(walks) == 2


def test_the_cache_folder_made_in_a_folder_leaves_its_entries_as_they_were(tmp_path):
    """The project's first run makes the cache folder in the project folder after walking it: what the
    folder holds is the same for the next run."""
    from lambdalint.walk_cache import WalkCache

    touch(tmp_path, "app.py")
    remembered = WalkCache(tmp_path / ".lambdalint_cache" / "runs")
    before = remembered.entries_digest(os.path.realpath(tmp_path))
    (tmp_path / ".lambdalint_cache" / "runs").mkdir(parents=True)
    assert remembered.entries_digest(os.path.realpath(tmp_path)) == before
    (tmp_path / "other").mkdir()
    assert remembered.entries_digest(os.path.realpath(tmp_path)) != before


@pytest.mark.parametrize("junk", [b"", b"{", b"[]", b'{"format": "lambdalint-walks/2", "walks": {"k": {"top": 1}}}'])
def test_junk_remembered_walks_are_ignored(repo, remembered, junk):
    listed, walks = remembered
    touch(repo, "svc/app.py")
    first = listed()
    (repo / ".lambdalint_cache" / "runs" / "walks").write_bytes(junk)
    assert listed() == first and len(walks) == 2


def test_a_remembered_walk_rests_on_no_folder_above_it_but_a_new_repository(repo, remembered):
    listed, walks = remembered
    touch(repo, "svc/app.py")
    listed()
    (repo.parent / f"{repo.name}-neighbour.txt").write_text("")  # the folder above changed: not this tree
    listed()
    assert len(walks) == 1
    (repo / ".git").mkdir()  # now a repository: its ignore rules apply
    listed()
    assert len(walks) == 2
