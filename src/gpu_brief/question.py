"""Question -> a typed query: language, what kind of answer it wants, and weighted term groups.

A group is one idea of the question (a word, a phrase, an entity) with its alternatives: the
word itself, its French translations when the question is in English, its synonyms. Retrieval
scores a group once per claim, with its best alternative.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from gpu_brief.text import ENGLISH_STOPWORDS, Analyzer, fold

SYNONYM_WEIGHT = 0.6  # a synonym of a question word counts, less than the word itself
ENTITY_WEIGHT = 1.0

Alternative = tuple[tuple[str, float], ...]


@dataclass
class QueryGroup:
    """One idea of the question and the ways the corpus may say it."""

    label: str  # the question's own words, for "not found: ..." messages
    alternatives: list[Alternative]
    anchor: bool = False  # a name or number: the answer must be about it
    translated: bool = False  # found in the lexicon: a common word, never a name

    def terms(self) -> set[str]:
        return {t for alt in self.alternatives for t, _ in alt}


@dataclass
class Query:
    text: str
    lang: str
    qtype: str  # money, percent, count, power, duration, size, when, who, where, why, how, what
    groups: list[QueryGroup]
    entities: list[str] = field(default_factory=list)
    count_noun: str | None = None
    focus: QueryGroup | None = None  # the noun a "quel X ?" / "what X?" asks about
    roles: list[str] = field(default_factory=list)  # entities designated by a role: "le PDG d'OpenAI"
    wants_quote: bool = False  # "Quelle formule ...", "How did X characterize Y?": the words used
    asks_more: bool = False  # "Besides X, what else ...?": answered by what is said in addition
    asks_action: bool = False  # "Quelle mesure X a-t-il prise ?": what X was made, or chose, to do
    aside: frozenset[str] = frozenset()  # terms of "besides X": what the asker already knows

    @property
    def expects_figure(self) -> bool:
        """How much / how many / what share: the answer is a number with its unit."""
        return self.qtype in ("money", "percent", "count", "power", "duration", "size")

    @cached_property
    def terms(self) -> frozenset[str]:
        """Every term the question brings, synonyms and translations included: what a passage
        repeats of it, or says anew."""
        return frozenset(t for g in self.groups for t in g.terms())

    @cached_property
    def asks_known(self) -> bool:
        """ "Connaît-on le nom ...", "Do we know which ...": "it is not known" is an answer."""
        return bool(_ASKS_KNOWN.search(fold(self.text)))

    @cached_property
    def word_terms(self) -> frozenset[str]:
        """The terms of its words, its names aside: where a passage speaks of what is asked."""
        return frozenset(t for g in self.groups if not g.anchor for t in g.terms())

    @property
    def yes_no(self) -> bool:
        """ "Microsoft compte-t-il remplacer ... ?", "Will Nvidia's output end the shortage?":
        answered by what a passage asserts, not by a name or a figure in it."""
        q = re.sub(r"\s+", " ", fold(self.text).replace("’", "'")).strip().lower()
        if _WH_WORD.search(without_est_ce_que(q)):
            return False
        return bool(_YES_NO_EN.match(q) if self.lang == "en" else _YES_NO_FR.search(q))

    @property
    def count_group(self) -> QueryGroup | None:
        """The question's words for the thing counted ("combien d'employés": employés and its
        synonyms); `count_noun` is folded, as typed."""
        noun = self.count_noun
        if not noun:
            return None
        return next((g for g in self.groups if noun in fold(g.label).split()), None)


# --- language and type -----------------------------------------------------------------------

_EN_MARKERS = frozenset(
    "the what how why who when where which does did is are was were do much many of to in with "
    "about has have can will would should according did its their".split()
)
_FR_MARKERS = frozenset(
    "le la les des du de est quel quelle quels quelles pourquoi combien comment qui quand ou que "
    "qu est-ce il elle sont a ont un une selon par en pour sur dans avec chez au aux et ses son sa leur leurs".split()
)


def detect_language(
    question: str, english: dict[str, Any] | None = None, french: dict[str, str] | None = None
) -> str:
    """`en` or `fr`. Counts function words, then words only one language's lexicon knows
    (`english`: the EN->FR table by stem; `french`: the corpus's folded words); accents tip the
    balance to French. Terse queries ("GPT-4.5 price per million output tokens") need the lexicons.
    """
    lowered = question.lower().replace("’", "'")
    words = re.findall(r"[a-zà-ÿœ']+", lowered)
    en = sum(1 for w in words if w in _EN_MARKERS)
    fr = sum(1 for w in words if fold(w) in _FR_MARKERS)
    if re.search(r"[àâçéèêëîïôûùüÿœ]", lowered):
        fr += 2
    if re.search(r"\b\w+'s\b", lowered):
        en += 1
    if english is not None and french is not None:
        import Stemmer

        stem = Stemmer.Stemmer("english").stemWord
        for raw in re.findall(r"[A-Za-zÀ-ÿœŒ']+", question.replace("’", "'")):
            w = raw.lower()
            if raw[0].isupper() or w in _EN_MARKERS or fold(w) in _FR_MARKERS:
                continue  # names belong to no language; function words were counted above
            in_en = stem(w) in english or w in english
            in_fr = fold(w) in french
            if in_en and not in_fr:
                en += 1
            elif in_fr and not in_en:
                fr += 1
    return "en" if en > fr else "fr"


# Nouns a "quel ..." / "which ..." question may govern, and the answer type each asks for.
_NOUN_TYPES_FR: list[tuple[str, str]] = [
    (
        "money",
        r"prix|couts?|montants?|tarifs?|budgets?|valeurs?|sommes?|depenses?|factures?|investissements?|salaires?|remunerations?",
    ),
    ("percent", r"parts?|pourcentages?|proportions?|parts? de marche"),
    ("power", r"puissances?|capacites? electriques?"),
    ("duration", r"durees?|delais?"),
    ("when", r"annees?|dates?|mois|jours?|moments?|periodes?|epoques?"),
    ("where", r"villes?|pays|lieux?|endroits?|regions?|etats?|continents?|sites?"),
    (
        "who",
        r"entreprises?|societes?|firmes?|compagnies?|partenaires?|fournisseurs?|analystes?|patrons?|personnes?"
        r"|medias?|journal|journaux|agences?|groupes?|fabricants?|investisseurs?|concurrents?|dirigeants?"
        r"|pdg|ceo|cabinets?|banques?|experts?|acteurs?|geants?|startups?|start-ups?|constructeurs?|clients?",
    ),
    (
        "name",
        r"noms?|puces?|modeles?|produits?|gpu|processeurs?|cartes?|reseaux? sociaux?|reseaux?|plateformes?"
        r"|outils?|logiciels?|applications?|services?|versions?|gammes?|supercalculateurs?|systemes?",
    ),
    ("count", r"nombres?|nb|nbre|quantites?|volumes?|production"),
    ("why", r"raisons?|causes?|motifs?|explications?"),
]
_GENERIC_NOUNS = frozenset(
    "type types genre genres sorte sortes forme formes categorie categories kind kinds sort".split()
)
_NOUN_TYPES_EN: list[tuple[str, str]] = [
    ("money", r"price|prices|cost|costs|amount|budget|value|sum|bill|investment|fee|fees|salary|salaries"),
    ("percent", r"share|percentage|percent|proportion|fraction"),
    ("power", r"power|capacity|wattage"),
    ("duration", r"duration|delay"),
    ("when", r"year|date|month|day|time|period"),
    ("where", r"city|country|place|location|region|state|continent|site"),
    (
        "who",
        r"company|companies|firm|firms|partner|partners|supplier|suppliers|analyst|analysts|person|people"
        r"|media|outlet|outlets|publication|newspaper|agency|group|maker|makers|manufacturer|chipmaker"
        r"|investor|investors|competitor|competitors|rival|executive|executives|boss|ceo|bank|expert|experts"
        r"|startup|giant|giants|government|customer|customers|vendor|vendors|exec|execs",
    ),
    (
        "name",
        r"name|chip|chips|model|models|product|products|gpu|gpus|processor|processors|card|cards|network"
        r"|platform|platforms|tool|tools|software|app|service|version|line|supercomputer|system|codename",
    ),
    ("count", r"number|quantity|volume|production|output"),
    ("why", r"reason|reasons|cause|causes|motive"),
]
# "the best way to lower costs", "what accounts for most of the costs", "réduire les coûts":
# a way or a cause is asked, not an amount
_CHANGE_OF_COST = re.compile(
    r"\b(?:costs? cuts?|cost[- ]cutting|costs? savings?|reduction des couts|baisse des couts)\b|"
    r"\b(?:lower|lowering|reduce|reducing|cut|cutting|curb|save|saving|raise|raising|increase|increasing"
    r"|accounts? for|makes? up|make up|drives?|driving"
    r"|reduire|baisser|diminuer|limiter|couper|economiser|augmenter|comprimer|maitriser|represente\w*"
    r"|pese|pesent|peser|pesant|weighs?|weighing)\s+"
    r"(?:[\w']+\s+){0,5}?(?:costs?|prices?|spending|expenses?|bills?|couts?|prix|depenses?|frais|factures?)\b"
)
_MONEY_WORDS_FR = re.compile(
    r"\b(?:cout\w*|prix|tarifs?|depens\w*|pay\w*|paie\w*|debours\w*|cher|chere|vaut|valent|valeur|montant"
    r"|factur\w*|investi\w*|budget|dollars?|euros?|argent|s'eleve|chiffr\w*)\b"
)
_MONEY_WORDS_EN = re.compile(
    r"\b(?:cost\w*|price\w*|pricing|spend\w*|spent|pay|pays|paid|paying|expensive|cheap\w*|pricey|costly"
    r"|dollars?|budget|bill|money|invest\w*|worth|charge[sd]?|fee|outlays?|expenditures?|capex"
    r"|revenues?|turnover|earnings|profits?)\b"
)


def without_est_ce_que(folded: str) -> str:
    """ "Est-ce que ... ?" asks nothing by itself: its "que" is no interrogative."""
    return re.sub(r"^est-ce qu(?:e\b|')", "", folded)


def money_cue(label: str) -> bool:
    """ "cost", "prix", "How much": words that say a price is asked, not which one. They tell
    the figure's kind, so they should not pick among a passage's prices."""
    words = re.sub(r"\b(?:how much|combien)\b", " ", fold(label).replace("’", "'")).split()
    return all(_MONEY_WORDS_FR.fullmatch(w) or _MONEY_WORDS_EN.fullmatch(w) for w in words)


def _noun_type(noun: str, table: list[tuple[str, str]]) -> str | None:
    for name, pattern in table:
        if re.fullmatch(pattern, noun):
            return name
    return None


def question_type(question: str, lang: str) -> str:
    """What kind of answer the question wants, decided by its interrogative and the noun it
    governs ("quel prix" -> money, "which city" -> where); keyword queries fall back on cues."""
    folded = fold(question).replace("’", "'")
    folded = re.sub(r"\s+", " ", folded).strip()
    return _type_en(folded) if lang == "en" else _type_fr(folded, question.lower())


def _type_fr(q: str, raw: str) -> str:
    money = bool(_MONEY_WORDS_FR.search(_CHANGE_OF_COST.sub(" ", q)))
    if re.search(
        r"\bpourquoi\b|^(?:pk|pq|pkoi)\b|pour quelles? raisons?|a cause de quoi|a quoi (?:sert|servent|servira|servirait|doit servir)|dans quel but|quel (?:est|etait|serait) (?:le but|l'objectif)|qu'est-ce qui,? (?:[^,?]{3,60}, )?(?:explique|a (?:cause|pousse|oblige|amene|conduit|contraint|motive|freine|ralenti|provoque|entraine|declenche|retarde|empeche)|pousse|oblige|motive|freine|ralentit|provoque|entraine|retarde|empeche)|^a quoi (?:[\w.'-]+ ){1,6}(?:attribue|impute)",
        q,
    ):
        return "why"
    if re.search(
        r"\bcombien de temps\b|\bcombien d'(?:annees|ans|mois|semaines|jours)\b|\bpendant combien\b", q
    ):
        return "duration"
    if (m := re.search(r"\bquand\b|\ba quel moment\b", q)) and not re.search(
        r"\b(?:que|qu'|quel\w*|qui|comment|combien)\b|^qu'",
        without_est_ce_que(q[: m.start()]),
    ):
        return "when"  # not "Qu'a fait OpenAI quand les demandes ont afflué ?"
    if re.search(r"(?:^|\s)où\b", raw) or re.search(r"^ou\b", q):
        return "where"
    if re.search(
        r"\bnoms? de code\b|comment (?:s'appelle|se nomme|se nommait|s'appelait|est (?:nomme|appele|baptise))|quel (?:est|etait) (?:le )?nom"
        r"|(?<!au )\ble nom (?:de|du|des|d')|^noms? (?:de|du|des|d')|\bsous quel nom\b",
        q,
    ):
        return "name"
    if re.search(
        r"(?:^|[,;:] ?)qui\b|\b(?:par|de|a|avec|pour|chez) qui\b|^c'est qui\b|\bc'est qui\s*\??$", q
    ) and not re.search(r"qu'est-ce qui", q):
        return "who"
    if re.search(r"\b(?:quelle|de quelle) (?:est l[ae] |sera l[ae] )?(?:taille|ampleur|envergure)\b", q):
        return "size"  # "Quelle taille fait le supercalculateur ?": any measure of it
    m = re.search(r"\bcombien (?:de |d')(\w+)", q)
    if m:
        noun = m.group(1)
        if _noun_type(noun, _NOUN_TYPES_FR) == "money" or _MONEY_WORDS_FR.fullmatch(noun):
            return "money"
        # "combien d'abonnés payants": people counted, whatever "payants" says of them
        money_verb = money and re.search(
            r"\b(?:cout\w*|vaut|valent|depens\w*|investi\w*|paie\w*|pay[eé]\w*|debours\w*)\b", q[m.end() :]
        )
        return "money" if money_verb or noun in ("milliards", "millions") else "count"
    if re.search(r"\bcombien\b", q):
        return "money" if money else "count"
    m = re.search(
        r"\b(?:quel|quelle|quels|quelles|lequel|laquelle)\s+(?:(?:est|sont|etait|etaient|serait|sera|fut)\s+)?"
        r"(?:(?:le|la|les|son|sa|ses|leur|leurs|un|une)\s+|l')?([\w-]+)(?:\s+(?:de\s+|d'|des\s+)([\w-]+))?",
        q,
    )
    if m:
        noun = m.group(2) if m.group(1) in _GENERIC_NOUNS and m.group(2) else m.group(1)
        kind = _noun_type(noun, _NOUN_TYPES_FR) or (
            _noun_type(f"{m.group(1)} {m.group(2)}", _NOUN_TYPES_FR) if m.group(2) else None
        )
        if kind:
            return kind
        if money:
            return "money"
    if re.search(r"^comment\b|\bcomment\b", q):
        return "how"
    if re.search(r"^(?:qu'est-ce|que|quoi|qu'|a quoi|de quoi)\b", q) or re.search(r"\bquels?|quelles?\b", q):
        return (
            "money"
            if money and re.search(r"\bcout|prix|tarif", q) and not re.search(r"\bqui\b", q)
            else "what"
        )
    if re.search(r"\bquoi\s*\??\s*$", q):  # "OpenAI compte diversifier quoi ?"
        return "money" if money and re.search(r"\bcout|prix|tarif", q) else "what"
    if _YES_NO_FR.search(q):  # "OpenAI pourra-t-il bientôt produire ses puces ?"
        return "money" if money else "what"
    return _keyword_type(q, money, _NOUN_TYPES_FR, _MONEY_WORDS_FR)


def _type_en(q: str) -> str:
    q = re.sub(r"\b(what|who|where|when|how|which)'s\b", r"\1 is", q)
    q = _NOT_MONEY_EN.sub(" ", q)  # "until its chips pay off", "big-budget firms": no amount asked
    money = bool(_MONEY_WORDS_EN.search(_CHANGE_OF_COST.sub(" ", q)))
    if re.search(
        r"\bwhy\b|how come|for what reason|what(?:'s| is| was) behind\b|what (?:is|are|was|were) (?:[\w.'-]+ ){1,4}for\s*\??$|to what end|for what purpose|what (?:else )?(?:caused|causes|led|leads|drove|drives|pushed|pushes|forced|forces|explains|made)\b|^what (?:do|does|did) (?:[\w.'-]+ ){1,6}(?:blame|credit)s? for\b"
        r"|^what (?:do|does|did) (?:[\w.'-]+ ){1,4}(?:say|think|believe|claim) (?:was|is|were|are) (?!happening\b|going\b)\w+ing\b",
        q,
    ):
        return "why"
    if re.search(r"\bhow long\b|how many (?:years|months|weeks|days)\b|how much time", q):
        return "duration"
    if (m := re.search(r"\bwhen\b", q)) and not re.search(r"\b(?:what|which|who|how)\b", q[: m.start()]):
        return "when"  # not "What did OpenAI do when image requests overwhelmed its GPUs?"
    if re.search(r"\bwhere\b", q):
        return "where"
    if re.search(
        r"\bcode ?names?\b|what(?:'s| is| was) (?:the |its |their )?name|(?<!in )\bthe name of\b|^names? of\b|what (?:is|was|are) (?:it|they|the \w+(?: \w+)?) called|how is it called",
        q,
    ):
        return "name"
    if re.search(r"^how (?:big|large|huge|massive)\b", q):
        return "count" if re.search(r"\bhow many\b|\bcount\b|\bnumber of\b", q) else "size"
    if re.search(r"how (?:cheap|expensive|costly|pricey|much money)", q):
        return "money"
    if re.search(
        r"how much of\b|what share|what percentage|what proportion|what fraction|market share"
        r"|^what (?:part|portion) of\b"
        r"|^what (?:is|was) (?:[\w.'-]+ ){0,3}(?:share|percentage|proportion) of\b",
        q,
    ):
        return "percent"
    if re.search(r"how much (?:power|energy|electricity|capacity)", q):
        return "power"
    if re.search(r"\bhow much\b", q):
        return "money" if money or not re.search(r"\bhow much (?:\w+ )?(?:data|memory)", q) else "count"
    if re.search(r"\bhow many\b", q):
        return "count"
    if re.search(r"(?:^|[,;:] ?)who(?:'s|se|m)?\b|\b(?:by|from|to|with) whom\b", q):
        return "who"
    if re.search(r"\b(?:which|what)\s+(?:\w+\s+)?(?:tech site|news site|website|web site)\b", q):
        return "who"  # a publication, not a place
    m = re.search(r"\b(?:which|what)\s+((?:[\w'-]+\s*){1,4})", q)
    if m and re.match(
        r"(?:is|was|are|were)\s+(?!the\b|an?\b|its\b|their\b|his\b|her\b|this\b|that\b)", m.group(1)
    ):
        m = None  # "What is Microsoft CEO Satya Nadella cautioning against?": no noun asked for
    if m and m.group(1).split()[0] not in _AUXILIARIES - {"is", "was", "are", "were"}:
        words = [
            w
            for w in m.group(1).split()
            if w not in ("is", "was", "are", "were", "the", "a", "an", "kind", "of", "type", "sort")
        ]
        if any(_MONEY_WORDS_EN.fullmatch(w) for w in words[:3]):
            return "money"  # "What yearly chip spend ...": the spend, not a chip's name
        for word in words[:3]:
            kind = _noun_type(word, _NOUN_TYPES_EN)
            if kind:
                return kind
        if money:
            return "money"
    if re.search(r"^how old\b", q):
        return "what"  # an age: what the question is about is "old", its focus
    if re.search(r"^how\b", q):
        return "how"
    if re.search(r"^(?:what|which)\b", q):
        return "money" if money else "what"
    if _YES_NO_EN.match(q):  # "Will OpenAI make its own chips any time soon?": not a "when"
        return "money" if money else "what"
    return _keyword_type(q, money, _NOUN_TYPES_EN, _MONEY_WORDS_EN)


_NOT_MONEY_EN = re.compile(
    r"\bpa(?:y|ys|id|ying) off\b|\b(?:big|low|high|large|small)[- ]budget\b|\bdeep pockets\b"
)


# Questions answered yes or no: the passage answers them, not a date or a name in it
_YES_NO_EN = re.compile(
    r"^(?:is|are|was|were|will|would|can|could|does|do|did|has|have|had|should|must|may|might)\b"
)
_YES_NO_FR = re.compile(r"^est-ce qu|\w-t-(?:il|elle|on)\b|\w-(?:il|elle|ils|elles)\s")
_WH_WORD = re.compile(
    r"\b(?:quel|quelle|quels|quelles|lequel|laquelle|qui|combien|quand|pourquoi|comment|ou|que|quoi|qu'"
    r"|what|which|who|whom|whose|how|when|where|why)\b"
)


def _keyword_type(q: str, money: bool, table: list[tuple[str, str]], money_word: re.Pattern[str]) -> str:
    """Terse queries ("prix H100 ?", "nombre d'utilisateurs"): the first telling noun decides."""
    rate = r"\b(?:par|per|a|an|each|chaque) (?:jour|mois|an|annee|semaine|heure|day|month|year|week|hour)\b"
    q = re.sub(r"^a part\b", " ", q)  # "à part ses puces, ...": "except", not a market share
    q = _CHANGE_OF_COST.sub(" ", q)  # "Other than cutting costs, what ...": no amount asked
    if re.search(
        r"\b(?:capacites?|capacity) (?:du |des |d'un |de la |de |of (?:the |a )?)(?:centres?|data ?cent)", q
    ):
        return "power"  # "capacité du centre de données": its power, in GW
    for word in re.findall(r"[\w'-]+", re.sub(rate, " ", q)):  # "par jour" is a rate, not a date
        if money_word.fullmatch(word):  # "estimate of GPU spend ... search volume": the spend
            return "money"
        kind = _noun_type(word, table)
        if kind in ("money", "percent", "count", "power", "when", "where", "duration"):
            return kind
    if _COUNTED.search(q) and _METRIC.search(q):  # "ChatGPT monthly active users?": how many
        return "count"
    if money:
        return "money"
    # "modele derriere images in chatgpt": a query opening on a kind of named thing wants its name
    return "name" if _NAMED_KIND_FIRST.match(q) else "what"


# Nouns for things known by a name ("puce" and "chip" are also the corpus's topic: "puce
# penurie" asks about a shortage, not for a chip's name)
_NAMED_KIND_FIRST = re.compile(
    r"\s*(?:modeles?|models?|noms?|names?|produits?|products?|plateformes?|platforms?|logiciels?|software"
    r"|applications?|apps?|outils?|tools?|versions?|supercalculateurs?|supercomputers?|fonctionnalites?"
    r"|features?)\b"
)


# What terse queries count: people, as a metric ("monthly active users", "abonnés payants")
_COUNTED = re.compile(
    r"\b(?:users?|subscribers?|visitors?|customers?|utilisateurs?|abonnes?|visiteurs?|clients?)\b"
)
_METRIC = re.compile(
    r"\b(?:monthly|daily|weekly|active|paying|unique|mensuels?|quotidiens?|hebdomadaires?|actifs?"
    r"|payants?|uniques?|par jour|par mois|per day|per month|a day|a month)\b"
)


# The thing counted ("how much memory", "combien d'employés"), not a verb or "time"
_EN_COUNT_NOUN = re.compile(
    r"how (?:many|much) (?:(?:paying|active|monthly|daily|weekly|unique|new|free|total|additional|extra)\s+)*"
    r"(?!(?:does|do|did|is|was|are|were|will|would|can|could|should|has|have|had"
    r"|money|time|of|more|less)\b)(\w+)"
)
_FR_COUNT_NOUN = re.compile(r"combien (?:de |d')(?!(?:temps|fois)\b)(\w+)")


# --- lexicon ---------------------------------------------------------------------------------


def compile_lexicon(raw: dict[str, Any], analyzer: Analyzer) -> dict[str, Any]:
    """Lexicon YAML -> lookup tables in analyzed terms (done once, when an index is built).

    `en`: English stem sequence (joined by spaces) -> alternatives (tuples of French terms);
    `syn`: French term -> alternatives from its synonym groups.
    """
    import Stemmer

    en_stem = Stemmer.Stemmer("english").stemWord
    en: dict[str, list[list[str]]] = {}
    for key, values in (raw.get("en_fr") or {}).items():
        stems = " ".join(en_stem(w) for w in re.findall(r"[a-z0-9]+", str(key).lower()))
        alts = en.setdefault(stems, [])
        for value in values:
            terms = analyzer.terms(str(value))
            if terms and terms not in alts:
                alts.append(terms)
    syn: dict[str, list[list[str]]] = {}
    for group in raw.get("fr_synonyms") or []:
        alts = [analyzer.terms(str(w)) for w in group]
        alts = [a for a in alts if a]
        for alt in alts:
            bucket = syn.setdefault(" ".join(alt), [])
            for other in alts:
                if other != alt and other not in bucket:
                    bucket.append(other)
    longest = max((len(k.split()) for k in en), default=1)
    syn_longest = max((len(k.split()) for k in syn), default=1)
    return {"en": en, "syn": syn, "longest": longest, "syn_longest": syn_longest}


# --- the corpus's vocabulary -----------------------------------------------------------------

FALLBACK_WEIGHT = 0.5
PREFIX = 5  # letters a question word must share with a corpus word to stand in for it


class Vocabulary:
    """What the corpus says, to repair question words it never uses.

    Snowball leaves some families apart (`cofondée` / `cofondateur`, `GPUs` / `GPU`); a word the
    corpus never uses gets, at a lower weight, the corpus words that share its first letters.
    """

    def __init__(self, known: Any, surface: dict[str, str]) -> None:
        import bisect

        self._known = known
        self.surface = surface
        self._surface = surface
        self._words = sorted(surface)
        self._bisect = bisect.bisect_left

    def known(self, term: str) -> bool:
        return bool(self._known(term))

    def repair(self, group: QueryGroup, by_prefix: bool = True) -> None:
        """A word the corpus never uses may be a plural or a typo of one it does ("H100s",
        "pénuri"); a name is only ever a plural ("Graphcore" is not "graphiques")."""
        if any(all(self.known(t) for t, _ in alt) for alt in group.alternatives):
            return
        label = fold(group.label.lower())
        extra: list[Alternative] = []
        for candidate in self._variants(label, by_prefix):
            if candidate not in extra:
                extra.append(candidate)
        group.alternatives.extend(extra[:4])

    def _variants(self, word: str, by_prefix: bool = True) -> list[Alternative]:
        out: list[Alternative] = []
        if " " in word or len(word) < 3:
            return out
        for cut in ("s", "es"):
            if word.endswith(cut) and self.known(word[: -len(cut)]):
                out.append(((word[: -len(cut)], 1.0),))
        if not by_prefix or len(word) < PREFIX + 1 or any(c.isdigit() for c in word):
            return out
        prefix = word[:PREFIX]
        i = self._bisect(self._words, prefix)
        while i < len(self._words) and self._words[i].startswith(prefix):
            term = self._surface[self._words[i]]
            alt = ((term, FALLBACK_WEIGHT),)
            if alt not in out:
                out.append(alt)
            i += 1
        return out


# --- building the query ----------------------------------------------------------------------

# Words that shape a question but are not what it is about ("Quel est le nom de ...", "Where is it
# right now?"): they would only dilute its coverage.
_QUESTION_WORDS_FR = frozenset(
    "pourquoi combien comment quand quel quelle quels quelles qui que quoi ou lequel laquelle "
    "est-ce dit faire fait peut peuvent selon".split()
)
_QUESTION_WORDS_EN = frozenset(
    "tell give show explain say says able else every really like back got get gets getting put "
    "gave became become whose right anybody anyone someone something anything thing things "
    "happen happens happened happening one".split()
)


# Asking whether something is known: "Connaît-on ...", "Do we know ...". These words ask nothing
# by themselves (blanked as interrogatives), but a passage saying it is not known answers.
_KNOWN_FR = r"\b(?:conna[iî]t|sait)[- ]on\b|\bsavons[- ]nous\b"
_KNOWN_EN = r"\bdo (?:we|they|you) know\b|\bis it (?:known|clear)\b|\bdoes anyone know\b"
_ASKS_KNOWN = re.compile(
    rf"{_KNOWN_FR}|\bon (?:sait|conna[iî]t)\b|{_KNOWN_EN}|\best-(?:il|elle) connue?\b|\b(?:is|are) \w+ known\b"
)
_INTERROGATIVES_FR = re.compile(
    r"\bpour quelle raison\b|\bqu['’]est[- ]ce (?:que|qui|qu['’])|\best[- ]ce (?:que|qu['’])|\bde quelle (?:maniere|facon)\b"
    r"|\bc['’]est quoi\b|\ben quelle annee\b|\ba quel moment\b|\bquelle est la raison\b|\bpour quelles raisons\b"
    r"|\bdepuis (?:quelle|quand)\b|\bjusqu['’]a quand\b|\ba partir de quand\b"
    r"|\bquelles sont les raisons\b|\bqu['’]en est-il\b|\ba combien s['’]eleve\b|\bs['’]eleve\b"
    # "Connaît-on le nom de ...", "Sait-on quand ...": asking whether the corpus knows
    rf"|{_KNOWN_FR}"
    r"|\bon (?:sait|conna[iî]t)\b(?= (?:quel|qui|quand|o[uù]|combien|pourquoi|comment|le nom|l['’]identit))"
    # "à propos de", "au sujet de": "about", not "ses propos" (his remarks)
    r"|(?:^|(?<=\s))[àa] propos\b|\bau sujet\b",
    re.IGNORECASE,
)
_INTERROGATIVES_EN = re.compile(
    r"\bwhat (?:is|was|are|were) the reasons? (?:for|why|behind)\b|\bfor what reason\b|\bhow come\b|\bwhat year\b"
    r"|\bwhich year\b|\bwhat kind of\b|\bwhat sort of\b|\baccording to\b|\bis it true that\b"
    rf"|{_KNOWN_EN}",
    re.IGNORECASE,
)


# "Besides X, what else ...?", "À part X, quelles autres ...?": X is known, not asked; its words
# count for ASIDE_WEIGHT of a word, so that a passage saying only X does not come first
ASIDE_WEIGHT = 0.5
_ASIDE_EN = re.compile(
    r"\b(besides|apart from|aside from|other than|beyond|in addition to|on top of|except for)\s[^,?]+(?=[,?]|$)",
    re.IGNORECASE,
)
_ASIDE_FR = re.compile(
    r"(?:^|(?<=\s))((?:[àa] part|mis [àa] part|outre|en plus d['’e]|au[- ]del[àa] d['’eu]|hormis|en dehors d['’eu])\s*)"
    r"[^,?]+(?=[,?]|$)",
    re.IGNORECASE,
)


_ACTION_ASKED = re.compile(
    r"mesures?|decisions?|actions?|initiatives?|steps?|measures?|moves?|dispositions?|demarches?"
)
_TAKING = re.compile(r"pris|prise|prises|prendre|prend|take|takes|took|taken|adopte\w*|adopt\w*|made|make")
# "what else", "quoi d'autre", "... d'autre ?": asking for more, not about other things
_MORE = re.compile(
    r"\b(?:what|who|where|anything|something) else\b|\b(?:quoi|qui|que|rien|quelque chose) d['’]autre\b"
    r"|\bd['’]autre\s*\??\s*$|\bquel(?:le)?s? autres?\b",
    re.IGNORECASE,
)


def _blank(text: str, start: int, end: int) -> str:
    """Spaces in place of text[start:end]: words dropped, every offset kept."""
    return text[:start] + " " * (end - start) + text[end:]


def _blank_out(question: str, pattern: re.Pattern[str]) -> str:
    """Replace interrogative phrases with spaces, keeping every other offset where it was."""
    return pattern.sub(lambda m: " " * len(m.group()), question)


def build_query(
    question: str,
    analyzer: Analyzer,
    lexicon: dict[str, Any],
    matcher: Any | None = None,
    vocabulary: Vocabulary | None = None,
) -> Query:
    """Analyze a question in French or English into weighted term groups."""
    from gpu_brief.entities import slug

    lang = detect_language(question, lexicon.get("en"), vocabulary.surface if vocabulary else None)
    qtype = question_type(question, lang)
    content = _blank_out(question, _INTERROGATIVES_EN if lang == "en" else _INTERROGATIVES_FR)
    # "Besides building its own chip, what else ...?": what the asker already knows
    aside = (_ASIDE_EN if lang == "en" else _ASIDE_FR).search(content)
    if aside is not None:
        content = _blank(content, *aside.span(1))
    more = _MORE.search(content)
    if more is not None:
        content = _blank(content, *more.span())
    groups: list[QueryGroup] = []
    entities: list[str] = []
    roles: list[str] = []
    mentions: list[tuple[int, int, QueryGroup]] = []
    if matcher is not None:
        for found in matcher.find(question, ignore_case=True):
            if found.name in entities or found.name in roles:
                continue
            if found.role and question[found.end : found.end + 2] in ("'s", "’s"):
                continue  # "the CEO of OpenAI's rival": not OpenAI's CEO
            # A role ("le PDG d'OpenAI") designates who is asked about: it finds the passages
            # about that person, but is not a name the answer must differ from.
            (roles if found.role else entities).append(found.name)
            group = QueryGroup(found.name, [((slug(found.name), ENTITY_WEIGHT),)], anchor=not found.role)
            groups.append(group)
            mentions.append((found.start, found.end, group))
    words = (
        _english_groups(content, analyzer, lexicon)
        if lang == "en"
        else _french_groups(content, analyzer, lexicon)
    )
    if lang == "fr" and vocabulary is not None:
        words = _code_switched(content, analyzer, lexicon, words, vocabulary)
    known: set[str] = set()
    for group, start, end in words:
        if aside is not None and aside.end(1) <= start and end <= aside.end():
            group.alternatives = [tuple((t, w * ASIDE_WEIGHT) for t, w in alt) for alt in group.alternatives]
            known |= group.terms()
        # The words of a name join its entity group: one idea, found by name or by alias. The
        # words of a role ("patron d'OpenAI") stay an idea of their own: joined to the person,
        # "directeur général" elsewhere would count as much as naming them.
        owner = next((g for a, b, g in mentions if a <= start and end <= b), None)
        if owner is not None and owner.label not in roles:
            # as written: "Run AI" is not found by the translations of "run" ("exploiter", ...)
            own = tuple((t, 1.0) for t in analyzer.terms(content[start:end], lang))
            if own and own not in owner.alternatives:
                owner.alternatives.append(own)
            continue
        if (
            not group.translated
            and question[start : start + 1].isupper()
            and start > 0
            and not _sentence_start(question, start)
        ):
            group.anchor = True  # a capitalised word mid-question is a name: Bitcoin, Paris
        groups.append(group)
    if vocabulary is not None:
        for group in groups:
            # "H100s" is H100; "Graphcore" is a name the corpus lacks, not "graphiques" misspelt
            vocabulary.repair(group, by_prefix=not group.anchor)
    for group in groups:
        if any(t.replace(".", "").isdigit() for t in group.terms()):
            group.anchor = True
    if matcher is not None and qtype == "who":
        _infer_roles(groups, entities, roles, matcher, analyzer)
    folded = fold(question)
    noun = (_EN_COUNT_NOUN if lang == "en" else _FR_COUNT_NOUN).search(folded)
    focus = _focus(question, lang, groups, words) if qtype in ("what", "who") else None
    said = re.sub(r"^(?:according to|selon|d'apres)\s[^,]{1,40},\s*", "", folded)  # "According to X, how ..."
    wants_quote = qtype in ("what", "how") and bool(_WORDING.search(folded) or _SAYING.search(said))
    asks_more = aside is not None or more is not None
    asks_action = focus is not None and bool(_ACTION_ASKED.fullmatch(fold(focus.label)))
    if asks_action:
        # "mesure", "prise", "step", "take": the question's frame, not what a passage must say
        groups = [g for g in groups if g is not focus and not _TAKING.fullmatch(fold(g.label))]
        focus = None
    return Query(
        question,
        lang,
        qtype,
        groups,
        entities,
        noun.group(1) if noun else None,
        focus,
        roles,
        wants_quote,
        asks_more,
        asks_action,
        frozenset(known),
    )


# Questions about the words someone used: answered by the quotation, not the whole claim
_WORDING = re.compile(
    r"\b(?:formules?|expressions?|termes|mots|qualifi\w*|adjectifs?|citations?|decri\w*|surnomm\w*"
    r"|characteri[sz]\w*|describ\w*|words?|phrase|wording|quote[sd]?|adjectives?|label+ed)\b"
)


# "Qu'a dit Altman ...", "What did the SambaNova executive say about ...": what they said, in
# their words
_SAYING = re.compile(
    r"^(?:qu['’]a|qu['’]ont|qu['’]avait) (?:[\w.'’-]+ ){0,4}?"
    r"(?:dit|declare|affirme|repondu|confie|lache|glisse|raconte|explique|souligne|ecrit|revele|precise)\b"
    r"|^de quoi (?:[\w.'’-]+ ){1,5}(?:plaint|plaignait|plaignent|plaindre)\b"
    r"|^qu['’]est-ce qu(?:e |['’])(?:[\w.'’-]+ ){1,5}(?:a|ont|avait) (?:dit|declare|affirme|repondu|confie)\b"
    r"|^que (?:dit|declare|affirme|repond)\b"
    r"|^what (?:did|does|do|has|have) (?:[\w.'’-]+ ){1,6}(?:say|said|tell|told|declare|state|complain|complained)\b(?! (?:was|is|were|are)\b(?! happening\b| going on\b))"
    # "How does Altman see model size?", "Comment Altman juge-t-il ...": a view, in its words
    r"|^how (?:does|do|did) (?:[\w.'’-]+ ){1,5}(?:sees?|views?|regards?|judges?|rates?)\b"
    r"|^comment (?:[\w.'’-]+ ){1,4}(?:voit|juge|considere|percoit|envisage)-(?:t-)?(?:il|elle|ils|elles)\b"
)


# "Who runs OpenAI?", "Qui pilote Nvidia ?": a verb of leading stands for a leader's role
_RIVAL = re.compile(r"concurrent\w*|riva(?:l|ux|le|les|ls)|competitors?|adversaires?|challengers?")
_LEADS = re.compile(r"^(?:runs?|leads?|heads?|manages?|dirig\w*|pilot\w*|chapeaut\w*|gere\w*)$")
# Index terms of the words for who leads a company ("dirig" is the stem of "dirigeant")
LEADER_TERMS = frozenset({"pdg", "ceo", "patron", "directeur", "dirig", "chef", "president"})
_ROLE_LEADER_TERMS = LEADER_TERMS | {"general"}  # the "général" of "directeur général d'OpenAI"


def _infer_roles(
    groups: list[QueryGroup], entities: list[str], roles: list[str], matcher: Any, analyzer: Analyzer
) -> None:
    """ "Qui dirige OpenAI ?" says "le PDG d'OpenAI" in other words: when a word of the question
    (or its synonym or translation) and the names it is about spell a gazetteer role, that word
    points to the role's person too, as if the role had been written."""
    from gpu_brief.entities import slug

    words = [g for g in groups if not g.anchor and g.label not in roles]
    if not words or not entities or any(_RIVAL.fullmatch(fold(g.label)) for g in words):
        return  # "le dirigeant d'un concurrent d'OpenAI" is not OpenAI's
    for entity in matcher.entities.values():
        if entity.name in roles or entity.name in entities:
            continue
        for phrase in entity.roles:
            names = [f.name for f in matcher.find(phrase) if not f.role]
            if not names or set(names) != set(entities):  # "le PDG de Cohere, rival d'OpenAI"
                continue
            named = {t for n in names for t in analyzer.terms(n)}
            rest = [t for t in analyzer.terms(phrase) if t not in named]
            if not rest:
                continue
            word = next(
                (
                    g
                    for g in words
                    if all(t in g.terms() for t in rest)
                    or (set(rest) <= _ROLE_LEADER_TERMS and _LEADS.match(fold(g.label)))
                ),
                None,
            )
            if word is None:
                continue
            groups.append(QueryGroup(entity.name, [((slug(entity.name), ENTITY_WEIGHT),)]))
            roles.append(entity.name)
            words.remove(word)
            break


_FOCUS_FR = re.compile(
    r"\b(?:quel|quelle|quels|quelles)\s+(?:(?:est|sont|etait|etaient|serait|sera)\s+)?"
    r"(?:(?:le|la|les|son|sa|ses|leur|leurs)\s+|l')?(?:(?:genres?|types?|sortes?|formes?)\s+(?:de\s+|d'))?(?=\w)",
    re.IGNORECASE,
)
_FOCUS_EN = re.compile(
    r"\b(?:what|which)(?:'s\s+|\s+(?:(?:is|was|are|were)\s+)?)(?:(?:the|a|an)\s+)?(?:(?:kinds?|types?|sorts?|forms?)\s+of\s+)?(?=\w)"
    r"|\b(?=how old\b)",  # "How old is Sam Altman?": his age, which no article gives
    re.IGNORECASE,
)
_AUXILIARIES = frozenset("did does do is was are were has have had will would can could should".split())


def _focus(
    question: str, lang: str, groups: list[QueryGroup], words: list[tuple[QueryGroup, int, int]]
) -> QueryGroup | None:
    """The noun right after "quel(le)" / "what": the thing a generic question asks about."""
    m = (_FOCUS_EN if lang == "en" else _FOCUS_FR).search(fold(question).replace("’", "'"))
    if m is None:
        return None
    following = fold(question[m.end() :]).split()
    if not following or following[0] in _AUXILIARIES or following[0] in _GENERIC_NOUNS:
        return None
    if lang == "en" and (following[0].endswith("ed") or following[0] in _VERBS_AFTER_WHAT):
        return None  # "What's presented as ...", "What makes up ...": a verb, not a noun
    begin = m.end()
    # "What is OpenAI's latest valuation?": the noun comes after the owner and an adjective
    owner = re.match(r"(?:[A-Z][\w.-]*\s+)*[\w.-]+['’]s\s+", question[begin:])  # "Sam Altman's"
    if owner is not None:
        begin += owner.end()
    adjective = re.match(rf"(?:{_FOCUS_ADJECTIVES})\s+", fold(question[begin:]))
    if adjective is not None:
        begin += adjective.end()
    for group, start, _ in words:
        if start >= begin and group in groups:
            if start - begin > 2 or fold(group.label) in _NUMBER_WORDS:
                return None
            # An English word the lexicon does not know may just be missing from it: only a
            # French noun, or a translated English one, tells what the corpus never speaks of.
            return group if lang == "fr" or group.translated else None
    return None


_VERBS_AFTER_WHAT = frozenset(
    "makes make drives drove causes explains accounts means happens led leads keeps stops prevents "
    "limits holds remains comes goes gets got took takes gave gives".split()
)
_FOCUS_ADJECTIVES = (
    "latest|current|new|total|main|biggest|largest|first|last|recent|annual|exact|real|overall|average"
    "|dernier|derniere|actuel|actuelle|nouveau|nouvelle|principal|principale"
)
_NUMBER_WORDS = frozenset(
    "un une deux trois quatre cinq six sept huit neuf dix one two three four five six seven eight nine ten".split()
)


def _sentence_start(text: str, i: int) -> bool:
    before = text[:i].rstrip(" \"'«“(")
    return not before or before[-1] in ".!?:;"


def _french_groups(
    question: str, analyzer: Analyzer, lexicon: dict[str, Any]
) -> list[tuple[QueryGroup, int, int]]:
    """Word groups of a French question; a known phrase ("mettre au point") is one group."""
    tokens = [
        t
        for t in analyzer.tokens(question, "fr")
        if fold(question[t.start : t.end]) not in _QUESTION_WORDS_FR
    ]
    syn: dict[str, list[list[str]]] = lexicon["syn"]
    groups: list[tuple[QueryGroup, int, int]] = []
    seen: set[str] = set()
    i = 0
    while i < len(tokens):
        for n in range(min(lexicon.get("syn_longest", 1), len(tokens) - i), 0, -1):
            chunk = tokens[i : i + n]
            key = " ".join(t.term for t in chunk)
            if n > 1 and key not in syn:
                continue
            if key in seen:
                break
            seen.add(key)
            alts: list[Alternative] = [tuple((t.term, 1.0) for t in chunk)]
            alts += [tuple((t, SYNONYM_WEIGHT) for t in other) for other in syn.get(key, [])]
            start, end = chunk[0].start, chunk[-1].end
            groups.append((QueryGroup(question[start:end], alts), start, end))
            break
        i += n
    return groups


def _code_switched(
    question: str,
    analyzer: Analyzer,
    lexicon: dict[str, Any],
    words: list[tuple[QueryGroup, int, int]],
    vocabulary: Vocabulary,
) -> list[tuple[QueryGroup, int, int]]:
    """French readers write English terms ("Blackwell sold out jusqu'à quand ?", "tokens en
    input"): an English phrase whose words the corpus never uses is read through the lexicon."""
    if all(any(vocabulary.known(t) for t, _ in group.alternatives[0]) for group, _, _ in words):
        return words  # every word is the corpus's own: nothing to translate
    out = list(words)
    for group, a, b in _english_groups(question, analyzer, lexicon):
        if not group.translated:
            continue
        inside = [w for w in out if a <= w[1] and w[2] <= b]
        own = [t for w in inside for t, _ in w[0].alternatives[0]]
        if not inside or any(vocabulary.known(t) for t in own):
            continue
        out = [w for w in out if w not in inside] + [(group, a, b)]
    return sorted(out, key=lambda w: w[1])


_EN_WORD = re.compile(r"[^\W_]+(?:[-.][^\W_]+)*")


def _lexicon_key(lower: list[str], en_stem: Any) -> str:
    """Lowercase English words stemmed as the lexicon's keys are: "in-house" is "in hous"."""
    return " ".join(en_stem(part) for w in lower for part in re.findall(r"[a-z0-9]+", w))


def _english_groups(
    question: str, analyzer: Analyzer, lexicon: dict[str, Any]
) -> list[tuple[QueryGroup, int, int]]:
    import Stemmer

    en_stem = Stemmer.Stemmer("english").stemWord
    table: dict[str, list[list[str]]] = lexicon["en"]
    words: list[tuple[str, int, int]] = []
    for m in _EN_WORD.finditer(question.replace("’", "'")):
        word = m.group()
        if (
            "-" in word
            and word.islower()
            and word.replace("-", "").isalpha()
            and _lexicon_key([word], en_stem) not in table
        ):
            # "compute-hungry", "power-hungry": a compound the lexicon lacks is its words
            words += [
                (part.group(), m.start() + part.start(), m.start() + part.end())
                for part in re.finditer(r"[^-]+", word)
            ]
        else:
            words.append((word, m.start(), m.end()))
    groups: list[tuple[QueryGroup, int, int]] = []
    seen: set[tuple[str, ...]] = set()
    i = 0
    while i < len(words):
        matched = False
        for n in range(min(lexicon["longest"], len(words) - i), 0, -1):
            chunk = words[i : i + n]
            lower = [w.lower() for w, _, _ in chunk]
            if n == 1 and (lower[0] in ENGLISH_STOPWORDS or lower[0] in _QUESTION_WORDS_EN):
                break
            key = _lexicon_key(lower, en_stem)
            translations = table.get(key)
            if translations is None and n == 1:
                translations = table.get(lower[0])
            if translations is None:
                continue
            label = question[chunk[0][1] : chunk[-1][2]]
            options: list[Alternative] = [tuple((t, 1.0) for t in alt) for alt in translations]
            for french in translations:  # a translation brings its French synonyms along, at their weight
                for other in lexicon["syn"].get(" ".join(french), []):
                    option = tuple((t, SYNONYM_WEIGHT) for t in other)
                    if option not in options and tuple((t, 1.0) for t in other) not in options:
                        options.append(option)
            own = [
                t for t in analyzer.terms(label, "en") if t not in ENGLISH_STOPWORDS
            ]  # not "in" of "in-house"
            if own and tuple((t, 1.0) for t in own) not in options:
                options.append(tuple((t, 1.0) for t in own))
            key_terms = tuple(sorted({t for option in options for t, _ in option}))
            if key_terms and key_terms not in seen:
                seen.add(key_terms)
                groups.append((QueryGroup(label, options, translated=True), chunk[0][1], chunk[-1][2]))
            i += n
            matched = True
            break
        if matched:
            continue
        word, start, end = words[i]
        i += 1
        if word.lower() in ENGLISH_STOPWORDS or word.lower() in _QUESTION_WORDS_EN:
            continue
        terms = analyzer.terms(word, "en")
        if not terms:
            continue
        # Untranslated: a name, a number, or a word French shares (`infrastructure`, `architecture`).
        key_terms = tuple(sorted(terms))
        if key_terms in seen:
            continue
        seen.add(key_terms)
        plain: list[Alternative] = [tuple((t, 1.0) for t in terms)]
        plain += [
            tuple((t, SYNONYM_WEIGHT) for t in other) for other in lexicon["syn"].get(" ".join(terms), [])
        ]
        groups.append((QueryGroup(word, plain), start, end))
    return groups
