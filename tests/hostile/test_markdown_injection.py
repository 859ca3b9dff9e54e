"""Exports: corpus text cannot add links, images, HTML or headings to a briefing."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin

from gpu_brief.cli import app
from gpu_brief.export import unescape
from gpu_brief.render import flow, inert, md_escape
from hostile.conftest import assert_inert

PARSER = MarkdownIt("commonmark").use(footnote_plugin)


def test_a_hostile_briefing_renders_only_our_structure(runner, hostile, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _, claims = hostile
    questions = tmp_path / "q.txt"
    questions.write_text(
        "pénurie GPU écran\nmarché markup lien Rich\npuces titre gras script\n", encoding="utf-8"
    )
    out = tmp_path / "brief.md"
    result = runner.invoke(app, ["export", str(questions), "-o", str(out), "--claims", str(claims)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert_inert(text)
    tokens = PARSER.parse(text)
    inline = [c for t in tokens if t.children for c in t.children]
    assert not [c for c in inline if c.type in ("image", "html_inline")]
    assert not [t for t in tokens if t.type == "html_block" and "gpu-brief-export" not in t.content]
    assert all(c.attrs["href"].startswith("#") for c in inline if c.type == "link_open")
    assert [t.tag for t in tokens if t.type == "heading_open"] == ["h1", "h2", "h2", "h2", "h2", "h2"]
    assert runner.invoke(app, ["verify", str(out)]).exit_code == 0


@given(st.text(max_size=200))
def test_escaped_text_parses_back_to_itself(text: str) -> None:
    escaped = md_escape(text)
    assert unescape(escaped) == inert(flow(text))  # line breaks as spaces: a wrapped paragraph
    tokens = PARSER.parse(f"> {escaped}[^1]\n\n[^1]: n\n")
    assert tokens[0].type == "blockquote_open"
    quote = next(t for t in tokens if t.type == "inline").children or []
    assert {c.type for c in quote} <= {"text", "footnote_ref", "softbreak", "hardbreak"}
