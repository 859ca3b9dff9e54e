"""French text normalisation and the one analyzer used for claims and questions alike.

Folding (case, accents, apostrophes, ligatures, exotic spaces) is done for matching only; the
original text is always what gets displayed and cited. `fold_with_map` keeps a map back to the
original offsets so matches found on folded text can be reported as exact source spans.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from gpu_brief.versions import ANALYZER_VERSION as ANALYZER_VERSION

APOSTROPHES = "'’‘ʼ`´′"
SPACES = "\u00a0\u202f\u2009\u2007\u2008\u200a\u2002\u2003\u2004\u2005\u2006\u205f\u3000"
HYPHENS = "-‐‑‒–"

_LIGATURES = {"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ﬁ": "fi", "ﬂ": "fl", "ß": "ss"}


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    if ch in _LIGATURES:
        return _LIGATURES[ch].lower()
    if ch in APOSTROPHES:
        return "'"
    if ch in SPACES or ch in "\t":
        return " "
    if ch in HYPHENS:
        return "-"
    decomposed = unicodedata.normalize("NFKD", ch)
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    return base.lower()


_AGENT = re.compile(r"at(?:eur|rice)s?$")


class _FoldTable(dict[int, str]):
    """`str.translate`'s table for `fold`, filled on first sight of each character: folding a
    claim runs at C speed instead of one Python call per character."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = _fold_char(chr(code))
        return folded


_FOLD_TABLE = _FoldTable()


def fold(text: str) -> str:
    """Case-, accent-, apostrophe- and ligature-insensitive form for matching (`cœur` -> `coeur`)."""
    if text.isascii():
        return text.lower().replace("`", "'").replace("\t", " ")
    return text.translate(_FOLD_TABLE)


def fold_with_map(text: str) -> tuple[str, list[int]]:
    """Fold `text` and return, for each folded character, the index of its original character.

    The map has one extra entry (len(text)) so a match ending at the end of the folded string maps to
    an exclusive end offset.
    """
    out: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        folded = _fold_char(ch)
        out.append(folded)
        index.extend([i] * len(folded))
    index.append(len(text))
    return "".join(out), index


def span_from_folded(index: list[int], start: int, end: int) -> tuple[int, int]:
    """Original (start, end) for a folded-text match [start, end)."""
    if end <= start:
        return index[start], index[start]
    return index[start], index[end - 1] + 1


# --- stopwords -------------------------------------------------------------------------------

# The Snowball French stopword list, the elided forms, and interrogatives (kept for question typing,
# useless for retrieval); and prepositions, conjunctions and determiners of no other sense
# ("entre" was an idea, and met "entrée", whose stem it is).
# what French writes between the digit groups of a number ("10 000", often a no-break or thin space)
GROUP_SPACES = " \u00a0\u202f\u2009\u2007"

FRENCH_STOPWORDS = frozenset(
    """
    au aux avec ce ces dans de des du elle en et eux il je la le leur lui ma mais me meme mes moi mon
    ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton tu un une vos
    votre vous c d j l a m n s t y ete etee etees etes etant suis es est sommes etes sont serai seras
    sera serons serez seront serais serait serions seriez seraient etais etait etions etiez etaient
    fus fut fumes futes furent sois soit soyons soyez soient fusse fusses fut fussions fussiez fussent
    ayant eu eue eues eus ai as avons avez ont aurai auras aura aurons aurez auront aurais aurait
    aurions auriez auraient avais avait avions aviez avaient eut eumes eutes eurent aie aies ait
    ayons ayez aient eusse eusses eut eussions eussiez eussent ceci cela cet cette ici ils les leurs
    quel quels quelle quelles sans soi jusqu lorsqu puisqu quoiqu quelqu presqu
    pourquoi combien quand comment quoi lequel laquelle lesquels lesquelles dont
    ca celui celle ceux celles aussi tres cet etre avoir y elles
    comme ainsi alors donc car si non oui la bien encore deja tout tous toute toutes cela ceci
    chez parmi vers
    entre lors aupres envers outre durant malgre lorsque puisque tandis afin parce cependant toutefois
    pourtant chaque plusieurs auquel duquel
    """.split()
)

ENGLISH_STOPWORDS = frozenset(
    """
    a about above after again against all am an and any are aren as at be because been before being
    below between both but by can cannot could couldn did didn do does doesn doing don down during each
    few for from further had hadn has hasn have haven having he her here hers herself him himself his
    how i if in into is isn it its itself just ll me more most my myself no nor not now of off on once
    only or other our ours ourselves out over own re s same she should shouldn so some such t than that
    the their theirs them themselves then there these they this those through to too under until up
    ve very was wasn we were weren what when where which while who whom why will with won would much many
    wouldn you your yours yourself yourselves d m o y also tell me please know according may might must shall
    per
    """.split()
)
# Stopwords written with accents. Another accented word that folds to a stopword is a word of its
# own: "né" (born) is not "ne", "dû" is not "du", "sûr" is not "sur".
ACCENTED_STOPWORDS = frozenset(
    """
    à où été étée étées étés êtes étant étais était étions étiez étaient même mêmes ça là déjà très
    fûmes fûtes fût eûmes eûtes eût
    """.split()
)

# "won" is an English stopword (won't) but also the past of "win": questions about elections need it.
ENGLISH_STOPWORDS = ENGLISH_STOPWORDS - {"won"}

# --- tokens ----------------------------------------------------------------------------------

_GROUP_SPACE = f"[{GROUP_SPACES}]"
# French numbers: `10 000` (any space as group separator), `2,50`, `48,1`; product names such as
# `GPT-4.5`, `H100`, `GPT-4o` stay whole; other words split on hyphens and apostrophes.
_FR_TOKEN = re.compile(
    rf"(?P<num>(?<![\w.,])\d{{1,3}}(?:{_GROUP_SPACE}\d{{3}})+(?:,\d+)?(?![\w])"
    r"|(?<![\w.,])\d+(?:,\d+)?(?![\w]))"
    r"|(?P<word>[^\W_]+(?:[" + HYPHENS + r"][^\W_]+|\.\d+)*)"
)
_EN_TOKEN = re.compile(
    r"(?P<num>(?<![\w.,])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\w])"
    r"|(?<![\w.,])\d+(?:\.\d+)?(?![\w]))"
    r"|(?P<word>[^\W_]+(?:[" + HYPHENS + r"][^\W_]+|\.\d+)*)"
)
_HYPHEN_SPLIT = re.compile("[" + HYPHENS + "]")
_PIECES_CACHE = 200_000  # distinct words whose terms an analyzer keeps


@dataclass(frozen=True, slots=True)
class Token:
    """One analyzed token: `term` is what gets indexed; `start`/`end` slice the original text."""

    term: str
    start: int
    end: int


def normalize_number(raw: str, lang: str = "fr") -> str:
    """One spelling per number: `10 000` = `10000` = `10,000` (en); `2,50` = `2.50` -> `2.5`."""
    compact = "".join(ch for ch in raw if not ch.isspace() and ch not in SPACES)
    compact = compact.replace(",", "") if lang == "en" else compact.replace(",", ".")
    if "." in compact:
        whole, _, frac = compact.partition(".")
        frac = frac.rstrip("0")
        whole = whole.lstrip("0") or "0"
        return f"{whole}.{frac}" if frac else whole
    return compact.lstrip("0") or "0"


def _is_name(word: str) -> bool:
    """`OpenAI`, `ChatGPT`, `GPU`, `GPUs`: a capital after the first letter marks a name."""
    return len(word) > 1 and any(c.isupper() for c in word[1:])


def is_product_like(word: str) -> bool:
    """`gpt-4.5`, `h100`, `gpt-4o`: letters and digits in one token are names, not words."""
    return any(c.isdigit() for c in word) and any(c.isalpha() for c in word)


# Words in -ent that are not verbs in the third person plural: Snowball keeps them as they are
# and so must we (a verb such as "coûtent" is re-stemmed as "coûte", see `Analyzer._word_term`).
NOT_VERBS_ENT = frozenset(
    """
    intelligent president different recent excellent evident frequent apparent urgent prudent permanent
    innocent competent coherent transparent efficient client agent argent accent talent patient parent
    moment segment sentiment serpent content incident accident continent equivalent adolescent precedent
    resident dent vent cent souvent comment autrement element evenement absent present consentement
    concurrent adjacent independent dependent eloquent insuffisent pertinent omnipresent residant
    """.split()
)


# Words Snowball conflates with unrelated ones: "fonds" (funds) is not "fondé" (founded).
STEM_EXCEPTIONS = {"fonds": "fonds"}

# Irregular verbs, which Snowball leaves in pieces ("conçoit", "conçu" and "concevoir" are three
# terms; "détient" is not "détenir"): each inflected form is analysed as its infinitive. Families
# share endings: (ending of the infinitive, what replaces it in each form, the verbs).
_VERB_FAMILIES = (
    (
        "cevoir",
        "çois çoit cevons cevez çoivent cevait cevaient cevra cevront cevrait cevraient çu çue çus çues "
        "cevant çoive",
        "concevoir recevoir percevoir apercevoir décevoir",
    ),
    (
        "uire",
        "uis uit uisons uisez uisent uisait uisaient uira uiront uirait uiraient uite uits uites uisant "
        "uise uisit uisirent",
        "produire reproduire réduire conduire introduire traduire induire construire reconstruire "
        "détruire instruire",
    ),
    (
        "indre",
        "ins int ignons ignez ignent ignait ignaient indra indront indrait indraient inte ints intes "
        "ignant igne",
        "atteindre craindre peindre éteindre restreindre contraindre joindre rejoindre plaindre",
    ),
    (
        "dre",
        "ds d dons dez dent dait daient dra dront drait draient du due dus dues dant de dit",
        "vendre revendre attendre entendre étendre dépendre rendre répondre perdre descendre "
        "défendre suspendre tendre prétendre",
    ),
    (
        "mettre",
        "mets met mettons mettez mettent mettait mettaient mettra mettront mettrait mettraient mis "
        "mise mises mettant mette mit",
        "mettre permettre promettre admettre remettre soumettre transmettre commettre",
    ),
    (
        "prendre",
        "prends prend prenons prenez prennent prenait prenaient prendra prendront prendrait "
        "prendraient pris prise prises prenant prenne prit",
        "prendre comprendre apprendre reprendre surprendre",
    ),
    (
        "enir",
        "iens ient enons enez iennent enait enaient iendra iendront iendrait iendraient enu enue "
        "enus enues enant ienne int",
        "venir devenir parvenir prévenir intervenir provenir revenir convenir tenir obtenir détenir "
        "maintenir soutenir contenir retenir appartenir entretenir",
    ),
    (
        "voir",
        "vois voit voyons voyez voient voyait voyaient voira voiront voirait voiraient verra "
        "verront verrait verraient vu vue vus vues voyant",
        "voir revoir prévoir",
    ),
    (
        "rir",
        "re res rons rez rent rait raient rira riront rirait riraient ert erte erts ertes rant",
        "offrir ouvrir couvrir découvrir souffrir",
    ),
    (
        "quérir",
        "quiers quiert quérons quérez quièrent quérait quéraient querra querront querrait querraient "
        "quis quise quises quérant",
        "acquérir conquérir requérir",
    ),
    (
        "crire",
        "cris crit crivons crivez crivent crivait crivaient crira criront crirait criraient crite "
        "crits crites crivant crive",
        "écrire décrire inscrire prescrire souscrire",
    ),
    (
        "aître",
        "ais aît aissons aissez aissent aissait aissaient aîtra aîtront aîtrait aîtraient u ue us ues "
        "aissant aisse",
        "connaître reconnaître paraître apparaître disparaître",
    ),
    (
        "ttre",
        "ts t ttons ttez ttent ttait ttaient ttra ttront ttrait ttraient ttu ttue ttus ttues ttant",
        "battre débattre combattre abattre",
    ),
)
_IRREGULAR_VERBS = {
    "faire": "fais fait faisons faites font faisait faisaient fera feront ferait feraient faits "
    "faisant fasse fassent",
    "dire": "dis dit disons disent disait disaient dira diront dirait diraient dite dits disant dise",
    "pouvoir": "peux peut pouvons pouvez peuvent pouvait pouvaient pourra pourront pourrait "
    "pourraient pu pouvant puisse puissent",
    "vouloir": "veux veut voulons voulez veulent voulait voulaient voudra voudront voudrait "
    "voudraient voulu voulant veuille",
    "devoir": "dois doit devons devez doivent devait devaient devra devront devrait devraient dû doive",
    "savoir": "sais sait savons savez savent savait savaient saura sauront saurait sauraient su "
    "sachant sache",
    "valoir": "vaut valent valait valaient vaudra vaudront vaudrait vaudraient valu",
    "résoudre": "résous résout résolvons résolvent résolvait résolu résolue résolus résolues",
    "accroître": "accroît accroissent accroissait accroissaient accru accrue accrus accrues accroissant",
    "suivre": "suit suivons suivez suivent suivait suivaient suivra suivront suivrait suivraient "
    "suivi suivie suivis suivies",
    "poursuivre": "poursuis poursuit poursuivons poursuivez poursuivent poursuivait poursuivaient "
    "poursuivra poursuivront poursuivrait poursuivi poursuivie poursuivis poursuivies poursuivant",
}
# Forms that are mostly other words: "l'entreprise" is a company, "maintenant" means now.
_NOT_VERB_FORMS = frozenset("entreprise entreprises maintenant devant tenant".split())


def _verb_forms() -> dict[str, str]:
    """Folded inflected form -> folded infinitive, for the verbs above."""
    forms: dict[str, str] = {}
    for ending, endings, verbs in _VERB_FAMILIES:
        for verb in verbs.split():
            base = verb[: -len(ending)]
            for tail in endings.split():
                forms.setdefault(fold(base + tail), fold(verb))
    for verb, inflected in _IRREGULAR_VERBS.items():
        for form in inflected.split():
            forms.setdefault(fold(form), fold(verb))
    for word in _NOT_VERB_FORMS:
        forms.pop(word, None)
    return forms


class Analyzer:
    """Text -> index terms. Claims and questions go through the same code so they meet.

    Names written in capitals or camel case (`OpenAI`, `ChatGPT`, `GPU`, `TSMC`) are not stemmed:
    Snowball would turn `openai` into `open`. `surface` maps folded words seen in the corpus to
    their terms, so a question typed in lowercase or without accents (`openai`, `electricite`)
    lands on the corpus's term for `OpenAI` or `électricité`.
    """

    def __init__(self, surface: dict[str, str] | None = None) -> None:
        import Stemmer  # PyStemmer: the Snowball French stemmer, compiled (fast import and stemming)

        self._stem = Stemmer.Stemmer("french").stemWord
        self._verbs: dict[str, str] | None = None  # built on first need: most words hit `surface`
        self.surface = surface if surface is not None else {}
        self._cache: dict[str, str] = {}
        self._pieces: dict[tuple[str, bool, str], tuple[tuple[str, int, int], ...]] = {}

    def word_term(self, word: str) -> str | None:
        """Index term of one word, or None for a stopword."""
        cached = self._cache.get(word)
        if cached is not None:
            return cached or None
        term = self._word_term(word)
        self._cache[word] = term or ""
        return term

    def _word_term(self, word: str) -> str | None:
        lower = word.lower()
        folded = fold(lower)
        if folded in FRENCH_STOPWORDS and (folded == lower or lower in ACCENTED_STOPWORDS):
            return None
        if is_product_like(folded):
            return folded
        if _is_name(word):
            return folded[:-1] if len(word) > 2 and word[-1] == "s" and word[:-1].isupper() else folded
        known = self.surface.get(folded)
        if known is not None:
            return known
        if folded in STEM_EXCEPTIONS:
            return STEM_EXCEPTIONS[folded]
        if self._verbs is None:
            self._verbs = _verb_forms()
        infinitive = self._verbs.get(folded)
        if infinitive is not None:
            return fold(self._stem(infinitive))
        plain = lower.replace("œ", "oe").replace("æ", "ae")
        agent = _AGENT.search(folded)
        if agent is not None and len(folded) >= 9:
            # Snowball makes "utilisateurs" and "utilisation" one stem: the users are not the use
            return folded[: agent.start()] + "ateur"
        if folded.endswith(("trice", "trices")) and len(folded) >= 7:
            # nor does it unite "directrice" and "directeur", "actrice" and "acteur"
            plain = plain[: plain.rindex("trice")] + "teur"
        stem = self._stem(plain)
        if stem == plain and len(plain) >= 7 and plain.endswith("ent") and folded not in NOT_VERBS_ENT:
            # Snowball leaves third-person plurals alone: "coûtent" must meet "coûte", "coût".
            stem = self._stem(plain[:-2])
        elif stem == plain and len(plain) >= 4 and plain[-1] == "s" and plain[-2] in "aiou":
            # nor a plural's "s" after a vowel it keeps: "emplois" must meet "emploi", "délais"
            # "délai", "lois" "loi" (a word always written so, "mois", loses it every time)
            stem = self._stem(plain[:-1])
        return fold(stem)

    def tokens(self, text: str, lang: str = "fr") -> list[Token]:
        """Analyzed tokens with their offsets in `text` (stopwords dropped)."""
        return list(self._iter_tokens(text, lang))

    def terms(self, text: str, lang: str = "fr") -> list[str]:
        """Index terms of `text`, in order, stopwords dropped."""
        return [t.term for t in self._iter_tokens(text, lang)]

    def _iter_tokens(self, text: str, lang: str) -> Iterator[Token]:
        pattern = _EN_TOKEN if lang == "en" else _FR_TOKEN
        cache = self._pieces
        for match in pattern.finditer(text):
            key = (match.group(), match.lastgroup == "num", lang)
            pieces = cache.get(key)
            if pieces is None:
                if len(cache) > _PIECES_CACHE:
                    cache.clear()
                pieces = cache[key] = tuple(self._pieces_of(*key))
            start = match.start()
            for term, a, b in pieces:
                yield Token(term, start + a, start + b)

    def _pieces_of(self, raw: str, number: bool, lang: str) -> Iterator[tuple[str, int, int]]:
        """The terms of one matched word and their offsets in it: the same word gives the same
        pieces wherever it stands, so they are worked out once (`_iter_tokens` caches them)."""
        if number or raw.isdigit():
            yield normalize_number(raw, lang), 0, len(raw)
            return
        if not any(c.isalpha() for c in raw):  # "4.5", "2-3": numbers joined by punctuation
            for digits in re.finditer(r"\d+", raw):
                yield normalize_number(digits.group(), lang), digits.start(), digits.end()
            return
        if is_product_like(raw) or _is_name(raw):
            term = self.word_term(raw)
            if term:
                yield term, 0, len(raw)
            return
        offset = 0
        for part in _HYPHEN_SPLIT.split(raw):
            if part and not any(c.isalpha() for c in part):
                # "¼" in "A-¼" gives what "¼" alone gives: a hyphen part is a word only with letters
                for token in self._iter_tokens(part, lang):
                    yield token.term, offset + token.start, offset + token.end
            else:
                term = self.word_term(part) if part else None
                if term:
                    yield term, offset, offset + len(part)
            offset += len(part) + 1


def iter_words(text: str) -> Iterator[tuple[str, int, int]]:
    """Surface words (hyphen parts included) with offsets; used to learn the corpus's spellings."""
    for match in _FR_TOKEN.finditer(text):
        if match.lastgroup != "word":
            continue
        raw = match.group()
        if is_product_like(raw):
            continue
        offset = match.start()
        for part in _HYPHEN_SPLIT.split(raw):
            if part:
                yield part, offset, offset + len(part)
            offset += len(part) + 1
