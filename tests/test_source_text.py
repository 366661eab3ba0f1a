"""Reading source files: never blocking, never opening what is not a file, decoding as the language does."""
import os
import threading

import pytest

from lambdalint.model import Language
from lambdalint.source_text import Unreadable, decode, python_syntax_error, read_bytes


def reason(fn, *args) -> str:
    with pytest.raises(Unreadable) as caught:
        fn(*args)
    return str(caught.value)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_named_pipe_is_refused_without_blocking(tmp_path):
    os.mkfifo(tmp_path / "p.py")
    outcome = []
    worker = threading.Thread(target=lambda: outcome.append(reason(read_bytes, tmp_path / "p.py")), daemon=True)
    worker.start()
    worker.join(timeout=5)
    assert outcome == ["not a regular file (a named pipe); it was not opened "
                       "(to lint piped text, pass `-` with --stdin-filename)"]


def test_links_that_go_nowhere(tmp_path):
    os.symlink("b.py", tmp_path / "a.py")
    os.symlink("a.py", tmp_path / "b.py")
    os.symlink("missing.py", tmp_path / "dangling.py")
    assert reason(read_bytes, tmp_path / "a.py").startswith("symbolic link loop")
    assert reason(read_bytes, tmp_path / "dangling.py") == "broken symbolic link (its target does not exist)"
    assert reason(read_bytes, tmp_path) == "not a regular file (a folder); it was not opened"


def test_size_limit_in_bytes(tmp_path):
    (tmp_path / "f.py").write_bytes(b"x" * 101)
    assert reason(read_bytes, tmp_path / "f.py", 100) == "file is too large (101 bytes; the limit is 100 bytes)"
    assert read_bytes(tmp_path / "f.py", 101) == b"x" * 101


@pytest.mark.parametrize("data, language, text", [
    (b"# -*- coding: latin-1 -*-\ns = '\xe9'\r\n", Language.PYTHON, "# -*- coding: latin-1 -*-\ns = '\u00e9'\n"),
    (b"#!/usr/bin/env python\n# vim: set fileencoding=cp1252 :\nx = '\x80'\n", Language.PYTHON,
     "#!/usr/bin/env python\n# vim: set fileencoding=cp1252 :\nx = '\u20ac'\n"),
    (b"\xef\xbb\xbfx = 1\n", Language.PYTHON, "x = 1\n"),
    (b"\xef\xbb\xbfconst x = 1;\r\n", Language.JAVASCRIPT, "const x = 1;\n"),
])
def test_decodes_as_the_language_does(data, language, text):
    assert decode(data, language) == text


@pytest.mark.parametrize("data, language, expected", [
    (b"x = '\xe9'\n", Language.PYTHON, "not valid UTF-8 text: byte 0xe9 at offset 5"),
    (b"// coding: latin-1\nconst s = '\xe9';\n", Language.TYPESCRIPT, "not valid UTF-8 text: byte 0xe9 at offset 30"),
    (b"# coding: klingon\n", Language.PYTHON, "the coding declaration names an unknown encoding 'klingon'"),
    (b"\xef\xbb\xbf# coding: latin-1\n", Language.PYTHON,
     "the coding declaration contradicts the file's UTF-8 byte-order mark"),
    (b"x = 1\0\n", Language.PYTHON, "binary file (it contains NUL bytes), not source text"),
])
def test_undecodable_text_says_why(data, language, expected):
    assert reason(decode, data, language) == expected


def test_cpython_message_or_none(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert python_syntax_error("value = len(\n", "a.py") == ("'(' was never closed", 1, 12)
    assert python_syntax_error("open('pwned', 'w')\n", "a.py") is None   # accepted: the caller keeps its own
    assert not (tmp_path / "pwned").exists()                              # parsed, never run
