"""Answers on the terminal and in JSON (the `ask --format json` contract), and `--explain`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gpu_brief.render.terminal import console, error_line, flow, indented, inert, styled
from gpu_brief.wording import ABSTAIN_TEXT

if TYPE_CHECKING:
    from rich.console import Console

    from gpu_brief.index import ClaimRecord
    from gpu_brief.qa.result import Answer, Citation, Contribution, Explanation


def contract_citation(record: ClaimRecord, score: float) -> dict[str, Any]:
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


def citation_dict(cite: Citation) -> dict[str, Any]:
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


def answer_dict(answer: Answer) -> dict[str, Any]:
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
    if answer.line is not None:
        out["line"] = answer.line
    return out


def explanation_dict(e: Explanation) -> dict[str, Any]:
    """`ask --explain` in JSON: each decision's top features, their values and contributions."""

    def parts(items: list[Contribution]) -> list[dict[str, Any]]:
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
        **(
            {}
            if e.plain is None
            else {
                "plain_check": {
                    "probability": round(e.plain.probability, 4),
                    "threshold": round(e.plain.threshold, 4),
                    "parts": parts(e.plain.parts),
                }
            }
        ),
    }


def print_explanation(e: Explanation, out: Console) -> None:
    """`ask --explain` in text: what was asked, and the features that decided most."""
    from rich.text import Text

    out.print(Text("Why:", style="bold"))
    for line in explanation_lines(e):
        out.print(Text(f"  {inert(line)}", style="dim"))


def explanation_lines(e: Explanation) -> list[str]:
    """What `--explain` says, whatever the format: the type asked, P against the threshold and
    the verdict, and each decision's top features with their contributions."""
    verdict = "answer" if e.answered else "abstain"
    if e.kind_missing is not None:
        verdict += f": no passage among the best holds the kind of answer asked for ({e.kind_missing})"
    elif e.nothing_found:
        verdict += ": no passage found"
    elif e.plain is not None and e.probability >= e.threshold and e.plain.probability < e.plain.threshold:
        verdict += ": the second verdict is under its threshold"
    lines = [
        f"asks for: {e.asked} (cue: {e.cue}); ideas: {', '.join(e.ideas)}",
        f"P(the corpus answers it) = {e.probability:.2f}, threshold {e.threshold:.2f}: {verdict}",
    ]
    if e.plain is not None:
        lines.append(
            f"second verdict (a folder without a domain pack): P = {e.plain.probability:.2f}, "
            f"threshold {e.plain.threshold:.2f}"
        )
    for title, items in (
        ("answerable", e.answerable),
        ("second verdict", e.plain.parts if e.plain is not None else []),
        ("passage", e.passage),
        ("span", e.span),
    ):
        if items:
            lines.append(f"{title}: " + ", ".join(f"{c.feature} {c.contribution:+.2f}" for c in items[:6]))
    return lines


def print_answer(answer: Answer, *, show_scores: bool = False, out: Console | None = None) -> None:
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
        + Text(inert(flow(answer.answer)), style="bold green")
        + Text("  [1]", style="cyan")
    )
    for other in best.also_in:
        out.print(Text(f"   also in {inert(other.record.source)}:{other.record.line}", style="cyan"))
    for other, figure in best.conflicts:
        out.print(
            Text(
                f"   another figure: {inert(flow(figure))} in {inert(other.record.source)}:{other.record.line}",
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
        out.print(indented(out, styled(r.text, r.start, spans)))


class ChatView:
    """How chat shows answers, messages and errors on the terminal."""

    def answer(self, answer: Answer) -> None:
        print_answer(answer)
        console().print()

    def info(self, message: str) -> None:
        console().print(inert(message, keep_newlines=True))

    def error(self, message: str) -> None:
        error_line(message)
