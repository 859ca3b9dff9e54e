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
# "le fabricant britannique", "le collectif": an organisation noun, maybe with an adjective
_ORGANISATION_NOUN = (
    rf"\b(?:{phrases('organisation_determiners', ' ')})\s*(?:"
    + "|".join(re.escape(w) for w in sorted(RAW["organisation_nouns"], key=len, reverse=True))
    + rf")(?:\s+(?!{phrases('complements', after=EDGE)})[a-zà-ÿ-]+)?"
)
_AFTER_ORGANISATION_NOUN = re.compile(rf"{_ORGANISATION_NOUN}(?:\s+|\s*«\s*)$", re.IGNORECASE)
# a name in guillemets right after an organisation noun: "le collectif « Naître en Oisane »"
# (NER takes "Naître" for a person), opening on a capital
QUOTED_NAME = re.compile(
    rf"{_ORGANISATION_NOUN}\s*«\s*(?P<name>(?-i:[A-ZÀ-Ý])[^«»\n]{{0,60}}?)\s*»",  # \s: no-break spaces too
    re.IGNORECASE,
)

_AFTER_PLACE_NOUN = re.compile(
    r"\b(?:"
    + "|".join(re.escape(w) for w in sorted(RAW["place_nouns"], key=len, reverse=True))
    + rf")\s+(?:de|du|des|d['’])\s*(?:(?:{phrases('place_articles', after=SPACES)})\s*)?$",
    re.IGNORECASE,
)


_REACH = 80  # characters before a mention its cue lies in: "le fabricant britannique " and more


def said_kind(text: str, start: int, surface: str = "") -> str | None:
    """The type the words before a name give it ("le groupe américain X": an organisation, "le
    maire de X": a place, "l'agence régionale de santé (ARS)": what its long form's head says):
    the text's own word, stronger than NER's guess and than other articles' mentions."""
    window = max(0, start - _REACH)
    if _AFTER_ORGANISATION_NOUN.search(text, window, start):
        return "organisation"
    if _AFTER_PLACE_NOUN.search(text, window, start):
        return "place"
    if surface:
        return _long_form_kind(text, start, surface)
    return None


_LONG_FORM = re.compile(r"((?:[^\W\d_][\w'’-]*\s+){1,10})\(\s*$")


def _long_form_kind(text: str, start: int, surface: str) -> str | None:
    """An acronym in brackets after its lowercase long form: the long form's head says what it
    is, as a capitalised long form's name would."""
    if not surface.isupper() or not 2 <= len(surface) <= 10:
        return None
    at = start
    while at > 0 and text[at - 1].isspace():
        at -= 1
    if at == 0 or text[at - 1] != "(":
        return None  # not in brackets (most acronyms): no long form to search for, which is slow
    m = _LONG_FORM.search(text, max(0, start - 120), start)
    if m is None:
        return None
    words = m.group(1).split()
    for k in range(len(words)):  # a run of words the letters spell whose head says a kind
        head = fold(re.split(r"['’]", words[k])[-1])
        if not initials_spell(surface, head + " " + " ".join(words[k + 1 :])):
            continue
        if head in WORDS["organisation_heads"]:
            return "organisation"
        if head in WORDS["place_heads"]:
            return "place"
    return None


def initials_spell(acronym: str, name: str) -> bool:
    """Do the acronym's letters follow the name's initials in order, from the first ("FEVS" of
    "Fédération des exportateurs de vins et spiritueux de France")?"""
    initials = [w[0] for w in re.findall(r"[^\W_]+", fold(name))]
    letters = [c for c in fold(acronym) if c.isalpha()]
    if len(initials) < 2 or not letters or letters[0] != initials[0]:
        return False
    k = 0
    for c in initials:
        if k < len(letters) and c == letters[k]:
            k += 1
    return k == len(letters)
