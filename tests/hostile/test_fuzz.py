"""Hypothesis against the segmenter, the analyzer, the claims loader and the CLI."""

from __future__ import annotations

import bisect
import json
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import CLAIMS
from gpu_brief.cli import app
from gpu_brief.errors import ClaimsFileError
from gpu_brief.segment import hard_wrapped, segment
from gpu_brief.store import read_claims
from gpu_brief.text import Analyzer
from hostile.conftest import assert_inert

ANY_TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=500) | st.text(max_size=300)
COMBINING = st.text(
    alphabet=st.sampled_from(list("aeE\u0301\u0300\u0327\u200d\u202e\u2066 .?«»\n")), max_size=300
)
LONG_LINE = st.builds(lambda w, n: (w + " ") * n, st.text(min_size=1, max_size=12), st.integers(500, 3000))


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(ANY_TEXT | COMBINING | LONG_LINE)
def test_segment_offsets_always_slice(text: str) -> None:
    seg = segment(text)
    wrapped = hard_wrapped(text)  # once: checked per span, 500 spans of a long text took 250 ms
    breaks = [i for i, c in enumerate(text) if c == "\n"]
    for span in (*seg.sentences, *seg.headings, *seg.skipped):
        piece = text[span.start : span.end]
        assert piece and ("\n" not in piece or wrapped)  # a wrapped paragraph's may
        assert span.line == bisect.bisect_left(breaks, span.start) + 1


@settings(max_examples=150)
@given(ANY_TEXT | COMBINING)
def test_analyzer_never_fails_and_offsets_slice(text: str) -> None:
    analyzer = Analyzer()
    for token in analyzer.tokens(text):
        assert 0 <= token.start < token.end <= len(text)
    for lang in ("fr", "en"):
        analyzer.terms(text, lang)


def mutate(text: str, rng: random.Random) -> str:
    lines = text.splitlines(keepends=True)
    for _ in range(rng.randint(1, 4)):
        i = rng.randrange(len(lines))
        action = rng.choice(["drop", "dup", "cut", "garble", "swap"])
        if action == "drop":
            del lines[i]
        elif action == "dup":
            lines.insert(i, lines[i])
        elif action == "cut":
            lines[i] = lines[i][: rng.randrange(len(lines[i]) + 1)]
        elif action == "garble":
            pos = rng.randrange(len(lines[i]) + 1)
            lines[i] = (
                lines[i][:pos]
                + rng.choice(['"', ":", "[", "{", "- ", "\t", "!!", "&a", "*a", "9", "\\x"])
                + lines[i][pos:]
            )
        else:
            j = rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        if not lines:
            lines = ["\n"]
    return "".join(lines)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(0, 2**32))
def test_a_mangled_claims_file_loads_or_fails_cleanly(
    tmp_path_factory: pytest.TempPathFactory, seed: int
) -> None:
    rng = random.Random(seed)
    text = CLAIMS.read_text(encoding="utf-8")[:20000]
    path = tmp_path_factory.mktemp("mangled") / "claims.yaml"
    path.write_text(mutate(text, rng), encoding="utf-8")
    try:
        read_claims(path)
    except ClaimsFileError as exc:
        assert "\n" not in str(exc) and str(path) in str(exc)  # noqa: PT017 - loading may also succeed


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(question=st.text(min_size=1, max_size=120))
def test_no_question_makes_the_cli_fail(runner, question: str) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(app, ["ask", "--claims", str(CLAIMS), "--format", "json", "--", question])
    assert result.exit_code in (0, 1, 2), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert_inert(result.stdout)
    if result.exit_code in (0, 1):
        data = json.loads(result.stdout)
        assert data["question"] == question.strip() or data["question"]


def test_surrogates_in_sources_give_valid_json(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from gpu_brief.render import inert_json

    value = {"text": "lone \udc80 surrogate and \U0001f600 emoji"}
    assert json.loads(inert_json(value))["text"] == value["text"]
