"""Measure retrieval and answers on a question set: R@1, R@3, MRR, abstention, answer spans.

A citation is right when it comes from the expected source and contains the expected quote
(compared folded, spaces collapsed). An answer span is right when it contains the expected
answer and is tight: at most twice as long as the expected answer plus 40 characters, so
returning the whole sentence does not count as finding the span.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gpu_brief.errors import InputError
from gpu_brief.text import fold

if TYPE_CHECKING:
    from gpu_brief.models import EvalQuestion, QuestionSet

GROUPS = ("fr", "en", "all")


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", fold(text)).strip()


def _as_written(text: str) -> str:
    """A text with its spaces and apostrophes made one kind, its accents and case kept."""
    return " ".join(text.replace("’", "'").split())


def read_question_set(path: Path) -> QuestionSet:
    import yaml
    from pydantic import ValidationError

    from gpu_brief.folder import encoding_problem
    from gpu_brief.models import QuestionSet

    try:
        raw = path.read_bytes()
        data = yaml.safe_load(raw.decode("utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path}: no such question set") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder, not a question set") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: {encoding_problem(raw, exc, str(path))}") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except yaml.YAMLError as exc:
        from gpu_brief.store import yaml_problem

        raise InputError(f"{path}: invalid YAML: {yaml_problem(exc)}") from None
    if not isinstance(data, dict):
        raise InputError(
            f"{path}: not a question set: expected a mapping with `questions:` (see the README, Evaluation)"
        )
    try:
        questions = QuestionSet.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = _where(list(error["loc"]), data)
        # a check of the whole set ("is used twice") has no place, and pydantic's "Value error, "
        # prefix says nothing to a user
        message = str(error["msg"]).removeprefix("Value error, ")
        if error["type"] == "missing" and where.endswith(")"):
            where, field_name = where[:-1].rsplit(" (", 1)
            message = f"no `{field_name}:` (it is required)"
        raise InputError(f"{path}: {where}: {message}" if where else f"{path}: {message}") from None
    if not questions.questions:
        raise InputError(f"{path}: no questions (its `questions:` list is empty)")
    return questions


def _where(loc: list[Any], data: dict[str, Any]) -> str:
    """A validation error's place as a user finds it: "question u-07 (lang)", not
    "questions.6.lang" (an index is hard to find in a long file)."""
    if len(loc) >= 2 and loc[0] == "questions" and isinstance(loc[1], int):
        items = data.get("questions") or []
        item = items[loc[1]] if isinstance(items, list) and loc[1] < len(items) else None
        qid = item.get("id") if isinstance(item, dict) else None
        where = f"question {qid}" if qid is not None else f"questions[{loc[1]}]"
        rest = ".".join(str(p) for p in loc[2:])
        return f"{where} ({rest})" if rest else where
    return ".".join(str(p) for p in loc)


@dataclass
class Outcome:
    """How one question went."""

    question: EvalQuestion
    abstained: bool
    rank: int | None  # 1-based rank of the first right citation
    answer: str
    answer_ok: bool | None  # None when the question has no expected answer
    top: str = ""


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)

    def rows(self) -> list[dict[str, Any]]:
        """One row per language (and all): the metrics the README's table shows."""
        out = []
        for group in GROUPS:
            inscope = [
                o
                for o in self.outcomes
                if not o.question.out_of_scope and (group == "all" or o.question.lang == group)
            ]
            oos = [
                o
                for o in self.outcomes
                if o.question.out_of_scope and (group == "all" or o.question.lang == group)
            ]
            spans = [o for o in inscope if o.answer_ok is not None]
            out.append(
                {
                    "group": group,
                    "questions": len(inscope),
                    "r@1": _share(o.rank == 1 for o in inscope),
                    "r@3": _share(o.rank is not None and o.rank <= 3 for o in inscope),
                    "mrr": (sum(1 / o.rank for o in inscope if o.rank) / len(inscope)) if inscope else None,
                    "false_abstention": _share(o.abstained for o in inscope),
                    "answer_spans": len(spans),
                    "answer_accuracy": _share(bool(o.answer_ok) for o in spans),
                    "out_of_scope": len(oos),
                    "oos_abstention": _share(o.abstained for o in oos),
                }
            )
        return out

    def failures(self) -> list[Outcome]:
        return [
            o
            for o in self.outcomes
            if (o.question.out_of_scope and not o.abstained)
            or (not o.question.out_of_scope and (o.rank != 1 or o.answer_ok is False))
        ]


def _share(flags: Iterable[bool]) -> float | None:
    values = list(flags)
    return sum(values) / len(values) if values else None


def cites_expected(citation: dict[str, Any], question: EvalQuestion) -> bool:
    return any(
        citation["source"] == e.source and norm(e.quote) in norm(citation["text"]) for e in question.expect
    )


def answer_correct(answer: str, expected: str) -> bool:
    """The answer holds the expected span (a leading article aside: "plateforme X" answers "la
    plateforme X") and is not much longer: at most twice its length plus 40 characters."""
    got = norm(answer).replace("’", "'")
    full = norm(expected).replace("’", "'")
    want = re.sub(r"^(?:la|le|les|l'|un|une|des|the|an)\b\s*", "", full)
    return want in got and len(got) <= 2 * len(full) + 40


def judge(question: EvalQuestion, result: dict[str, Any]) -> Outcome:
    """Score one answer given in the `ask --format json` shape (ours or a baseline's)."""
    abstained = bool(result["abstained"])
    rank = None
    n, context = 0, None
    for citation in result.get("citations") or []:
        # a claim cited for the one it names "ce dernier" in is one passage with it: both first
        if context is None or citation.get("claim_id") != context:
            n += 1
        context = citation.get("context_of")
        if cites_expected(citation, question):
            rank = n
            break
    answer_ok = None
    if question.answer is not None:
        answer_ok = (not abstained) and answer_correct(result["answer"], question.answer)
    top = ""
    if result.get("citations"):
        c = result["citations"][0]
        top = f"{c['source']}:{c['line']}"
    return Outcome(question, abstained, rank, result["answer"], answer_ok, top)


def _did_you_mean(source: str, known: Sequence[str]) -> str:
    """The source meant: the one of that name in a subfolder, else the closest name."""
    import difflib

    name = source.replace("\\", "/").rsplit("/", 1)[-1]
    same = [k for k in known if k.rsplit("/", 1)[-1] == name]
    close = same or difflib.get_close_matches(source, list(known), n=1, cutoff=0.8)
    return f" (did you mean {close[0]!r}? a source is named by its path in the folder)" if close else ""


def check_expectations(
    path: Path,
    questions: QuestionSet,
    text_of: Callable[[str], str | None],
    claims_of: Callable[[str], list[tuple[str, list[str]]]] | None = None,
    known: Sequence[str] = (),
) -> list[str]:
    """Every expected passage, and answer, must be in the corpus: a typo in a hand-written set
    would otherwise count as a miss and quietly lower the scores. `text_of` gives a source's text,
    None for a source the claims file does not hold. With `claims_of` (a source's claims' texts,
    each with the names its pronoun refers back to), the warnings returned name each quote no
    claim holds: it crosses sentences, or lies in a line ingest left out, so no citation can hold
    it and it counts as a miss; and each answer neither its quote's sentence nor the one that
    sentence's "il" stands for says."""
    texts: dict[str, str | None] = {}
    written: dict[str, str] = {}  # each source as written, its spaces and apostrophes aside
    claims: dict[str, list[tuple[str, list[str]]]] = {}
    warnings: list[str] = []
    for q in questions.questions:
        for e in q.expect:
            if e.source not in texts:
                text = text_of(e.source)
                texts[e.source] = None if text is None else norm(text)
                written[e.source] = _as_written(text or "")
            if texts[e.source] is None:
                raise InputError(
                    f"{path}: {q.id}: no source {e.source!r} in the claims file{_did_you_mean(e.source, known)}"
                )
            if norm(e.quote) not in (texts[e.source] or ""):
                raise InputError(f"{path}: {q.id}: quote {e.quote[:60]!r} is not in {e.source}")
            if _as_written(e.quote) not in written[e.source]:
                warnings.append(
                    f"{path}: {q.id}: quote {e.quote[:60]!r} is in {e.source} only with its accents or"
                    " case set aside: a quote is copied as written (judged as if it were)"
                )
            if claims_of is not None:
                if e.source not in claims:
                    claims[e.source] = [
                        (norm(t), [norm(n) for n in names]) for t, names in claims_of(e.source)
                    ]
                if not any(norm(e.quote) in claim for claim, _ in claims[e.source]):
                    warnings.append(
                        f"{path}: {q.id}: quote {e.quote[:60]!r} is in no claim of {e.source} (it crosses"
                        " sentences, or lies in a line ingest left out): no citation can hold it, a miss"
                    )
        if q.answer is not None and not any(norm(q.answer) in (texts[e.source] or "") for e in q.expect):
            sources = ", ".join(dict.fromkeys(e.source for e in q.expect))
            raise InputError(f"{path}: {q.id}: answer {q.answer[:60]!r} is not in {sources}")
        if q.answer is not None and claims_of is not None:
            holding = [(c, names) for e in q.expect for c, names in claims[e.source] if norm(e.quote) in c]
            # "Il a demandé ...": the answer may be the name "il" stands for
            if holding and not any(norm(q.answer) in c or norm(q.answer) in names for c, names in holding):
                warnings.append(
                    f"{path}: {q.id}: answer {q.answer[:60]!r} is in no sentence of its quotes"
                    " (a typo in the quote or the answer?): judged against the answer alone"
                )
    return warnings


def evaluate(questions: QuestionSet, ask: Callable[[str], dict[str, Any]]) -> Report:
    """Run every question through `ask` (question -> answer dict) and judge it."""
    report = Report()
    for q in questions.questions:
        report.outcomes.append(judge(q, ask(q.question)))
    return report
