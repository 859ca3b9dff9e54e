"""Cited answers as Markdown briefings, and `verify`: re-check every quote against its source.

Every quote of a briefing is followed by a footnote that gives the file, line, character span and
claim id; a metadata comment at the end records where the sources were and their sha256. `verify`
reads the quotes back (undoing the Markdown escaping), slices each source at the recorded offsets
and reports each citation whose source was edited or whose quote was altered.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import itertools
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gpu_brief.errors import ClaimsFileError, InputError

if TYPE_CHECKING:
    from collections.abc import Iterable

    from gpu_brief.index import SearchIndex
    from gpu_brief.qa import Answer

METADATA = re.compile(r"<!-- gpu-brief-export v1 (?P<data>[A-Za-z0-9+/=]+) -->")
FOOTNOTE = re.compile(
    r"^\[\^(?P<label>[\w-]+)\]: (?P<fence>`+) ?(?P<file>.*?) ?(?P=fence), line (?P<line>\d+), "
    r"characters (?P<start>\d+)–(?P<end>\d+), claim (?P<fence2>`+) ?(?P<id>.*?) ?(?P=fence2)"
    r"(?:, answer at characters (?P<answer_start>\d+)–(?P<answer_end>\d+))?\s*$"
)
QUOTE = re.compile(r"^> (?P<quote>.*)\[\^(?P<label>[\w-]+)\]\s*$")
ANSWER = re.compile(r"^\*\*Answer:\*\* (?P<answer>.*)\[\^(?P<label>[\w-]+)\]\s*$")
UNCITED = re.compile(r"^\*\*Answer:\*\*\s*(?P<answer>.*?)\s*$")  # an answer line without its footnote
_UNESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
# "*also in `b.txt`, line 4; another figure, 25 millions d'euros, in `c.txt`, line 13.*" under an
# answer: the figure is re-checked against that line of its source
FIGURE_NOTE = re.compile(
    r"another figure, (?P<figure>.+?), in (?P<fence>`+) ?(?P<file>.*?) ?(?P=fence), line (?P<line>\d+)"
)


def corpus_fingerprint(sources: list[dict[str, Any]]) -> str:
    """sha256 over the sources' names and hashes: which corpus a briefing was built from."""
    digest = hashlib.sha256()
    for s in sorted(sources, key=lambda s: s["file"]):
        digest.update(f"{s['file']}\0{s['sha256']}\n".encode())
    return digest.hexdigest()


def answer_digest(answer: Answer) -> str:
    """What identifies an exported answer: its question, answer and cited spans. A chat
    `:export` to a file that already holds an answer does not add it again."""
    cited = [[c.record.source, c.record.start, c.record.end] for c in answer.citations]
    key = json.dumps([answer.question, answer.answer, cited], ensure_ascii=False)
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _relative(path: Path, base: Path) -> str:
    """`path` relative to the document's folder: a briefing sent to someone else carries no
    absolute local path, and verifies wherever it travels beside its sources."""
    try:
        return Path(os.path.relpath(path, base)).as_posix()
    except ValueError:  # another drive on Windows
        return path.as_posix()


def metadata_comment(
    index: SearchIndex, claims_path: Path, answers: list[Answer], document: Path | None = None
) -> str:
    """Where the cited sources live (relative to the document's folder, or to the current folder
    when printed) and their hashes, for `verify` (base64 JSON in a comment)."""
    cited = {c.record.source for a in answers for c in a.citations}
    sources = {s["file"]: s["sha256"] for s in index.sources if s["file"] in cited}
    base = (document.parent if document is not None else Path()).resolve()
    data = {
        "claims": _relative(claims_path.resolve(), base),
        "root": _relative(Path(index.header["root"]), base),
        "sources": sources,
        "fingerprint": corpus_fingerprint(index.sources),
        "answers": [answer_digest(a) for a in answers],
    }
    encoded = base64.b64encode(json.dumps(data, ensure_ascii=False).encode("utf-8")).decode("ascii")
    return f"<!-- gpu-brief-export v1 {encoded} -->"


def exported_digests(markdown: str) -> set[str]:
    """The answers every metadata block of a document says it holds."""
    held: set[str] = set()
    for m in METADATA.finditer(markdown):
        with contextlib.suppress(ValueError, UnicodeDecodeError, TypeError, AttributeError):
            held.update(str(d) for d in json.loads(base64.b64decode(m.group("data"))).get("answers", []))
    return held


def unescape(text: str) -> str:
    """Undo `render.md_escape`'s backslash escapes."""
    return _UNESCAPE.sub(r"\1", text)


@dataclass
class Cited:
    """One quote of a document and where its footnote says it comes from."""

    label: str
    quote: str
    file: str
    line: int
    start: int
    end: int
    claim_id: str
    answer: str | None = None
    meta: dict[str, Any] | None = None  # the metadata of the export block the quote belongs to
    quoted: bool = True  # False: an answer whose quote was taken out, checked against its footnote
    answer_at: tuple[int, int] | None = None  # where the footnote says the answer is in the source
    note: bool = False  # an "another figure" note: `quote` must be on line `line` of `file`


@dataclass
class Problem:
    cited: Cited
    reason: str


def parse(markdown: str) -> tuple[list[Cited], dict[str, Any] | None]:
    """The quotes of a gpu-brief document with their footnotes, and its last metadata if any.

    A document may hold several exports (chat `:export` appends, possibly from another claims
    file): each quote gets, in `Cited.meta`, the metadata comment that closes its block."""
    notes: dict[str, re.Match[str]] = {}
    quotes: list[tuple[str, str, int]] = []
    answers: dict[str, str] = {}
    answered_in: dict[str, int] = {}  # an answer's label -> the export block it belongs to
    blocks: list[dict[str, Any]] = []
    uncited: list[str] = []
    figures: list[tuple[str, str, str, int, int]] = []  # label of the answer, figure, file, line, block
    last = ""
    for line in markdown.splitlines():
        if (m := FOOTNOTE.match(line)) is not None:
            notes[m.group("label")] = m
        elif (m := QUOTE.match(line)) is not None:
            quotes.append((m.group("label"), unescape(m.group("quote")), len(blocks)))
        elif (m := ANSWER.match(line)) is not None:
            answers[m.group("label")] = unescape(m.group("answer"))
            answered_in[m.group("label")] = len(blocks)
            last = m.group("label")
        elif line.startswith(("*also in ", "*another figure, ")) and last:
            figures += [
                (last, unescape(n.group("figure")), n.group("file"), int(n.group("line")), len(blocks))
                for n in FIGURE_NOTE.finditer(line)
            ]
        elif (m := UNCITED.match(line)) is not None:
            uncited.append(unescape(m.group("answer")))
        elif (m := METADATA.search(line)) is not None:
            try:
                meta = json.loads(base64.b64decode(m.group("data")).decode("utf-8"))
            except (ValueError, UnicodeDecodeError):
                raise InputError("the gpu-brief metadata comment is damaged") from None
            if not isinstance(meta, dict):
                raise InputError("the gpu-brief metadata comment is damaged")
            blocks.append(meta)
    cited: list[Cited] = []
    quoted = {label for label, _, _ in quotes}
    # an answer whose quote was taken out is still checked: against the passage its footnote cites
    unquoted = [(label, "", answered_in[label]) for label in answers if label not in quoted]
    for label, quote, block in quotes + unquoted:
        note = notes.get(label)
        if note is None:
            what = "quote" if label in quoted else "answer"
            raise InputError(f"{what} [^{label}] has no footnote: not a gpu-brief export, or damaged")
        cited.append(
            Cited(
                label,
                quote,
                note.group("file"),
                int(note.group("line")),
                int(note.group("start")),
                int(note.group("end")),
                note.group("id"),
                answers.get(label),
                blocks[min(block, len(blocks) - 1)] if blocks else None,
                quoted=label in quoted,
                answer_at=(int(note.group("answer_start")), int(note.group("answer_end")))
                if note.group("answer_start") is not None
                else None,
            )
        )
    cited += [
        Cited(f"{label} note", figure, file, line, 0, 0, "", None,
              blocks[min(block, len(blocks) - 1)] if blocks else None, quoted=False, note=True)
        for label, figure, file, line, block in figures
    ]  # fmt: skip
    # an answer written in (or left without its footnote) cites nothing: reported, never passed
    cited += [Cited("", "", "", 0, 0, 0, "", answer, quoted=False) for answer in uncited]
    return cited, blocks[-1] if blocks else None


def real_names(cited: list[Cited], recorded: Iterable[str]) -> None:
    """Footnotes show file names inert (a name may hold control characters): each citation gets
    back the recorded name it shows."""
    from gpu_brief.render import inert

    real = {inert(name, keep_newlines=False): name for name in recorded}
    for c in cited:
        c.file = real.get(c.file, c.file)


def verify(
    cited: list[Cited], root: Path, recorded: dict[str, str], edited_files: set[str] | None = None
) -> list[Problem]:
    """Each citation whose quote no longer matches its source at its offsets, with why; the
    sources edited since export (their citations may still hold) go into `edited_files`."""
    from gpu_brief.render import flow, inert
    from gpu_brief.store import read_regular, source_path

    problems: list[Problem] = []
    cache: dict[str, tuple[str, str] | None] = {}
    real_names(cited, recorded)
    for c in cited:
        if not c.label:
            problems.append(Problem(c, "answer without a citation: no footnote says where it comes from"))
            continue
        if c.file not in cache:
            try:
                data = read_regular(source_path(root, c.file))
                cache[c.file] = (data.decode("utf-8", errors="replace"), hashlib.sha256(data).hexdigest())
            except (OSError, ClaimsFileError):
                cache[c.file] = None
        entry = cache[c.file]
        if entry is None:
            problems.append(Problem(c, f"source {c.file} is missing from {root}"))
            continue
        text, sha = entry
        edited = c.file in recorded and recorded[c.file] != sha
        if edited and edited_files is not None:
            edited_files.add(c.file)
        if c.note:  # on its claim's line, or further in that paragraph (a hard-wrapped one)
            lines = text.split("\n")[c.line - 1 :]  # lines as a claim's `line` counts them
            paragraph = " ".join(itertools.takewhile(str.strip, lines))
            said = inert(" ".join(paragraph.split()), keep_newlines=False)
            if not lines or " ".join(c.quote.split()) not in said:
                reason = "source edited since export" if edited else "note altered"
                problems.append(Problem(c, f"{reason}: {c.quote!r} is not on line {c.line} of {c.file}"))
            continue
        # as the briefing shows it: a hard-wrapped paragraph's line breaks as spaces (`flow`)
        current = inert(flow(text[c.start : c.end])) if c.end <= len(text) else None
        if current is not None and not edited and text.count("\n", 0, c.start) + 1 != c.line:
            problems.append(
                Problem(c, f"footnote altered: characters {c.start}–{c.end} are not on line {c.line}")
            )
            continue
        if c.answer_at is not None and not edited:
            a, b = c.answer_at
            if c.answer is None:
                problems.append(Problem(c, "answer removed: its footnote says where it was"))
                continue
            if inert(flow(text[a:b])) != c.answer:
                problems.append(Problem(c, f"answer altered: characters {a}–{b} of the source say otherwise"))
                continue
        if not c.quoted:
            if current is None or c.answer is None or c.answer not in current:
                problems.append(Problem(c, "answer altered: it is not part of the cited passage"))
        elif current != c.quote:
            reason = (
                "source edited since export: the text at these offsets changed"
                if edited
                else "quote altered: it differs from the source at these offsets"
            )
            if current is None:
                reason = f"source edited since export: offsets {c.start}–{c.end} are past its end"
            if edited and c.quote and text.count(c.quote) == 1:  # moved, not changed: say where
                at = text.index(c.quote)
                reason += f" (the quote is unchanged at characters {at}–{at + len(c.quote)}: export again)"
            problems.append(Problem(c, reason))
        elif c.answer is not None and c.answer not in c.quote:
            problems.append(Problem(c, "answer altered: it is not part of the quoted passage"))
    return problems
