"""Lines that are not article content: credits, comments, related links, social footers,
navigation, source labels, datelines and bylines. Their words are data
(`resources/lang/boilerplate.yaml`), read once; `segment` skips such a line with its reason.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from gpu_brief.text import fold, fold_with_map

INVISIBLE = "\ufeff\u200b\u200c\u200d\u2060"  # a BOM and zero-width characters


def _load_words() -> dict[str, Any]:
    """The word lists of `resources/lang/boilerplate.yaml`: knowledge of pages, kept as data."""
    path = Path(__file__).resolve().parent / "resources" / "lang" / "boilerplate.yaml"
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


_WORDS = _load_words()

# Abbreviations after which a full stop does not end a sentence (folded, without the stop).
ABBREVIATIONS = frozenset(_WORDS["abbreviations"].split())


def _either(entries: list[str]) -> str:
    """Entries of the resource file as one group of alternatives."""
    return "(" + "|".join(entries) + ")"


def _words(entries: list[str]) -> str:
    """Literal words or phrases as one group of alternatives, the longest first."""
    return _either([re.escape(w) for w in sorted(entries, key=len, reverse=True)])


# A credit line opens with a credit word and then a separator ("Photo : AFP"), with a word that
# says credit anyway ("Crédit photo Reuters", "© AFP"), or, when short, with an agency's or
# photographer's code ("Crédit 123RF", "Photo AFP"): "Crédit Agricole : le bénéfice bondit"
# and "Images de la manifestation" are a headline and a caption, not credits.
_CREDIT_WORD = _either(_WORDS["credit"]["words"])
_CREDIT = re.compile(rf"^{_CREDIT_WORD}\s*([:©\-–—|/]\s*\S|$)|^{_either(_WORDS['credit']['phrases'])}")
_CREDIT_CODE = re.compile(rf"^{_CREDIT_WORD}\s+\S")
_CODE = re.compile(r"^[\dA-Z]{2,}(?:[/\-].*)?$")  # "123RF", "AFP", "REUTERS/Benoit Tessier"
_IMAGE_FILE = re.compile(r"^\S+\.(png|jpe?g|gif|webp|svg|avif|bmp|tiff?)$")
_COMMENTS = re.compile("^" + _either(_WORDS["comments"]))
_RELATED = re.compile("^" + _either(_WORDS["related"]))
_SOCIAL_WORDS = re.compile(
    r"\b" + _words(_WORDS["social"]["words"].split() + _WORDS["social"]["phrases"]) + r"\b"
)
MARKDOWN_HEADING = re.compile(r"[ \t]{0,3}#{1,6}[ \t]+")  # "## Titre" (segment.py reads it too)
_SOCIAL_LEAD = re.compile("^" + _words(_WORDS["social"]["leads"]))
_NAV_WORDS = frozenset(_WORDS["navigation"])
_SOURCE_URL = re.compile(
    rf"^{_words(_WORDS['source_labels'])}\s*:\s*(?P<url>https?://\S+)\s*$", re.IGNORECASE
)
_BARE_URL = re.compile(r"^(?P<url>https?://\S+)$", re.IGNORECASE)
_DATELINE = re.compile(rf"^{_words(_WORDS['dateline'])}( {_words(_WORDS['dateline_linkers'])})?\s+\d")


_BYLINE = re.compile(
    rf"^{_words([fold(w) for w in _WORDS['byline']])},?\s+(?P<rest>.*)$"
)  # "De notre correspondante, X"
# the author's name: capitalised words, maybe joined by the link words of boilerplate.yaml
# ("Jean de La Fontaine et Marie Curie")
_LINKS = "|".join(re.escape(w) for w in _WORDS["byline_name_links"])
# a capitalised word, and each further one after a space, maybe a link word between (a name)
_WORD = r"[A-ZÀ-Ý][\w'’.-]*"
_MORE = rf"(?:\s+(?:(?:{_LINKS})\s+)?{_WORD})"
_AUTHOR = re.compile(rf"^{_WORD}{_MORE}*")


def _byline(line: str, folded: str) -> bool:
    """ "Par Sophie Marchand, le 3 mars 2026": the byline's words, then a name (read on the line
    as written, since case tells a name), then nothing or a separator (the date, the agency)."""
    m = _BYLINE.match(folded)
    if m is None:
        return False
    # the line stripped as `folded` was, so that offsets in one are offsets in the other (the
    # byline's words fold to as many characters)
    rest = line.strip(" \t\r" + INVISIBLE).strip()[m.start("rest") :]
    name = _AUTHOR.match(rest)
    return name is not None and (name.end() == len(rest) or rest[name.end() :].lstrip()[:1] in ",–—-|/(")


_PLACE_DATELINE = re.compile(
    rf"^{_WORD}{_MORE}{{0,4}}"  # the place
    r"(?:\s*\([^()]{1,40}\))?\s*,\s*(?P<date>(?s:.*))$"  # maybe "(AFP)", then the date (the paragraph on)
)
_DATE = re.compile(
    rf"^(?:{_words(_WORDS['place_dateline_linkers'])}\s+)?(?:\d{{1,2}}(?:{_words(_WORDS['day_suffixes'])})?\s+)?"
    rf"{_words(_WORDS['months'])}\.?(?:\s+\d{{1,2}}\b,?)?(?:\s+\d{{4}}\b)?\.?\s*(?P<rest>(?s:.*))$"
)
_EMPHASIS = re.compile(r"[*_]+")


def _after_place_date(text: str) -> int | None:
    """Where what follows a dispatch's place and date begins in `text` ("Nyons, le 12 mars 2025
    — ..."), None when it opens on no place and date. The date is read folded; the offset is the
    text's own (`fold_with_map`: a ligature widens the folded text)."""
    m = _PLACE_DATELINE.match(text)
    if m is None:
        return None
    folded, index = fold_with_map(m.group("date"))
    date = _DATE.match(folded.lower())
    return None if date is None else m.start("date") + index[date.start("rest")]


def _place_dateline(line: str) -> bool:
    """ "Nyons, le 12 mars 2025" alone on its line, maybe in emphasis, maybe then "— Par ...": the
    place and the date of a dispatch, which the sentences under it must not take for their heading."""
    plain = _EMPHASIS.sub("", line.strip(" \t\r" + INVISIBLE)).strip()
    at = _after_place_date(plain)
    if at is None:
        return False
    rest = plain[at:].strip()
    if not rest:
        return True
    if rest[0] not in "–—-|/":
        return False
    rest = rest[1:].strip()
    return _byline(rest, fold(rest).lower())


_DASHES = "–—-"


def leading_dateline(line: str) -> int:
    """The length of a dispatch's place and date opening a paragraph, up to its dash and the
    spaces after ("Brévannes-sur-Mer, le 9 avril 2025 — À marée basse, ..."), else 0: a dateline
    of its own, not a part of the first sentence (whose heading and answers it would be)."""
    # maybe in emphasis: "*Sarrabère, le 27 février 2026* — Directrice générale ..."
    opening = len(line) - len(line.lstrip("*_"))
    at = None if line[:1].isspace() else _after_place_date(line[opening:])
    if at is None:
        return 0
    at += opening
    dash = at + len(line[at:]) - len(line[at:].lstrip(" \t\n*_"))
    if dash >= len(line) or line[dash] not in _DASHES or line[dash + 1 : dash + 2] not in (" ", "\u00a0"):
        return 0
    end = dash + 1
    while end < len(line) and line[end].isspace():
        end += 1
    return end if end < len(line) else 0


def _credit_code(line: str, folded: str) -> bool:
    """A short line of a credit word and an agency's code ("Crédit 123RF", "Photo AFP"); read on
    the line as written, since case tells "AFP" from "Agricole"."""
    words = line.split()
    return (
        2 <= len(words) <= 5 and _CREDIT_CODE.match(folded) is not None and _CODE.match(words[1]) is not None
    )


def boilerplate_reason(line: str) -> str | None:
    """Why a whole line is not article content, or None when it is content. Markdown emphasis
    around the whole line is no part of it ("*Propos recueillis par Lucie Hamelin*")."""
    line = line.strip(" \t\r" + INVISIBLE)
    if len(line) > 2 and line[0] in "*_" and line[-1] == line[0]:
        line = line.strip(line[0])
    folded = fold(line.strip(" \t\r" + INVISIBLE)).strip()
    if not folded:
        return None
    if _IMAGE_FILE.match(folded):
        return "image-file"
    if _SOURCE_URL.match(folded) or _BARE_URL.match(folded):
        return "source-url"
    short = len(folded) <= 160 and not folded.endswith((".", "!", "?"))
    if short and (_CREDIT.match(folded) or _credit_code(line, folded)):
        return "photo-credit"
    if _COMMENTS.match(folded):
        return "comments"
    if _RELATED.match(folded):
        return "related-link"
    if folded.strip(" .:") in _NAV_WORDS:
        return "navigation"
    # a Markdown heading says two words of a footer to be one ("# Bienvenue pour suivre le compte
    # public WeChat ..."): "# Le département hésite à suivre la SEM" is a title
    needed = 2 if MARKDOWN_HEADING.match(folded) else 1
    social = len(folded) <= 300 and len(_SOCIAL_WORDS.findall(folded)) >= needed
    if social and (_SOCIAL_LEAD.match(folded) or "|" in folded or "·" in folded):
        return "social-footer"
    if len(folded) <= 120 and _DATELINE.match(folded):
        return "dateline"
    if short and len(folded) <= 120 and _byline(line, folded):
        return "byline"
    if len(folded) <= 160 and _place_dateline(line):
        return "dateline"
    return None


def source_url(line: str) -> str | None:
    """The address a "Source : URL" line (or a bare URL line) gives, as the article's url."""
    match = _SOURCE_URL.match(line.strip()) or _BARE_URL.match(line.strip())
    return match.group("url").rstrip(".,;)") if match else None
