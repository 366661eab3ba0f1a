import pickle
import re
from pathlib import Path

import pytest

from lambdalint.config import DEFAULT_SELECT, Config, ConfigError, apply_overrides, load_config


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


# ---------------------------------------------------------------- finding the file

def test_no_config_gives_defaults_rooted_at_cwd(tmp_path):
    config = load_config([tmp_path / "src"])
    assert config.config_path is None
    assert config.root == Path.cwd()
    assert config.select == DEFAULT_SELECT
    assert "node_modules" in config.exclude and "cdk.out" in config.exclude
    assert config.format == "text" and config.jobs == 0 and config.cache and config.respect_gitignore


def test_found_upward_from_a_nested_file(tmp_path):
    write(tmp_path / "lambdalint.toml", 'select = ["FF"]\n')
    handler = write(tmp_path / "services" / "api" / "src" / "handler.ts", "")
    config = load_config([handler])
    assert config.config_path == tmp_path / "lambdalint.toml"
    assert config.root == tmp_path.resolve()
    assert config.select == ["FF"]


def test_nearest_file_wins(tmp_path):
    write(tmp_path / "lambdalint.toml", 'select = ["FF"]\n')
    write(tmp_path / "svc" / "pyproject.toml", '[tool.lambdalint]\nselect = ["DF"]\n')
    assert load_config([tmp_path / "svc"]).select == ["DF"]


def test_lambdalint_toml_wins_over_pyproject_in_the_same_folder(tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.lambdalint]\nselect = ["DF"]\n')
    write(tmp_path / "lambdalint.toml", 'select = ["RT"]\n')
    assert load_config([tmp_path]).select == ["RT"]


def test_pyproject_without_our_table_is_passed_over(tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.lambdalint]\nallow-void = true\n')
    write(tmp_path / "pkg" / "pyproject.toml", '[project]\nname = "pkg"\n')
    config = load_config([tmp_path / "pkg"])
    assert config.config_path == tmp_path / "pyproject.toml"
    assert config.allow_void is True


def test_stdin_and_no_paths_search_from_cwd(tmp_path):
    write(tmp_path / "lambdalint.toml", "exit-zero = true\n")
    assert load_config([]).exit_zero
    assert load_config([Path("-")]).exit_zero


def test_explicit_file_reads_any_name_as_top_level_table(tmp_path):
    write(tmp_path / "lambdalint.toml", 'select = ["FF"]\n')
    ci = write(tmp_path / "ci" / "strict.toml", 'select = ["DF"]\n')
    config = load_config([tmp_path], explicit=ci)
    assert config.select == ["DF"] and config.root == ci.parent.resolve()


def test_explicit_pyproject_reads_tool_table(tmp_path):
    pyproject = write(tmp_path / "other" / "pyproject.toml", '[tool.lambdalint]\nignore = ["ff002"]\n')
    assert load_config([], explicit=pyproject).ignore == ["FF002"]


def test_explicit_missing_file_is_an_error(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_config([], explicit=tmp_path / "nope.toml")


# ---------------------------------------------------------------- keys and values

def test_all_keys_in_kebab_and_snake_case(tmp_path):
    write(tmp_path / "lambdalint.toml", """
select = ["ff", "DF0"]
extend_select = ["RT001"]
ignore = ["FF002"]
exclude = ["generated"]
extend-exclude = ["legacy/"]
per-file-ignores = { "tests/**" = ["FF"] }
allow-void = true
async-apis = ["mylib.send"]
safe_calls = ["logger.flush"]
handlers = ["src/api.py:main"]
format = "SARIF"
exit-zero = true
cache = false
jobs = 4
respect-gitignore = false
""")
    c = load_config([tmp_path])
    assert c.select == ["FF", "DF0"] and c.extend_select == ["RT001"] and c.ignore == ["FF002"]
    assert c.exclude == ["generated"] and c.extend_exclude == ["legacy/"]
    assert c.per_file_ignores == {"tests/**": ["FF"]}
    assert c.allow_void and c.async_apis == ["mylib.send"] and c.safe_calls == ["logger.flush"]
    assert c.handlers == ["src/api.py:main"] and c.format == "sarif"
    assert c.exit_zero and not c.cache and c.jobs == 4 and not c.respect_gitignore


def test_unknown_key_names_it_and_suggests(tmp_path):
    write(tmp_path / "lambdalint.toml", 'selct = ["FF"]\n')
    with pytest.raises(ConfigError) as err:
        load_config([tmp_path])
    message = str(err.value)
    assert message.startswith("lambdalint.toml:")
    assert "unknown key 'selct'" in message and "did you mean 'select'?" in message


def test_unknown_key_in_pyproject_names_the_table(tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.lambdalint]\nallow_voids = true\n')
    with pytest.raises(ConfigError, match=r"pyproject.toml: unknown key 'allow_voids' in \[tool.lambdalint\] "
                                          r"\(did you mean 'allow-void'\?\)"):
        load_config([tmp_path])


@pytest.mark.parametrize("line, key", [
    ('allow-void = "yes"', "allow-void"),
    ('select = "FF"', "select"),
    ('ignore = ["FF-1"]', "ignore"),
    ('extend-select = ["FFF"]', "extend-select"),
    ('format = "xml"', "format"),
    ("jobs = -1", "jobs"),
    ("jobs = true", "jobs"),
    ("exclude = [1]", "exclude"),
    ('per-file-ignores = { "a.py" = "FF" }', "per-file-ignores"),
    ('per-file-ignores = { "a.py" = ["nope!"] }', "per-file-ignores"),
    ("handlers = [\"\"]", "handlers"),
])
def test_bad_values_name_file_and_key(tmp_path, line, key):
    write(tmp_path / "lambdalint.toml", line + "\n")
    with pytest.raises(ConfigError) as err:
        load_config([tmp_path])
    assert str(err.value).startswith(f"lambdalint.toml: {key}")


def test_same_key_in_both_spellings_is_an_error(tmp_path):
    write(tmp_path / "lambdalint.toml", "exit-zero = true\nexit_zero = false\n")
    with pytest.raises(ConfigError, match="given twice"):
        load_config([tmp_path])


def test_invalid_toml_names_file_and_line(tmp_path):
    write(tmp_path / "lambdalint.toml", 'select = ["FF"]\n\nignore = [FF002\n')
    with pytest.raises(ConfigError, match=r"^lambdalint.toml:3:\d+: invalid TOML"):
        load_config([tmp_path])


def test_invalid_pyproject_on_the_way_up_is_an_error(tmp_path):
    write(tmp_path / "pyproject.toml", "[tool.lambdalint\n")
    with pytest.raises(ConfigError, match=r"pyproject.toml:1:"):
        load_config([tmp_path])


# ---------------------------------------------------------------- rule selection

def test_default_selection():
    c = Config()
    assert all(c.is_enabled(code) for code in ("FF001", "DF019", "RT005", "E901", "E902"))
    assert not c.is_enabled("ZZ001")


def test_more_specific_ignore_beats_select():
    c = Config(select=["FF"], ignore=["FF002"])
    assert c.is_enabled("FF001") and not c.is_enabled("FF002") and not c.is_enabled("DF001")


def test_more_specific_select_beats_ignore():
    c = Config(select=["FF001"], ignore=["FF"])
    assert c.is_enabled("FF001") and not c.is_enabled("FF003")


def test_ignore_wins_a_tie():
    assert not Config(select=["FF"], ignore=["FF"]).is_enabled("FF001")


def test_extend_select_adds_to_select():
    c = Config(select=["FF"], extend_select=["DF001"])
    assert c.is_enabled("DF001") and not c.is_enabled("DF002") and c.is_enabled("FF009")


def test_codes_are_case_insensitive():
    assert not Config(ignore=["FF002"]).is_enabled("ff002")


def test_all_selects_everything_least_specifically():
    c = Config(select=["ALL"], ignore=["DF"])
    assert c.is_enabled("RT001") and not c.is_enabled("DF001")


def test_cli_select_restarts_the_selection(tmp_path):
    write(tmp_path / "lambdalint.toml", 'select = ["FF"]\nignore = ["FF002"]\n')
    c = apply_overrides(load_config([tmp_path]), select=["DF", "FF002"])
    assert c.is_enabled("DF001") and c.is_enabled("FF002") and not c.is_enabled("FF001")


def test_cli_ignore_and_extend_select_apply_on_top_of_file(tmp_path):
    write(tmp_path / "lambdalint.toml", 'ignore = ["FF002"]\n')
    c = apply_overrides(load_config([tmp_path]), ignore="DF", extend_select=["FF002"])
    assert not c.is_enabled("DF001")            # CLI ignore
    assert c.is_enabled("FF002")                # CLI extend-select re-enables what the file ignored
    assert c.is_enabled("FF001") and c.is_enabled("RT001")


def test_overrides_replace_values_and_skip_none():
    base = Config(format="json", jobs=2)
    c = apply_overrides(base, format="github", jobs=None, exit_zero=True, cache=False, select=None)
    assert (c.format, c.jobs, c.exit_zero, c.cache) == ("github", 2, True, False)
    assert base.format == "json" and not base.cli_selections  # the original is untouched


def test_bad_override_is_a_config_error():
    with pytest.raises(ConfigError, match="--select"):
        apply_overrides(Config(), select=["F-F"])
    with pytest.raises(ConfigError, match="--jobs"):
        apply_overrides(Config(), jobs=-3)


# ---------------------------------------------------------------- per-file ignores

def test_per_file_ignores(tmp_path):
    c = Config(per_file_ignores={"tests/**": ["FF"], "*.spec.ts": ["FF001"], "/scripts/seed.py": ["RT001"]},
               root=tmp_path)
    assert c.ignored_for_path("FF002", "tests/unit/test_api.py")
    assert c.ignored_for_path("FF001", "src/api.spec.ts")
    assert not c.ignored_for_path("FF002", "src/api.spec.ts")
    assert c.ignored_for_path("rt001", "scripts/seed.py")
    assert not c.ignored_for_path("RT001", "src/scripts/seed.py")   # anchored pattern
    assert not c.ignored_for_path("FF001", "src/api.ts")
    assert c.ignored_for_path("FF001", str(tmp_path / "tests" / "x.py"))   # absolute paths below root


def test_config_pickles_for_worker_processes():
    c = Config(per_file_ignores={"tests/**": ["FF"]})
    c.ignored_for_path("FF001", "tests/a.py")
    again = pickle.loads(pickle.dumps(c))
    assert again.ignored_for_path("FF001", "tests/a.py")


# ---------------------------------------------------------------- apis, rule codes, lambdalint.toml shape

def test_apis_setting_reaches_the_catalog_the_rules_ask(tmp_path, monkeypatch):
    """`apis` adds qualified names to a category; the engine's index resolves them like built-in ones."""
    from lambdalint import analysis, engine

    write(tmp_path / "lambdalint.toml", '[apis]\nprocess_exit = ["mylib.stop", "my-lib:halt"]\n')
    write(tmp_path / "app.py", "x = 1\n")
    config = load_config([tmp_path])
    assert config.apis == {"process_exit": ["mylib.stop", "my-lib:halt"]}
    seen = []
    real_index = analysis.ProjectIndex

    def capture(models, catalog, handlers, **kwargs):
        seen.append(catalog)
        return real_index(models, catalog, handlers, **kwargs)

    monkeypatch.setattr(analysis, "ProjectIndex", capture)
    engine.run([tmp_path], config, use_cache=False)
    categories = seen[0].categories
    assert categories.first("process_exit", False, "mylib.stop") is not None
    assert categories.first("process_exit", True, "my-lib:halt") is not None
    assert categories.first("process_exit", True, "mylib.stop") is not None   # no colon: both languages
    assert categories.first("process_exit", False, "sys.exit") is not None    # built-ins stay


@pytest.mark.parametrize("text, message", [
    ('apis = ["x"]\n', "apis: expected a table of category = [qualified names]"),
    ('[apis]\nprocess_exit = "mylib.stop"\n', "apis.process_exit: expected a list of non-empty strings"),
    ('[apis]\nnot_a_category = ["a.b"]\n', "apis: unknown API category 'not_a_category'"),
])
def test_bad_apis_values(tmp_path, text, message):
    write(tmp_path / "lambdalint.toml", text)
    with pytest.raises(ConfigError, match=re.escape(message)):
        load_config([tmp_path])


def test_lambdalint_toml_with_a_tool_table_is_an_error(tmp_path):
    write(tmp_path / "lambdalint.toml", '[tool.lambdalint]\nselect = ["FF"]\n')
    with pytest.raises(ConfigError, match=r"lambdalint\.toml takes its settings at the top level; remove the "
                                          r"\[tool\.lambdalint\] header"):
        load_config([tmp_path])


def test_unknown_and_reserved_codes_in_every_code_key(tmp_path, monkeypatch):
    from lambdalint import ruleinfo

    monkeypatch.setattr(ruleinfo, "SPEC_RULE_IDS", ruleinfo.SPEC_RULE_IDS + ("FF010",))  # a rule still to come
    planned = min(ruleinfo.reserved_ids())
    for key in ("select", "ignore", "extend-select"):
        write(tmp_path / "lambdalint.toml", f'{key} = ["ZZ9"]\n')
        with pytest.raises(ConfigError, match=f"{key}: unknown rule code 'ZZ9'"):
            load_config([tmp_path])
    write(tmp_path / "lambdalint.toml", 'per-file-ignores = { "a.py" = ["ZZ9"] }\n')
    with pytest.raises(ConfigError, match="unknown rule code 'ZZ9'"):
        load_config([tmp_path])
    write(tmp_path / "lambdalint.toml", f'select = ["FF", "{planned}"]\nignore = ["{planned}"]\n')
    config = load_config([tmp_path])
    assert len(config.warnings) == 1 and planned in config.warnings[0]
    again = apply_overrides(config, select=[planned])
    assert again.warnings == config.warnings                   # said once, however often it is given


def test_every_key_is_documented_in_the_readme():
    from lambdalint.config import _KEYS

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Configuration"):]
    section = section[:section.index("\n## ", 1)]
    assert [key for key in _KEYS if f"| `{key}` |" not in section] == []


def test_the_readme_example_is_a_valid_config(tmp_path):
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    example = readme[readme.index("## Configuration"):].split("```toml\n", 1)[1].split("```", 1)[0]
    write(tmp_path / "pyproject.toml", example)
    config = load_config([tmp_path])
    assert config.select == ["FF", "E9"] and config.apis == {"process_exit": ["mylib.shutdown", "my-lib:halt"]}
    assert config.warnings == []
