"""The words of `fr_names.yaml` that say what a name is, and what the words before a mention
say of it: read by NER's merge at ingest and by the corpus's type vote, without spaCy."""

from __future__ import annotations

import re
from pathlib import Path

from gpu_brief.text import fold


def load_words() -> dict[str, list[str]]:
    """Each list of `fr_names.yaml`: words (a space-separated string) or phrases (a list)."""
    import yaml

    path = Path(__file__).resolve().parent / "resources" / "lang" / "fr_names.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {
        k: list(map(str, v)) if isinstance(v, list) else str(v).split()
        for k, v in data.items()
        if k != "version"
    }


def phrases(key: str, space: str = r"\s+", after: str = "") -> str:
    """A list of `fr_names.yaml` as a regex alternation, in its order: each space as `space`, an
    apostrophe as either apostrophe, and `after` appended to a phrase that does not end on an
    elision ("d'" runs on into its word)."""
    out = []
    for phrase in RAW[key]:
        body = space.join(re.escape(w).replace("'", "['’]") for w in phrase.split(" "))
        out.append(body if phrase.endswith("'") else body + after)
    return "|".join(out)


RAW = load_words()
SPACES, EDGE = r"\s+", r"\b"
WORDS = {k: frozenset(fold(w) for w in words) for k, words in RAW.items()}
_AFTER_ORGANISATION_NOUN = re.compile(
    rf"\b(?:{phrases('organisation_determiners', ' ')})\s*(?:"
    + "|".join(re.escape(w) for w in sorted(RAW["organisation_nouns"], key=len, reverse=True))
    + rf")(?:\s+(?!{phrases('complements', after=EDGE)})[a-zà-ÿ-]+)?\s+$",
    re.IGNORECASE,
)

_AFTER_PLACE_NOUN = re.compile(
    r"\b(?:"
    + "|".join(re.escape(w) for w in sorted(RAW["place_nouns"], key=len, reverse=True))
    + r")\s+(?:de|du|des|d['’])\s*$",
    re.IGNORECASE,
)


_REACH = 80  # characters before a mention its cue lies in: "le fabricant britannique " and more


def said_kind(text: str, start: int) -> str | None:
    """The type the words before a name give it ("le groupe américain X": an organisation, "le
    maire de X": a place): the text's own word, stronger than NER's guess and than other
    articles' mentions."""
    window = max(0, start - _REACH)
    if _AFTER_ORGANISATION_NOUN.search(text, window, start):
        return "organisation"
    if _AFTER_PLACE_NOUN.search(text, window, start):
        return "place"
    return None
