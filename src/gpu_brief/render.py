"""Results -> terminal text, JSON, Markdown, YAML. The only module that imports Rich.

Corpus text and questions are data: before anything reaches a terminal, control characters,
escape sequences and bidi overrides are made visible (`\\x1b`), and Rich markup in them is
escaped, so an article cannot clear the screen, forge a hyperlink or restyle the output.
"""

from __future__ import annotations

import itertools
import json
import re
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from gpu_brief.wording import ABSTAIN_TEXT

if TYPE_CHECKING:
    from rich.console import Console

    from gpu_brief.ingest import IngestResult

# C0/C1 controls (but tab and newline), DEL, bidi embeddings/overrides/isolates and marks.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def plural(n: int, word: str) -> str:
    """ "1 citation", "2 citations": counts read as English, not as a template."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def inert(text: str, *, keep_newlines: bool = False) -> str:
    """`text` with every terminal control made visible; safe to print. Newlines too, unless
    asked: a file name holding one would otherwise start a line of its own and could forge a
    citation or a quote under it."""
    out = _UNSAFE.sub(_visible, text)
    if not keep_newlines:
        out = out.replace("\n", "\\n").replace("\t", " ")
    return out


def inert_json(value: Any, *, indent: int | None = None) -> str:
    """JSON that is valid and also inert on a terminal: controls and bidi marks stay escaped.
    When stdout cannot take UTF-8 (`PYTHONIOENCODING=ascii`), every non-ASCII character is a
    JSON escape, so the output stays valid JSON."""
    encoding = (getattr(sys.stdout, "encoding", None) or "utf-8").lower().replace("-", "").replace("_", "")
    text = json.dumps(value, ensure_ascii=not encoding.startswith("utf"), indent=indent)
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


_console_cache: dict[bool, Console] = {}


def console(stderr: bool = False) -> Console:
    """The shared Rich console (stdout or stderr); markup off by default, highlighting off."""
    cached = _console_cache.get(stderr)
    if cached is not None and cached.file is (sys.stderr if stderr else sys.stdout):
        return cached
    from rich.console import Console

    made = Console(stderr=stderr, highlight=False, markup=False, emoji=False)
    made.soft_wrap = not made.is_terminal  # piped output: one line per paragraph, no padding
    _console_cache[stderr] = made
    return made


def write(text: str) -> None:
    """Plain output (JSON, Markdown, YAML): exactly these characters, no wrapping or styling."""
    sys.stdout.write(text)
    if not text.endswith("\n"):
        sys.stdout.write("\n")
    sys.stdout.flush()


def error_line(message: str) -> None:
    sys.stderr.write(f"gpu-brief: error: {inert(message, keep_newlines=False)}\n")
    sys.stderr.flush()


def warning_line(message: str) -> None:
    sys.stderr.write(f"gpu-brief: warning: {inert(message, keep_newlines=False)}\n")
    sys.stderr.flush()


# --- ingest ----------------------------------------------------------------------------------


def print_ingest(result: IngestResult, output: Any, fmt: str, *, all_candidates: bool = False) -> None:
    """The ingest summary: a row per file, totals, warnings and candidate names."""
    for warning in result.warnings:
        warning_line(f"skipped {warning}")
    if result.removed:
        # a re-ingest that drops sources says so: a wrong --pattern must not lose articles quietly
        gone = ", ".join(inert(f) for f in result.removed[:10])
        rest = f", and {len(result.removed) - 10} more" if len(result.removed) > 10 else ""
        warning_line(
            f"{plural(len(result.removed), 'source')} of the previous claims file no longer in it "
            f"(gone from the folder, or not matching --pattern): {gone}{rest}"
        )
    n_sources, n_claims = len(result.units), result.n_claims
    if fmt == "json":
        write(
            inert_json(
                {
                    "claims_file": str(output),
                    "sources": n_sources,
                    "claims": n_claims,
                    "files": [
                        {
                            "file": f.file,
                            "claims": f.claims,
                            "headings": f.headings,
                            "skipped_lines": dict(sorted(f.skipped.items())),
                            "reused": f.reused,
                            "problem": f.problem,
                        }
                        for f in result.files
                    ],
                    "candidates": [{"name": n, "mentions": m, "files": k} for n, m, k in result.candidates],
                    "removed": result.removed,
                },
                indent=2,
            )
        )
        return
    if fmt == "markdown":
        lines = ["| file | claims | headings | skipped lines | status |", "|---|---:|---:|---|---|"]
        for f in result.files:
            lines.append(
                f"| {md_cell(f.file)} | {f.claims} | {f.headings} | {md_cell(_skipped(f.skipped))} "
                f"| {md_cell(_status(f))} |"
            )
        lines.append(f"\n{plural(n_claims, 'claim')} from {plural(n_sources, 'source')} -> `{output}`")
        write("\n".join(lines))
        return
    from rich.table import Table

    # At 80 columns every header stays whole: the number columns keep their header's width, the
    # folder shared by every file goes to the title, a long name wraps (JSON keeps names whole).
    folder = _shared_folder([f.file for f in result.files])
    title = f"Ingested into {inert(str(output))}" + (f", files in {inert(folder)}" if folder else "")
    table = Table(title=title, title_justify="left")
    names = [inert(f.file[len(folder) :] if folder else f.file) for f in result.files]
    skipped = [_skipped(f.skipped) for f in result.files]
    statuses = [inert(_short_status(f)) for f in result.files]
    widths = _ingest_widths(console().width, names, skipped, statuses)
    for header, width in zip(("file", "claims", "headings", "skipped lines", "status"), widths, strict=True):
        justify = "right" if header in ("claims", "headings") else "left"
        table.add_column(header, width=width, justify=justify, overflow="fold")  # type: ignore[arg-type]
    for f, name, skip, status in zip(result.files, names, skipped, statuses, strict=True):
        table.add_row(name, str(f.claims), str(f.headings), skip, status)
    total_skipped = sum(sum(f.skipped.values()) for f in result.files)
    table.add_section()
    table.add_row(
        plural(n_sources, "source"),
        str(n_claims),
        str(sum(f.headings for f in result.files)),
        str(total_skipped),
        "",
    )
    out = console()
    out.print(table)
    kinds = Counter(e["type"] for e in result.catalog)
    if kinds:
        out.print(
            f"{len(result.catalog)} {'entity' if len(result.catalog) == 1 else 'entities'}: "
            + ", ".join(f"{kind} {n}" for kind, n in sorted(kinds.items()))
        )
    if result.candidates:
        limit = len(result.candidates) if all_candidates else 15
        shown = ", ".join(f"{inert(n)} ({m})" for n, m, _ in result.candidates[:limit])
        more = len(result.candidates) - limit
        out.print(
            f"Names nothing recognised (add them with --gazetteer; --suggest-gazetteer FILE writes a stub): {shown}"
            + (f", and {more} more (--all-candidates lists them)" if more > 0 else "")
        )


def _skipped(counter: Any) -> str:
    total = sum(counter.values())
    if not total:
        return "0"
    return f"{total}: " + ", ".join(f"{reason} {n}" for reason, n in sorted(counter.items()))


def _ingest_widths(total: int, names: list[str], skipped: list[str], statuses: list[str]) -> list[int]:
    """Column widths of the ingest summary that fit `total` columns: the numbers keep their
    headers' widths, status and skipped lines get what they need up to a quarter each, the file
    name the rest (Rich alone lets a table grow past the terminal and cuts its last column)."""
    room = max(total - 16, 40) - 6 - 8  # 6 borders and 10 of padding; claims and headings
    longest = [max((len(x) for x in column), default=0) for column in (names, skipped, statuses)]
    status = min(max(longest[2], 9), max(9, room // 4))
    skip = min(max(longest[1], 7), max(7, room // 4))
    name = max(room - status - skip, 10)
    spare = name - max(longest[0], 4)
    if spare > 0:  # short names: give the rest back to the wrapped columns
        name -= spare
        extra = min(spare, max(longest[1] - skip, 0))
        skip, status = skip + extra, min(status + spare - extra, max(longest[2], 9))
    return [name, 6, 8, skip, status]


def _shared_folder(files: list[str]) -> str:
    """The folder ("a/b/") every file name starts with, when there is one."""
    import posixpath

    if len(files) < 2 or any("/" not in f for f in files):
        return ""
    common = posixpath.commonpath([posixpath.dirname(f) for f in files])
    return f"{common}/" if common else ""


def _short_status(f: Any) -> str:
    """The status cell: a skipped file's reason up to its first detail (the warning above the
    table has it whole)."""
    status = _status(f)
    return re.split(r" \(|; ", status, maxsplit=1)[0] if f.problem else status


def _status(f: Any) -> str:
    if f.problem:
        return "skipped: " + str(f.problem).split(": ", 1)[-1]
    return "unchanged" if f.reused else "analysed"


class _NoBar:
    def __enter__(self) -> tuple[None, None]:
        return None, None

    def __exit__(self, *exc: object) -> None:
        return None


class _Bar:
    """A Rich progress bar on stderr, sized once the number of files is known."""

    def __enter__(self) -> tuple[Any, Any]:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.progress = Progress(
            TextColumn("ingesting"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console(stderr=True),
            transient=False,
        )
        self.progress.start()
        self.task = self.progress.add_task("ingest", total=None)
        return self.on_start, self.advance

    def on_start(self, total: int) -> None:
        self.progress.update(self.task, total=total)

    def advance(self, n: int) -> None:
        self.progress.advance(self.task, n)

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()


def progress_bar(enabled: bool | None) -> _NoBar | _Bar:
    """A progress bar when asked, or by default when stderr is a terminal."""
    if enabled is None:
        enabled = sys.stderr.isatty()
    return _Bar() if enabled else _NoBar()


def print_check(path: Any, stale: list[str], command: str = "gpu-brief ingest") -> None:
    if not stale:
        console().print(f"{inert(str(path))} is up to date with its sources.")
        return
    sys.stdout.write(f"{inert(str(path))} is stale; run `{inert(command)}` to rebuild it:\n")
    for reason in stale:
        sys.stdout.write(f"  - {inert(reason, keep_newlines=False)}\n")


# --- Markdown --------------------------------------------------------------------------------

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
    out = _MD_INLINE.sub(r"\\\1", inert(text, keep_newlines=False))
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


# --- answers ---------------------------------------------------------------------------------


def contract_citation(record: Any, score: float) -> dict[str, Any]:
    """The fields of a citation that the JSON contract fixes, in its order."""
    return {
        "claim_id": record.id,
        "source": record.source,
        "start": record.start,
        "end": record.end,
        "line": record.line,
        "text": record.text,
        "score": score,
    }


def citation_dict(cite: Any) -> dict[str, Any]:
    """One citation in the JSON contract (claim_id, source, start, end, line, text, score) + extras."""
    out = contract_citation(cite.record, round(cite.relevance, 6))
    out["bm25"] = round(cite.score, 6)
    out["bm25_rank"] = cite.rank + 1
    out["coverage"] = round(cite.coverage, 3)
    if cite.answer_span is not None:
        out["answer_start"], out["answer_end"] = cite.answer_span
    if cite.context_of is not None:
        out["context_of"] = cite.context_of  # it names who "il" / "ce dernier" in that claim is
    if cite.also_in:
        out["also_in"] = [
            {"claim_id": o.record.id, "source": o.record.source, "line": o.record.line} for o in cite.also_in
        ]
    if cite.conflicts:
        out["other_figures"] = [
            {"figure": fig, "claim_id": o.record.id, "source": o.record.source, "line": o.record.line}
            for o, fig in cite.conflicts
        ]
    return out


def answer_dict(answer: Any) -> dict[str, Any]:
    """The `ask --format json` object: the contract fields first, then extras."""
    out: dict[str, Any] = {
        "question": answer.question,
        "answer": answer.answer,
        "abstained": answer.abstained,
        "citations": [citation_dict(c) for c in answer.citations],
        "language": answer.lang,
        "question_type": answer.qtype,
    }
    if answer.answer_source is not None:
        out["answer_span"] = {
            "source": answer.answer_source,
            "start": answer.answer_start,
            "end": answer.answer_end,
        }
    if answer.probability is not None:
        out["probability"] = round(answer.probability, 4)
    if answer.abstained:
        out["reason"] = answer.reason
        out["not_found"] = answer.not_found
    if answer.explanation is not None:
        out["explain"] = explanation_dict(answer.explanation)
    if getattr(answer, "line", None) is not None:
        out["line"] = answer.line
    return out


def explanation_dict(e: Any) -> dict[str, Any]:
    """`ask --explain` in JSON: each decision's top features, their values and contributions."""

    def parts(items: list[Any]) -> list[dict[str, Any]]:
        return [
            {"feature": c.feature, "value": round(c.value, 4), "contribution": round(c.contribution, 4)}
            for c in items
        ]

    return {
        "asked": e.asked,
        "cue": e.cue,
        "ideas": e.ideas,
        "probability": round(e.probability, 4),
        "threshold": round(e.threshold, 4),
        "decision": "answer" if e.answered else "abstain",
        "kind_missing": e.kind_missing,
        "passage": parts(e.passage),
        "span": parts(e.span),
        "answerable": parts(e.answerable),
    }


def print_explanation(e: Any, out: Console) -> None:
    """`ask --explain` in text: what was asked, and the features that decided most."""
    from rich.text import Text

    out.print(Text("Why:", style="bold"))
    for line in _explanation_lines(e):
        out.print(Text(f"  {inert(line)}", style="dim"))


def _explanation_lines(e: Any) -> list[str]:
    """What `--explain` says, whatever the format: the type asked, P against the threshold and
    the verdict, and each decision's top features with their contributions."""
    verdict = "answer" if e.answered else "abstain"
    if e.kind_missing is not None:
        verdict += f": no passage among the best holds the kind of answer asked for ({e.kind_missing})"
    elif e.nothing_found:
        verdict += ": no passage found"
    lines = [
        f"asks for: {e.asked} (cue: {e.cue}); ideas: {', '.join(e.ideas)}",
        f"P(the corpus answers it) = {e.probability:.2f}, threshold {e.threshold:.2f}: {verdict}",
    ]
    for title, items in (("answerable", e.answerable), ("passage", e.passage), ("span", e.span)):
        if items:
            lines.append(f"{title}: " + ", ".join(f"{c.feature} {c.contribution:+.2f}" for c in items[:6]))
    return lines


def _explanation_markdown(e: Any) -> list[str]:
    """`ask --explain` in Markdown: the same lines as in text, as a list."""
    if e is None:
        return []
    return ["*Explanation:*", "", *(f"- {md_escape(line)}" for line in _explanation_lines(e))]


def _styled(text: str, base: int, spans: list[tuple[int, int, str]]) -> Any:
    """Rich Text of `text` (which starts at source offset `base`) with styled spans, made inert."""
    from rich.text import Text

    marks: dict[int, list[str]] = {}
    cuts = {0, len(text)}
    for a, b, style in spans:
        a, b = max(0, a - base), min(len(text), b - base)
        if a < b:
            cuts.update((a, b))
            for i in range(a, b):
                marks.setdefault(i, []).append(style)
    out = Text()
    points = sorted(cuts)
    for a, b in itertools.pairwise(points):
        styles = marks.get(a, [])
        out.append(inert(text[a:b], keep_newlines=False), style=" ".join(dict.fromkeys(styles)) or None)
    return out


def _indented(out: Console, text: Any, left: int = 4) -> Any:
    """Indented text: wrapped under its indent on a terminal, one whole line when piped (so a
    redirected quote is never cut at 80 columns)."""
    from rich.padding import Padding
    from rich.text import Text

    if out.is_terminal:
        return Padding(text, (0, 0, 0, left), expand=False)
    return Text(" " * left) + text


def print_answer(answer: Any, *, show_scores: bool = False, out: Console | None = None) -> None:
    """Terminal output: the short answer first, then numbered, verifiable citations."""
    from rich.text import Text

    out = out or console()
    question = Text("Q: ", style="bold") + Text(inert(answer.question, keep_newlines=False))
    out.print(question)
    if answer.abstained:
        out.print(Text(f"{ABSTAIN_TEXT}.", style="bold yellow"))
        if answer.not_found:
            missing = ", ".join(inert(m, keep_newlines=False) for m in answer.not_found)
            out.print(Text(f"Not in the corpus: {missing}", style="yellow"))
        if answer.reason:
            out.print(Text(f"({inert(answer.reason)})", style="dim"))
        if answer.explanation is not None:
            print_explanation(answer.explanation, out)
        return
    best = answer.citations[0]
    out.print(
        Text("A: ", style="bold")
        + Text(inert(answer.answer, keep_newlines=False), style="bold green")
        + Text("  [1]", style="cyan")
    )
    for other in best.also_in:
        out.print(Text(f"   also in {inert(other.record.source)}:{other.record.line}", style="cyan"))
    for other, figure in best.conflicts:
        out.print(
            Text(
                f"   another figure: {inert(figure)} in {inert(other.record.source)}:{other.record.line}",
                style="magenta",
            )
        )
    if answer.explanation is not None:
        print_explanation(answer.explanation, out)
    out.print()
    for n, cite in enumerate(answer.citations, start=1):
        r = cite.record
        head = Text(f"[{n}] ", style="cyan") + Text(f"{inert(r.source)}:{r.line}", style="bold cyan")
        meta = f"  claim {inert(r.id)}, chars {r.start}-{r.end}"
        if show_scores:
            meta += f", score {cite.relevance:.2f} (BM25 {cite.score:.2f})"
        out.print(head + Text(meta, style="dim"))
        spans = [(a, b, "bold") for a, b in cite.highlights]
        if cite.answer_span is not None:
            spans.append((cite.answer_span[0], cite.answer_span[1], "reverse green"))
        out.print(_indented(out, _styled(r.text, r.start, spans)))


def answer_markdown(answer: Any, *, label: str = "", heading: str = "##", number: int | None = None) -> str:
    """One answer as Markdown: the question as a heading, the answer, quotes with footnotes."""
    prefix = f"{number}. " if number is not None else ""
    lines = [f"{heading} {prefix}{md_escape(answer.question)}", ""]
    explained = _explanation_markdown(getattr(answer, "explanation", None))
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


def sources_markdown(index: Any, answers: list[Any]) -> list[str]:
    """The "Sources" section: every cited file with its title and URL when known."""
    cited = {c.record.source for a in answers for c in a.citations}
    lines = ["## Sources", ""]
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
    index: Any, claims_path: Any, answers: list[Any], title: str, generated: str, document: Any = None
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


def print_verify(path: Any, cited: list[Any], problems: list[Any], fmt: str) -> None:
    broken = {id(p.cited): p.reason for p in problems}
    if fmt == "json":
        write(
            inert_json(
                {
                    "document": str(path),
                    "citations": len(cited),
                    "broken": len(problems),
                    "results": [
                        {
                            "label": c.label,
                            "source": c.file,
                            "line": c.line,
                            "start": c.start,
                            "end": c.end,
                            "claim_id": c.claim_id,
                            "ok": id(c) not in broken,
                            "reason": broken.get(id(c)),
                        }
                        for c in cited
                    ],
                },
                indent=2,
            )
        )
        return
    for p in problems:
        c = p.cited
        if not c.label:
            sys.stdout.write(f"BROKEN answer {inert(c.answer or '')!r}: {inert(p.reason)}\n")
            continue
        sys.stdout.write(
            f"BROKEN [^{inert(c.label)}] {inert(c.file)}:{c.line} chars {c.start}-{c.end} "
            f"(claim {inert(c.claim_id)}): {inert(p.reason)}\n"
        )
    status = (
        "nothing to verify (every question of the document abstained)"
        if not cited
        else "all citations verified"
        if not problems
        else f"{len(problems)} of {plural(len(cited), 'citation')} broken"
    )
    sys.stdout.write(f"{inert(str(path))}: {plural(len(cited), 'citation')} checked, {status}\n")
    sys.stdout.flush()


def answers_markdown(index: Any, claims_path: Any, answers: list[Any], document: Any = None) -> str:
    """`ask --format markdown`: the answers, their sources, and what `verify` needs."""
    from gpu_brief.export import metadata_comment

    parts = [
        answer_markdown(a, label=f"{i}-" if len(answers) > 1 else "") for i, a in enumerate(answers, start=1)
    ]
    parts.append("\n".join(sources_markdown(index, answers)) + "\n")
    parts.append(metadata_comment(index, claims_path, answers, document) + "\n")
    return "\n".join(parts)


def answer_pieces(
    answers: Iterable[Any],
    fmt: str,
    *,
    batch: bool,
    index: Any = None,
    claims_path: Any = None,
    document: Any = None,
) -> Iterator[str]:
    """Answers as a document for -o, piece by piece: JSON (one object, or JSON Lines for a batch)
    and text are written as the answers come; Markdown needs them all for its metadata."""
    if fmt == "markdown":
        yield answers_markdown(index, claims_path, list(answers), document)
        return
    if fmt == "json":
        for a in answers:
            yield inert_json(answer_dict(a)) + "\n" if batch else inert_json(answer_dict(a), indent=2) + "\n"
        return
    import io

    from rich.console import Console

    for a in answers:
        capture = Console(
            file=io.StringIO(), width=100, highlight=False, markup=False, emoji=False, soft_wrap=True
        )
        print_answer(a, out=capture)
        capture.print()
        yield str(capture.file.getvalue())  # type: ignore[attr-defined]


def stream_answers(
    answers: Iterable[Any],
    fmt: str,
    *,
    batch: bool,
    show_scores: bool = False,
    index: Any = None,
    claims_path: Any = None,
) -> None:
    """Print each answer as soon as it is ready (a batch of 100,000 starts printing at once)."""
    if fmt == "markdown":
        write(answers_markdown(index, claims_path, list(answers)))
        return
    for i, a in enumerate(answers):
        if fmt == "json":
            sys.stdout.write(
                inert_json(answer_dict(a)) + "\n" if batch else inert_json(answer_dict(a), indent=2) + "\n"
            )
        else:
            if i:
                console().print()
            print_answer(a, show_scores=show_scores)
        sys.stdout.flush()


# --- eval ------------------------------------------------------------------------------------

_EVAL_COLUMNS = [
    ("group", "lang"),
    ("questions", "n"),
    ("r@1", "R@1"),
    ("r@3", "R@3"),
    ("mrr", "MRR"),
    ("false_abstention", "false abst."),
    ("answer_spans", "spans"),
    ("answer_accuracy", "span acc."),
    ("out_of_scope", "OOS"),
    ("oos_abstention", "OOS abst."),
]


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def print_eval(report: Any, fmt: str, *, details: bool = False) -> None:
    rows = report.rows()
    if fmt == "json":
        payload: dict[str, Any] = {"metrics": rows}
        if details:
            payload["failures"] = [_failure(o) for o in report.failures()]
        write(inert_json(payload, indent=2))
        return
    if fmt == "markdown":
        lines = ["| " + " | ".join(h for _, h in _EVAL_COLUMNS) + " |", "|" + "---|" * len(_EVAL_COLUMNS)]
        lines += ["| " + " | ".join(_fmt(r[k]) for k, _ in _EVAL_COLUMNS) + " |" for r in rows]
        write("\n".join(lines))
        return
    from rich.table import Table

    table = Table(title="Evaluation", title_justify="left")
    for _, header in _EVAL_COLUMNS:
        table.add_column(header, justify="right")
    for r in rows:
        table.add_row(*(_fmt(r[k]) for k, _ in _EVAL_COLUMNS))
    out = console()
    out.print(table)
    if details:
        for o in report.failures():
            f = _failure(o)
            out.print(
                f"{f['id']}: {inert(f['question'])}\n    expected {inert(f['expected'])} | "
                f"got rank {f['rank']} top {f['top']} abstained={f['abstained']} answer={inert(f['answer'][:90])!r}"
            )


def _failure(o: Any) -> dict[str, Any]:
    q = o.question
    expected = "out of scope" if q.out_of_scope else ", ".join(f"{e.source}:{e.quote[:40]}" for e in q.expect)
    if q.answer:
        expected += f" -> {q.answer}"
    return {
        "id": q.id,
        "question": q.question,
        "expected": expected,
        "rank": o.rank,
        "top": o.top,
        "abstained": o.abstained,
        "answer": o.answer,
        "answer_ok": o.answer_ok,
    }


# --- browsing --------------------------------------------------------------------------------


def print_claims(matches: list[Any], fmt: str) -> None:
    """Claims grouped by source in file order; the matched entity (or pattern) highlighted."""
    from gpu_brief.browse import claim_dict

    if fmt == "json":
        write(inert_json([claim_dict(m.record) for m in matches], indent=2))
        return
    if fmt == "yaml":
        from gpu_brief.store import flow, quote

        if not matches:
            write("[]")
            return
        lines = []
        for m in matches:
            d = claim_dict(m.record)
            lines.append(
                f"- id: {quote(d['id'])}\n  source: {quote(d['source'])}\n  line: {d['line']}\n"
                f"  start: {d['start']}\n  end: {d['end']}\n  text: {quote(d['text'])}"
            )
            lines.append("  entities:" + ("".join(f"\n  - {flow(e)}" for e in d["entities"]) or " []"))
            lines.append("  figures:" + ("".join(f"\n  - {flow(f)}" for f in d["figures"]) or " []"))
        write("\n".join(lines))
        return
    if fmt == "markdown":
        out: list[str] = []
        current = None
        for m in matches:
            r = m.record
            if r.source != current:
                current = r.source
                out += ["", f"### `{md_code(r.source)}`", ""]
            figures = "; ".join(md_escape(f["text"]) for f in r.figures)
            out.append(
                f"- **{md_escape(r.id)}** (line {r.line}): {md_escape(r.text)}"
                + (f" *({figures})*" if figures and any(f for f in r.figures) else "")
            )
        write("\n".join(out).strip())
        return
    from rich.text import Text

    if not matches:
        return
    con = console()
    current = None
    for m in matches:
        r = m.record
        if r.source != current:
            current = r.source
            con.print(Text(f"\n{inert(r.source)}", style="bold cyan"))
        con.print(Text(f"  {inert(r.id)}  line {r.line}", style="dim"))
        con.print(_indented(con, _styled(r.text, r.start, [(a, b, "bold yellow") for a, b in m.highlights])))
        if r.figures and any((a, b) in {(f["start"], f["end"]) for f in r.figures} for a, b in m.highlights):
            shown = ", ".join(_figure_label(f) for f in r.figures)
            con.print(Text(f"    figures: {inert(shown)}", style="magenta"))
    con.print(Text(f"\n{len(matches)} claim(s)", style="dim"))


def _number(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:.12g}"


def _figure_label(f: dict[str, Any]) -> str:
    """`100 milliards de dollars (money: 100000000000 $)`, `des centaines de milliers de GPU (count: vague)`."""
    value = f.get("value")
    if value is None:
        return f"{f['text']} ({f['kind']}: vague)"
    number = _number(value)
    if f.get("value_max") is not None:
        number += f" to {_number(f['value_max'])}"
    unit = f.get("unit") or f.get("counts") or ""
    extra = f" {f['per']}" if f.get("per") else ""
    return f"{f['text']} ({f['kind']}: {number} {unit}{extra})".replace(" )", ")")


def print_entities(rows: list[Any], fmt: str) -> None:
    if fmt in ("json", "yaml"):
        data = [
            {
                "name": r.name,
                "type": r.type,
                "aliases": r.aliases,
                "roles": r.roles,
                "claims": r.claims,
                "sources": r.sources,
            }
            for r in rows
        ]
        if fmt == "json":
            write(inert_json(data, indent=2))
        else:
            from gpu_brief.store import flow

            write("\n".join(f"- {flow(d)}" for d in data) or "[]")
        return
    if fmt == "markdown":
        lines = ["| name | type | aliases | claims | sources |", "|---|---|---|---:|---:|"]
        lines += [
            f"| {md_cell(r.name)} | {r.type} | {md_cell(', '.join(r.aliases))} | {r.claims} | {r.sources} |"
            for r in rows
        ]
        write("\n".join(lines))
        return
    from rich.table import Table

    table = Table(title=f"{len(rows)} entities", title_justify="left")
    for col, justify in (
        ("name", "left"),
        ("type", "left"),
        ("aliases", "left"),
        ("claims", "right"),
        ("sources", "right"),
    ):
        table.add_column(col, justify=justify)  # type: ignore[arg-type]
    for r in rows:
        aliases = ", ".join(a for a in r.aliases if a != r.name)
        if r.roles:
            aliases += (" | " if aliases else "") + "roles: " + ", ".join(r.roles)
        table.add_row(inert(r.name), r.type, inert(aliases), str(r.claims), str(r.sources))
    console().print(table)


def print_sources(
    sources: list[dict[str, Any]], fmt: str, root: str = "", stale: dict[str, str] | None = None
) -> None:
    """The sources table, and the folder they are read from: a claims file received from someone
    else decides where gpu-brief reads, so that folder is always shown (JSON: each `path`, and
    `status`: "ok", or why the source is left out of answers)."""
    stale = stale or {}
    rows = [
        {
            "file": s["file"],
            "title": s.get("title"),
            "url": s.get("url"),
            "claims": s["claims"],
            "sha256": s["sha256"],
            "path": f"{root}/{s['file']}" if root else s["file"],
            "status": stale.get(s["file"], "ok"),
        }
        for s in sources
    ]
    if fmt == "json":
        write(inert_json(rows, indent=2))
        return
    if fmt == "yaml":
        from gpu_brief.store import flow

        write("\n".join(f"- {flow(r)}" for r in rows) or "[]")
        return
    if fmt == "markdown":
        lines = [f"Read from `{md_code(root)}`:", ""] if root else []
        lines += ["| file | title | URL | claims | sha256 |", "|---|---|---|---:|---|"]
        lines += [
            f"| `{md_code(r['file'])}` | {md_cell(r['title'] or '')} | {md_cell(r['url'] or '')} | "
            f"{r['claims']} | `{r['sha256'][:12]}` |"
            for r in rows
        ]
        write("\n".join(lines))
        return
    from rich.table import Table

    where = f" in {inert(root, keep_newlines=False)}" if root else ""
    table = Table(title=plural(len(rows), "source") + where, title_justify="left")
    for col in ("file", "title", "URL", "claims", "sha256"):
        table.add_column(col, justify="right" if col == "claims" else "left", overflow="fold")
    for r in rows:
        table.add_row(
            inert(r["file"]),
            inert(r["title"] or "-"),
            inert(r["url"] or "-"),
            str(r["claims"]),
            r["sha256"][:12],
        )
    console().print(table)


def print_show(record: Any, paragraph: str, para_start: int, fmt: str) -> None:
    """One claim inside its paragraph, with file:line, heading, entities and figures."""
    from gpu_brief.browse import claim_dict

    if fmt == "json":
        data = claim_dict(record)
        data["heading"] = record.heading
        data["paragraph"] = {"start": para_start, "end": para_start + len(paragraph), "text": paragraph}
        write(inert_json(data, indent=2))
        return
    if fmt in ("markdown", "yaml"):
        before = paragraph[: record.start - para_start]
        after = paragraph[record.end - para_start :]
        if fmt == "yaml":
            from gpu_brief.store import quote

            write(
                f"id: {quote(record.id)}\nsource: {quote(record.source)}\nline: {record.line}\n"
                f"start: {record.start}\nend: {record.end}\ntext: {quote(record.text)}\n"
                f"paragraph: {quote(paragraph)}"
            )
            return
        write(
            f"`{md_code(record.source)}`, line {record.line}, claim `{md_code(record.id)}`\n\n"
            f"> {md_escape(before)}**{md_escape(record.text)}**{md_escape(after)}"
        )
        return
    from rich.text import Text

    con = console()
    con.print(
        Text(f"{inert(record.source)}:{record.line}", style="bold cyan")
        + Text(f"  claim {inert(record.id)}, chars {record.start}-{record.end}", style="dim")
    )
    if record.heading:
        con.print(Text(f"§ {inert(record.heading)}", style="italic"))
    spans = [(record.start, record.end, "bold reverse")]
    spans += [(e["start"], e["end"], "underline") for e in record.entities]
    con.print(_styled(paragraph, para_start, spans))
    if record.entities:
        names = ", ".join(
            dict.fromkeys(
                f"{e['name']} ({e['type']}{', role' if e.get('role') else ''})" for e in record.entities
            )
        )
        con.print(Text(f"entities: {inert(names)}", style="dim"))
    if record.figures:
        con.print(
            Text("figures: " + inert(", ".join(_figure_label(f) for f in record.figures)), style="magenta")
        )


class ChatView:
    """How chat shows answers, messages and errors on the terminal."""

    def answer(self, answer: Any) -> None:
        print_answer(answer)
        console().print()

    def info(self, message: str) -> None:
        console().print(inert(message, keep_newlines=True))

    def error(self, message: str) -> None:
        error_line(message)
