import textwrap

import pytest

from lambdalint.model import Comment, Finding, Severity, Span
from lambdalint.suppress import (
    apply_suppressions,
    parse_suppression,
    parse_suppressions,
    unused_suppressions,
)


def comments_of(source: str) -> list[Comment]:
    """A tiny stand-in for the front ends: `#` and `//` comments, and one-line `/* */` blocks."""
    found = []
    for number, line in enumerate(textwrap.dedent(source).strip("\n").splitlines(), start=1):
        for marker in ("#", "//", "/*"):
            at = line.find(marker)
            if at >= 0:
                found.append(Comment(number, line[at:], own_line=not line[:at].strip()))
                break
    return found


def finding(code: str, line: int) -> Finding:
    return Finding(code, "msg", Severity.ERROR, "a.py", Span(line, 1, line, 5))


def kept(source: str, findings: list[Finding]):
    suppressions = parse_suppressions(comments_of(source))
    remaining = apply_suppressions(findings, suppressions)
    return [(f.code, f.span.line) for f in remaining], suppressions


@pytest.mark.parametrize("text, codes, reason", [
    ("# lambdalint: ignore[FF001]", ("FF001",), ""),
    ("# lambdalint: ignore[FF001, ff002] -- flushed on shutdown", ("FF001", "FF002"), "flushed on shutdown"),
    ("# lambdalint: ignore", (), ""),
    ("#lambdalint:ignore[DF]", ("DF",), ""),
    ("// lambdalint-ignore FF001", ("FF001",), ""),
    ("// lambdalint-ignore FF001, FF002", ("FF001", "FF002"), ""),
    ("// lambdalint-ignore FF001 FF002: metrics may be lost", ("FF001", "FF002"), "metrics may be lost"),
    ("// lambdalint-ignore", (), ""),
    ("// lambdalint-ignore -- legacy code", (), "legacy code"),
    ("/* lambdalint-ignore FF001 */", ("FF001",), ""),
    ("/* lambdalint: ignore[FF001] */", ("FF001",), ""),
    ("# lambdalint-ignore ff", ("FF",), ""),                      # the JS spelling in Python
    ("// lambdalint: ignore[RT003]", ("RT003",), ""),             # the Python spelling in JS
    ("# noqa: E501  lambdalint: ignore[FF005]", ("FF005",), ""),  # after other tools' markers
    ("// lambdalint-ignore FF0001", ("FF0001",), ""),             # a typo stays a code (reported unused)
])
def test_parse_spellings(text, codes, reason):
    assert parse_suppression(text) == (codes, reason)


@pytest.mark.parametrize("text", [
    "# an ordinary comment",
    "// lambdalint-ignored",
    "// lambdalint ignore FF001",
    "# lambdalint: ignore-next-line",
])
def test_not_a_suppression(text):
    assert parse_suppression(text) is None


def test_trailing_comment_covers_its_line():
    source = """
    send()  # lambdalint: ignore[FF001]
    send()
    """
    remaining, suppressions = kept(source, [finding("FF001", 1), finding("FF001", 2)])
    assert remaining == [("FF001", 2)]
    assert suppressions[0].line == suppressions[0].target_line == 1 and suppressions[0].used == {"FF001"}


def test_comment_line_covers_the_next_line_only():
    source = """
    // lambdalint-ignore FF001
    send();
    send();
    """
    assert kept(source, [finding("FF001", 2), finding("FF001", 3)])[0] == [("FF001", 3)]


def test_a_block_of_comments_above_the_line():
    source = """
    // lambdalint-ignore FF001 -- the queue is drained by the extension:
    // see docs/telemetry.md
    /* and the runtime API */
    send();
    """
    remaining, suppressions = kept(source, [finding("FF001", 4)])
    assert remaining == [] and suppressions[0].target_line == 4


def test_a_blank_line_breaks_the_link():
    source = """
    # lambdalint: ignore[FF001]

    send()
    """
    remaining, suppressions = kept(source, [finding("FF001", 3)])
    assert remaining == [("FF001", 3)] and unused_suppressions(suppressions) == suppressions


def test_multi_line_block_comment_above():
    comment = Comment(1, "/* lambdalint-ignore FF001\n   reason on the next line */", own_line=True)
    [suppression] = parse_suppressions([comment])
    assert suppression.target_line == 3
    assert apply_suppressions([finding("FF001", 3)], [suppression]) == []


def test_list_of_codes_only_suppresses_those():
    source = """
    work()  # lambdalint: ignore[FF001, FF005]
    """
    remaining, suppressions = kept(source, [finding("FF001", 1), finding("FF005", 1), finding("FF002", 1)])
    assert remaining == [("FF002", 1)]
    assert suppressions[0].used == {"FF001", "FF005"} and unused_suppressions(suppressions) == []


def test_blanket_suppresses_everything_on_the_line():
    source = """
    work();  // lambdalint-ignore
    """
    remaining, suppressions = kept(source, [finding("FF001", 1), finding("DF002", 1)])
    assert remaining == [] and suppressions[0].used == {"FF001", "DF002"}


def test_prefix_and_case_insensitive_codes():
    source = """
    work()  # lambdalint: ignore[ff]
    other()  # lambdalint: ignore[DF00]
    """
    remaining, _ = kept(source, [finding("FF003", 1), finding("DF001", 2), finding("DF011", 2)])
    assert remaining == [("DF011", 2)]


def test_non_matching_code_is_not_suppressed_and_is_unused():
    source = """
    work()  // lambdalint-ignore FF002
    """
    remaining, suppressions = kept(source, [finding("FF001", 1)])
    assert remaining == [("FF001", 1)]
    assert unused_suppressions(suppressions) == suppressions
    assert suppressions[0].unused_codes == ("FF002",)


def test_partly_used_list_is_reported_with_its_unused_codes():
    source = """
    work()  # lambdalint: ignore[FF001, FF002]
    """
    _, suppressions = kept(source, [finding("FF001", 1)])
    assert unused_suppressions(suppressions) == suppressions
    assert suppressions[0].unused_codes == ("FF002",)


def test_unused_ignores_codes_of_rules_that_did_not_run():
    source = """
    work()  # lambdalint: ignore[DF001]
    """
    _, suppressions = kept(source, [])
    assert unused_suppressions(suppressions, is_enabled=lambda code: not code.startswith("DF")) == []
    assert unused_suppressions(suppressions) == suppressions


def test_multi_line_finding_matches_on_its_closing_line_too():
    source = """
    await_me(
        arg,
    )  # lambdalint: ignore[FF001]
    """
    span = Span(1, 1, 3, 2)
    findings = [Finding("FF001", "m", Severity.ERROR, "a.py", span)]
    assert kept(source, findings)[0] == []


def test_two_suppressions_for_one_finding_are_both_used():
    source = """
    # lambdalint: ignore[FF001]
    send()  # lambdalint: ignore[FF]
    """
    remaining, suppressions = kept(source, [finding("FF001", 2)])
    assert remaining == [] and unused_suppressions(suppressions) == []


def spanning(code: str, line: int, end_line: int) -> Finding:
    return Finding(code, "msg", Severity.ERROR, "a.ts", Span(line, 3, end_line, 4))


def test_comment_on_the_closing_line_of_a_multi_line_call():
    source = """
    export const handler = async () => {
      publish(
        event,
      ); // lambdalint-ignore FF001
      notify(
        user,
      );
      # lambdalint: ignore[FF001]
      queue(
        job);
    };
    """
    remaining, suppressions = kept(source, [spanning("FF001", 2, 4), spanning("FF001", 5, 7),
                                            spanning("FF001", 9, 10)])
    assert remaining == [("FF001", 5)]           # a comment above, or after the closing `)`, suppresses
    assert unused_suppressions(suppressions) == []


def test_a_comment_on_a_middle_line_does_not_cover_the_call():
    source = """
    publish(
      event, // lambdalint-ignore FF001
    );
    """
    remaining, suppressions = kept(source, [spanning("FF001", 1, 3)])
    assert remaining == [("FF001", 1)]
    assert len(unused_suppressions(suppressions)) == 1
