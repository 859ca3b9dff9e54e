"""One article's entity mentions: NER spans and gazetteer matches merged, one name per entity.

- The gazetteer adds what it knows (canonical name, type, aliases, roles) and wins where it
  overlaps a NER span; NER finds every other person, organisation, place (and `other`).
- A NER span is trimmed of punctuation and lowercase determiners ("l'", "la ") and dropped when
  it holds no capital, is a stop word, or is one word the article also writes in lowercase
  ("Jeux" where "jeux" occurs): common nouns at a sentence start, not names.
- Within an article, a shorter name inside a longer one is the same entity: "Brodeur" after
  "Martin Brodeur" is Martin Brodeur (a person's first or last names, not "Danemark" of "Oluf
  Ier de Danemark"; the start of an organisation's name). Of several longer names, the most
  mentioned wins ("Brodeur" is the article's Martin Brodeur, not his brother Claude Brodeur
  named once), then the last mentioned. The entity takes the type most of its mentions were
  given, unless its words or the text say otherwise ("Clark Art Institute", "le fabricant
  britannique Graphcore": organisations).
- What a pronoun refers back to: `antecedents.py`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence

from gpu_brief.entities import _SENTENCE_WORDS, Found
from gpu_brief.name_words import EDGE, QUOTED_NAME, RAW, WORDS, initials_spell, phrases, said_kind
from gpu_brief.ner import NerSpan
from gpu_brief.text import FRENCH_STOPWORDS, fold

_TRIM = " \t\n\r\u00a0\u202f\"'«»“”‘’()[]–—-,;:.!?*/"
_DETERMINER = re.compile(
    rf"(?:{phrases('name_determiners', ' ', after=' ')}|{phrases('honorifics', ' ', after=' ')})"
)
_PARTICLES = frozenset(RAW["name_particles"])
_HONORIFIC = re.compile(phrases("honorifics", " ", after=" "))
# a name's particle and the capital after it: "de Castelnau", "d'Artagnan", "van Gogh"
_PARTICLE_NAME = re.compile(
    rf"(?:{'|'.join(sorted(map(re.escape, _PARTICLES), key=len, reverse=True))})(?:\s+|['’])(?-i:[A-ZÀ-Ý])"
)
_WORD = re.compile(r"[^\W_]+")
_COMPLEMENT_GAP = re.compile(rf"\s(?:{phrases('complements', after=' ')})")  # " d'", " du "
_NOT_NAMES = FRENCH_STOPWORDS | WORDS["titles"] | _SENTENCE_WORDS  # "Selon", "Directeur": no names
# a verb with its subject pronoun after it: "Resterez-vous à la tête ... ?" (an interview's question)
_INVERTED_VERB = re.compile(
    rf"(?:{'|'.join(map(re.escape, sorted(RAW['inversion_joins'], key=len, reverse=True)))})"
    rf"(?:{phrases('inverted_pronouns')})\b",
    re.IGNORECASE,
)


# a capital opening a word, or its part after an elision ("d'Orléans")
_CAPITAL = re.compile(r"(?:^|['’])[A-ZÀ-Ý]")


def clean_span(text: str, span: NerSpan, lowercase: set[str]) -> tuple[int, int] | None:
    """The name a NER span holds, trimmed; None when it is no name (see the module's rules)."""
    start, end = span.start, span.end
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    while (m := _DETERMINER.match(text, start, end)) and m.end() < end:
        if _HONORIFIC.fullmatch(m.group()):
            if text[m.end()].isupper() or _PARTICLE_NAME.match(text, m.end(), end):
                start = m.end()  # "M. Dupont"; "Mme de Castelnau": her name is "de Castelnau"
            break
        if not text[m.end()].isupper():
            break
        start = m.end()
    surface = text[start:end]
    if end - start < 2 or not any(c.isupper() for c in surface):
        return None
    words = _WORD.findall(fold(surface))
    if not words or all(w in _NOT_NAMES for w in words):
        return None
    if len(words) == 1 and surface[:1].isupper() and surface.lower() in lowercase:
        return None
    parts = surface.split()
    if (
        len(parts) > 1
        and fold(parts[0]) in WORDS["titles"]
        and not any(_CAPITAL.search(w) for w in parts[1:])
    ):
        return None  # a role, no name after it: "Porte-parole des bateliers grévistes"
    if len(words) == 1 and _INVERTED_VERB.match(text, end):
        return None
    return start, end


# a name that stops on its complement's "des" ("Union régionale des"), and the capitalised words
# after it that finish it ("SCOP", "SCOP de Normandie" when NER took the place apart)
_OPEN_END = re.compile(rf"\s(?:{phrases('complements')})$")
_NAME_AFTER = re.compile(r" (?-i:[A-ZÀ-Ý][\w&-]*)(?: (?-i:[A-ZÀ-Ý][\w&-]*))*")


def _finished(text: str, spans: Sequence[NerSpan]) -> list[NerSpan]:
    """A name NER stopped on "de/du/des" runs on over the capitalised words after it: "Union
    régionale des" + "SCOP" is "Union régionale des SCOP" (a span there is taken in)."""
    out: list[NerSpan] = []
    for span in spans:
        if out and span.start < out[-1].end:
            continue  # inside the name before, which ran on over it
        if _OPEN_END.search(text, span.start, span.end):
            after = _NAME_AFTER.match(text, span.end)
            if after is not None:
                span = NerSpan(span.start, after.end(), span.type)
        out.append(_cut_tail(text, span))
    return out


# a lowercase head, its proper name, and lowercase words run on from the sentence ("université
# Jacques-Cœur dit oui" of a headline): the name ends on its last capitalised word
_TAIL = re.compile(
    rf"(?-i:[A-ZÀ-Ý])[\w'’&-]*(?P<tail>(?:\s+(?!(?:{phrases('complements', after=EDGE)}))(?-i:[a-zà-ÿ])[\w'’-]*)+)$"
)


def _cut_tail(text: str, span: NerSpan) -> NerSpan:
    """A name whose head is lowercase ("université X", "lycée X") ends on its proper name or
    its complement ("université X de Bourges"); a capitalised head may take adjectives after
    ("Parti socialiste", "Banque centrale européenne")."""
    if not text[span.start : span.start + 1].islower():
        return span
    m = _TAIL.search(text, span.start, span.end)
    if m is None or m.start() == span.start:
        return span
    return NerSpan(span.start, m.start("tail"), span.type)


def _joined(text: str, spans: Sequence[NerSpan]) -> list[NerSpan]:
    """An organisation followed by a place, after one space or a complement's "de", is one
    organisation: NER cuts "Club olympique Roubaix-Tourcoing", "Microsoft France" and "Rails
    d'Argoat" in two."""
    out: list[NerSpan] = []
    for span in _finished(text, spans):
        if (
            out
            and out[-1].type == "organisation"
            and span.type == "place"
            and (
                text[out[-1].end : span.start] == " "
                or _COMPLEMENT_GAP.fullmatch(text, out[-1].end, span.start)
            )
        ):
            out[-1] = NerSpan(out[-1].start, span.end, "organisation")
        else:
            out.append(span)
    return out


def _words(name: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(fold(name)))


def merge(
    texts: Sequence[str],
    gazetteer: Sequence[Sequence[Found]],
    ner: Sequence[Sequence[NerSpan]],
    lowercase: set[str],
    blocked: Sequence[Sequence[tuple[int, int]]] = (),
) -> list[list[Found]]:
    """Mentions of each piece of one article (its headings and sentences, in text order);
    offsets are into each piece. Gazetteer mentions are kept as found; a NER span overlapping
    one, or a `blocked` span (a figure: "520 000 $ US"), is dropped."""
    raw: list[tuple[int, int, int, str, str]] = []  # piece, start, end, surface, NER type
    told: set[tuple[int, int]] = set()  # (piece, start) of the mentions whose words say their type
    quoted = _quoted_names(texts)
    for i, (text, spans) in enumerate(zip(texts, ner, strict=True)):
        taken = [(f.start, f.end) for f in gazetteer[i] if not f.role]
        taken += blocked[i] if i < len(blocked) else []
        for m in quoted.finditer(text) if quoted is not None else ():
            if not any(a < m.end() and m.start() < b for a, b in taken):
                raw.append((i, m.start(), m.end(), m.group(), "organisation"))
                told.add((i, m.start()))
                taken.append(m.span())
        for span in _joined(text, spans):
            cleaned = clean_span(text, span, lowercase)
            if cleaned is None or any(a < cleaned[1] and cleaned[0] < b for a, b in taken):
                continue
            surface = " ".join(text[cleaned[0] : cleaned[1]].split())
            said = said_kind(text, cleaned[0], surface)
            if said is not None:
                told.add((i, cleaned[0]))
            kind = said or span.type
            raw.append((i, cleaned[0], cleaned[1], surface, kind))
    copies = _repeated(texts, raw, [[(f.start, f.end) for f in found] for found in gazetteer], blocked)
    copied = {(i, start) for i, start, _, _, _ in copies}
    raw = sorted(raw + copies, key=lambda r: (r[0], r[1]))
    names = _canonical([(surface, kind) for _, _, _, surface, kind in raw])
    names = _acronyms(texts, raw, names)
    votes: dict[str, Counter[str]] = {}
    for (i, start, _, _, kind), name in zip(raw, names, strict=True):
        if (i, start) in copied:  # a repeat found by its text: NER's type is the original's
            votes.setdefault(name, Counter())
            continue
        votes.setdefault(name, Counter())[kind] += (
            1000 if (i, start) in told else 1
        )  # the text says what it is
    for (_, _, _, _, kind), name in zip(raw, names, strict=True):
        if not votes[name]:
            votes[name][kind] += 1
    types = {name: _kind_of(name, _vote(count, name, raw, names)) for name, count in votes.items()}
    out: list[list[Found]] = [list(found) for found in gazetteer]
    for (i, start, end, _, _), name in zip(raw, names, strict=True):
        out[i].append(Found(name, types[name], start, end))
    for found in out:
        found.sort(key=lambda f: (f.start, f.role))
    return out


def _quoted_names(texts: Sequence[str]) -> re.Pattern[str] | None:
    """Names an article writes in guillemets after an organisation noun ("le collectif « Naître
    en Oisane »"), to be found whole wherever it writes them ("l'association Naître en Oisane"):
    NER cuts such a name into words it takes for a person and a place."""
    names = set()
    for text in texts:
        for m in QUOTED_NAME.finditer(text):
            name = " ".join(m.group("name").split())
            if 1 <= len(_WORD.findall(name)) <= 6:
                names.add(name)
    return _written(names, any_space=True) if names else None


def _written(names: Iterable[str], any_space: bool = False) -> re.Pattern[str]:
    """Any of these names where a text writes it whole (not inside a word or a hyphenated name),
    the longest first; with `any_space`, any run of spaces where a name has one."""
    alternatives = (re.escape(n) for n in sorted(names, key=len, reverse=True))
    if any_space:
        alternatives = (a.replace(r"\ ", r"\s+") for a in alternatives)
    return re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-])")


_ACRONYM = re.compile(r"\s*\(\s*([A-ZÀ-Ý][A-ZÀ-Ý0-9&]{1,9})\s*\)")


def _repeated(
    texts: Sequence[str],
    raw: list[tuple[int, int, int, str, str]],
    gazetteer: Sequence[Sequence[tuple[int, int]]],
    blocked: Sequence[Sequence[tuple[int, int]]],
) -> list[tuple[int, int, int, str, str]]:
    """A name NER found once in an article is that name wherever the article writes it again
    the same way ("la commission d'appel de la DNCG" after "la DNCG a relevé"), and so is the
    acronym in brackets after it ("Direction nationale du contrôle de gestion (DNCG)"): NER
    misses many repeats, which `claims --entity` and the answers' entity features then lack."""
    acronyms = dict(_bracketed(texts, raw))
    kinds: dict[str, str] = {}
    for k, (_, _, _, surface, kind) in enumerate(raw):
        kinds.setdefault(surface, kind)
        if k in acronyms:
            kinds.setdefault(acronyms[k], kind)
    if not kinds:
        return []
    pattern = _written(kinds)
    found: dict[int, list[tuple[int, int]]] = {}
    for j, start, end, _, _ in raw:
        found.setdefault(j, []).append((start, end))
    out: list[tuple[int, int, int, str, str]] = []
    for i, text in enumerate(texts):
        taken = found.get(i, []) + list(gazetteer[i]) + list(blocked[i] if i < len(blocked) else ())
        for m in pattern.finditer(text):
            if not any(a < m.end() and m.start() < b for a, b in taken):
                out.append((i, m.start(), m.end(), m.group(0), kinds[m.group(0)]))
                taken.append((m.start(), m.end()))
    return out


def _bracketed(texts: Sequence[str], raw: list[tuple[int, int, int, str, str]]) -> Iterator[tuple[int, str]]:
    """(position in `raw`, acronym) of each name followed by an acronym in brackets whose letters
    are its words' initials in order ("Mutuelle Atlantique Assurances (MAA)")."""
    for k, (i, _, end, surface, _) in enumerate(raw):
        m = _ACRONYM.match(texts[i], end)
        if m is not None and initials_spell(m.group(1), surface):
            yield k, m.group(1)


def _acronyms(texts: Sequence[str], raw: list[tuple[int, int, int, str, str]], names: list[str]) -> list[str]:
    """ "Mutuelle Atlantique Assurances (MAA)": an acronym in brackets right after a name, whose
    letters are the initials of that name's words in order, is that name everywhere in the
    article ("MAA n'étant pas cotée")."""
    alias: dict[str, str] = {}
    for k, acronym in _bracketed(texts, raw):
        alias.setdefault(acronym, names[k])
    if not alias:
        return names
    return [
        alias.get(surface, alias.get(name, name))
        for (_, _, _, surface, _), name in zip(raw, names, strict=True)
    ]


def _kind_of(name: str, voted: str) -> str:
    """The type a name's own words say ("Clark Art Institute" is an organisation), else NER's."""
    words = _words(name)
    heads = WORDS["organisation_heads"]
    if len(words) > 1 and any(w in heads or _names_a_firm(w) for w in (words[0], words[-1])):
        return "organisation"
    if len(words) > 1 and words[0] in WORDS["place_heads"]:
        return "place"
    return voted


def _vote(count: Counter[str], name: str, raw: list[tuple[int, int, int, str, str]], names: list[str]) -> str:
    """The type most mentions got; a tie goes to the type of the full name's own mentions."""
    best = max(count.values())
    tied = [kind for kind, n in count.items() if n == best]
    if len(tied) == 1:
        return tied[0]
    own = [kind for (_, _, _, surface, kind), n in zip(raw, names, strict=True) if n == name == surface]
    return next((kind for kind in own if kind in tied), sorted(tied)[0])


def _same(short: tuple[str, ...], short_kind: str, long: tuple[str, ...], long_kind: str) -> bool:
    """Is the shorter name a way of writing the longer one? The first or last names of a person
    ("Brodeur", not "Danemark" of "Oluf Ier de Danemark"), the start of an organisation's name
    ("Canadiens" of "Canadiens de Montréal", and its first word of one whose last word says it is
    one); a place inside a longer name is another entity."""
    n = len(short)
    if long_kind == "person":
        if long[:n] == short:
            return True
        return long[-n:] == short and long[-n - 1] not in _PARTICLES
    if long_kind == "organisation" and n == 1 and long[0] == short[0] and _names_a_firm(long[-1]):
        return True  # "Nordfiber" of "Nordfiber Packaging", whatever NER took the word alone for
    return long_kind == short_kind and long_kind in ("organisation", "other") and long[:n] == short


def _names_a_firm(word: str) -> bool:
    """A word of trade that closes a firm's name ("Packaging", "Emballages"); not any
    organisation's word ("Milan AC", "Milan Cricket and Football Club": Milan is a city too)."""
    return word in WORDS["firm_words"]


def _canonical(mentions: Sequence[tuple[str, str]]) -> list[str]:
    """The entity name of each mention, in order: a shorter name inside a longer one of the same
    article (same type, or any part of a person's name) takes the longer one."""
    words = {surface: _words(surface) for surface, _ in mentions}
    kinds: dict[str, Counter[str]] = {}
    frequency: Counter[str] = Counter()
    for surface, kind in mentions:
        kinds.setdefault(surface, Counter())[_kind_of(surface, kind)] += 1
        frequency[surface] += 1
    longer: dict[str, list[str]] = {}
    for short, short_words in words.items():
        if not short_words:
            continue
        short_kind = kinds[short].most_common(1)[0][0]
        for long, long_words in words.items():
            long_kind = kinds[long].most_common(1)[0][0]
            if len(long_words) > len(short_words) and _same(short_words, short_kind, long_words, long_kind):
                longer.setdefault(short, []).append(long)
    last_seen: dict[str, int] = {}
    out: list[str] = []
    for position, (surface, _) in enumerate(mentions):
        name = surface
        seen: set[str] = set()
        while name in longer and name not in seen:
            seen.add(name)
            options = longer[name]
            name = max(options, key=lambda o: (frequency[o], last_seen.get(o, -1), -options.index(o)))
        last_seen[surface] = position
        last_seen[name] = position
        out.append(name)
    return out
