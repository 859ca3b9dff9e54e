"""Markdown: inert escaping of corpus text, answers with footnotes, briefings."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from gpu_brief.render.answers import explanation_lines
from gpu_brief.render.terminal import flow, inert, plural
from gpu_brief.wording import ABSTAIN_TEXT

if TYPE_CHECKING:
    from pathlib import Path

    from gpu_brief.index import SearchIndex
    from gpu_brief.qa.result import Answer, Explanation


# Characters Markdown (CommonMark, GFM) reads as syntax anywhere in a line: escapes, code,
# emphasis, links and images, HTML and autolinks, entities, strikethrough, table cells.
_MD_INLINE = re.compile(r"([\\`*_\[\]<>&~|])")
# ... and at the start of a line: headings, lists, quotes, setext and thematic breaks.
_MD_LEADING = re.compile(r"^(\s*)([#+\-=>]|\d+(?=[.)]))")
# Bare URLs that GFM would turn into links: break them with an escape it cannot see through.
_MD_AUTOLINK = re.compile(r"(?<=[A-Za-z])(:)(?=//)|(?<=\bwww)(\.)", re.IGNORECASE)


def md_escape(text: str) -> str:
    """Corpus or user text as inert Markdown: no emphasis, link, image, HTML, heading, list,
    table or autolink can come out of it. Backslash escapes only, which renderers undo and
    `export.unescape` reverses, so `verify` can compare quotes with their sources."""
    out = _MD_INLINE.sub(r"\\\1", inert(flow(text)))
    out = _MD_AUTOLINK.sub(lambda m: "\\" + m.group(), out)
    m = _MD_LEADING.match(out)
    if m:
        lead = m.group(2)
        out = m.group(1) + (
            lead + "\\" + out[m.end() : m.end() + 1] + out[m.end() + 1 :]
            if lead[0].isdigit()
            else "\\" + lead + out[m.end() :]
        )
    return out


def md_cell(text: str) -> str:
    return md_escape(text)


def code_span(text: str) -> str:
    """`text` as a CommonMark code span, whatever backticks it holds."""
    text = inert(text, keep_newlines=False)
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or longest else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def explanation_markdown(e: Explanation | None) -> list[str]:
    """`ask --explain` in Markdown: the same lines as in text, as a list."""
    if e is None:
        return []
    return ["*Explanation:*", "", *(f"- {md_escape(line)}" for line in explanation_lines(e))]


def answer_markdown(
    answer: Answer, *, label: str = "", heading: str = "##", number: int | None = None
) -> str:
    """One answer as Markdown: the question as a heading, the answer, quotes with footnotes."""
    prefix = f"{number}. " if number is not None else ""
    lines = [f"{heading} {prefix}{md_escape(answer.question)}", ""]
    explained = explanation_markdown(answer.explanation)
    if answer.abstained:
        lines.append(f"**{ABSTAIN_TEXT}.**")
        if answer.not_found:
            lines += [
                "",
                "Not in the corpus: " + ", ".join(md_escape(m) for m in answer.not_found) + ".",
            ]
        if answer.reason:
            lines += ["", f"*Why: {md_escape(answer.reason)}.*"]
        lines += ["", *explained] if explained else []
        return "\n".join(lines) + "\n"
    lines += [f"**Answer:** {md_escape(answer.answer)}[^{label}1]", ""]
    lines += [*explained, ""] if explained else []
    notes = []
    best = answer.citations[0]
    for other in best.also_in:
        notes.append(f"also in {code_span(other.record.source)}, line {other.record.line}")
    for other, figure in best.conflicts:
        notes.append(
            f"another figure, {md_escape(figure)}, in {code_span(other.record.source)}, line {other.record.line}"
        )
    if notes:
        lines += ["*" + "; ".join(notes) + ".*", ""]
    for n, cite in enumerate(answer.citations, start=1):
        lines += [f"> {md_escape(cite.record.text)}[^{label}{n}]", ""]
    for n, cite in enumerate(answer.citations, start=1):
        r = cite.record
        note = (
            f"[^{label}{n}]: {code_span(r.source)}, line {r.line}, characters {r.start}–{r.end}, "
            f"claim {code_span(r.id)}"
        )
        if n == 1 and answer.answer_start is not None and answer.answer_source == r.source:
            # where the answer itself is: `verify` checks the answer line against it
            note += f", answer at characters {answer.answer_start}–{answer.answer_end}"
        lines.append(note)
    return "\n".join(lines) + "\n"


def sources_markdown(index: SearchIndex, answers: list[Answer]) -> list[str]:
    """The "Sources" section: every cited file with its title and URL when known."""
    cited = {c.record.source for a in answers for c in a.citations}
    lines = ["## Sources", ""]
    if cited and len(cited) < len(index.sources):  # the header counts the corpus's sources
        lines += [f"The {plural(len(cited), 'source')} cited, of the {len(index.sources)} in the corpus:", ""]
    for s in index.sources:
        if s["file"] not in cited:
            continue
        entry = f"- {code_span(s['file'])}"
        if s.get("title"):
            entry += f": {md_escape(s['title'])}"
        if s.get("url"):
            entry += f" ({md_escape(s['url'])})"
        entry += f", sha256 {code_span(s['sha256'][:16])}"
        lines.append(entry)
    if not cited:
        lines.append("No source is cited: every question was abstained.")
    return lines


def _slug(text: str) -> str:
    """GitHub-style heading anchor."""
    slug = re.sub(r"[^\w\- ]", "", text.lower()).strip().replace(" ", "-")
    return slug


def briefing_markdown(
    index: SearchIndex,
    claims_path: Path,
    answers: list[Answer],
    title: str,
    generated: str,
    document: Path | None = None,
) -> str:
    """A briefing: title, date, contents, one section per question, sources, fingerprint."""
    from gpu_brief import __version__
    from gpu_brief.export import corpus_fingerprint, metadata_comment

    fingerprint = corpus_fingerprint(index.sources)
    answered = sum(not a.abstained for a in answers)
    lines = [
        f"# {md_escape(title)}",
        "",
        f"Generated {generated} by gpu-brief {__version__}: "
        f"{answered} of {plural(len(answers), 'question')} answered from {plural(len(index.sources), 'source')}.",
        "",
        "## Contents",
        "",
    ]
    headings = [f"{n}. {a.question}" for n, a in enumerate(answers, start=1)]
    for n, heading in enumerate(headings, start=1):
        suffix = " (no grounded answer)" if answers[n - 1].abstained else ""
        lines.append(f"{n}. [{md_escape(answers[n - 1].question)}](#{_slug(md_plain(heading))}){suffix}")
    lines.append("")
    for n, answer in enumerate(answers, start=1):
        lines.append(answer_markdown(answer, label=f"{n}-", number=n))
    lines += sources_markdown(index, answers)
    lines += [
        "",
        f"Corpus fingerprint: sha256 {code_span(fingerprint)} ({plural(len(index.sources), 'source')}).",
        "",
        metadata_comment(index, claims_path, answers, document),
        "",
    ]
    return "\n".join(lines)


def md_plain(text: str) -> str:
    """What a heading renders to (for its anchor): the text itself, escapes undone."""
    return inert(text, keep_newlines=False)


def md_code(text: str) -> str:
    """Text for inside a code span: no backticks, no newlines, no controls."""
    return inert(text, keep_newlines=False).replace("`", "'")


def answers_markdown(
    index: SearchIndex, claims_path: Path, answers: list[Answer], document: Path | None = None
) -> str:
    """`ask --format markdown`: the answers, their sources, and what `verify` needs."""
    from gpu_brief.export import metadata_comment

    parts = [
        answer_markdown(a, label=f"{i}-" if len(answers) > 1 else "") for i, a in enumerate(answers, start=1)
    ]
    parts.append("\n".join(sources_markdown(index, answers)) + "\n")
    parts.append(metadata_comment(index, claims_path, answers, document) + "\n")
    return "\n".join(parts)
