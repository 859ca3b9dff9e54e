"""One analysed source (a unit): its claims as YAML text and as search-index material.

The claims file and the search index are both assembled from units. Ingest analyses each
changed file once, in worker processes, into a unit; it never re-reads the claims file it just
wrote, and a unit cache lets the next ingest reuse unchanged files without parsing YAML.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Container, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from gpu_brief.entities import candidate_names, slug
from gpu_brief.store import flow, flow_list, quote, scalar
from gpu_brief.text import Analyzer, fold, iter_words
from gpu_brief.versions import UNITS_VERSION as UNITS_VERSION

_ANAPHORA = re.compile(
    r"^(?:(?:en effet|pourtant|cependant|toutefois|néanmoins|par ailleurs|de plus|ainsi|mais|et|or|donc"
    r"|d['’]ailleurs|en outre|par contre|de son côté|pour sa part)\s*,?\s+)?"
    r"(?:ceux-ci|celles-ci|celui-ci|celle-ci|ce dernier|cette dernière|ces derniers|ces dernières"
    r"|il|elle|ils|elles|cela|ceci|ça|ce|cet|cette|ces|son|sa|ses|leur|leurs|lui"
    r"|l['’]entreprise|la société|le groupe|la firme|la start-up|le géant|le fabricant|le modèle"
    r"|they|it|this|these|those|he|she|the company)\b",
    re.IGNORECASE,
)


@dataclass
class Unit:
    """A source and its claims, ready to be written and indexed.

    `terms` holds each claim's index terms joined by spaces; `records` each claim's JSON record
    (what answering and browsing read back); `entities` the entity names the source mentions.
    Everything is kept as few, flat strings: 300,000 claims must fit in memory with room to spare.
    """

    meta: dict[str, Any]  # file, sha256, title, url, claims
    yaml_source: str
    yaml_claims: str
    terms: list[str]
    records: list[str]
    surface: str  # "word\tterm" lines: folded words of the source and their terms
    entities: list[str]
    # Kept so a re-ingest that reuses this unit still knows what ingest found in it:
    # NER entities: [name, type, mentions, texts, {type: mentions whose own words say it}]
    found: list[list[Any]] = field(default_factory=list)
    candidates: list[str] = field(default_factory=list)  # names neither NER nor gazetteer took
    lowercase: str = ""  # the words the source writes in lowercase, space-separated

    @property
    def file(self) -> str:
        return str(self.meta["file"])

    @property
    def tag(self) -> str | None:
        first = self.records[0] if self.records else None
        return json.loads(first)[0].rsplit("-", 1)[0] if first else None

    def to_json(self) -> str:
        return json.dumps(
            [
                self.meta,
                self.yaml_source,
                self.yaml_claims,
                self.terms,
                self.records,
                self.surface,
                self.entities,
                self.found,
                self.candidates,
                self.lowercase,
            ],
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, line: str) -> Unit:
        """Read back `to_json`; a line of any other shape is a ValueError (the cache is rebuilt)."""
        meta, ys, yc, terms, records, surface, entities, found, candidates, lowercase = json.loads(line)
        shapes = (
            (meta, dict),
            (ys, str),
            (yc, str),
            (terms, list),
            (records, list),
            (surface, str),
            (entities, list),
            (found, list),
            (candidates, list),
            (lowercase, str),
        )
        if not all(isinstance(value, kind) for value, kind in shapes) or len(terms) != len(records):
            raise ValueError("not a unit of this version")
        return cls(meta, ys, yc, terms, records, surface, entities, found, candidates, lowercase)


def make_unit(
    source: dict[str, Any],
    claims: list[dict[str, Any]],
    analyzer: Analyzer,
    headings: bool = True,
    searchable: Container[str] | None = None,
) -> Unit:
    """Everything the claims file and the index need from one analysed source.

    Only the entities in `searchable` (all when None) get an entity term in the index: a
    question searches the gazetteers' entities by that term, a name NER found by its words."""
    heading_of = _headings(source, claims)
    context = _context(claims)
    scope = _scope(source, claims, heading_of)
    terms: list[str] = []
    records: list[str] = []
    surface: dict[str, str] = {}
    used: dict[str, None] = {}
    for claim, heading, ctx, about in zip(claims, heading_of, context, scope, strict=True):
        doc = analyzer.terms(claim["text"])
        doc.extend(
            slug(m["name"]) for m in claim["entities"] if searchable is None or m["name"] in searchable
        )
        doc.extend(slug(name) for name in ctx if searchable is None or name in searchable)
        if headings and heading:
            doc.extend(analyzer.terms(heading))
        terms.append(" ".join(doc))
        entities = [_compact(m, ("role",)) for m in claim["entities"]]
        figures = [_compact(f, ()) for f in claim["figures"]]
        records.append(
            json.dumps(
                [
                    claim["id"],
                    claim["start"],
                    claim["end"],
                    claim["line"],
                    claim["text"],
                    heading,
                    entities,
                    figures,
                    ctx,
                    about,
                    claim.get("antecedents", []),
                ],
                ensure_ascii=False,
                separators=(",", ":"),
            )
        )
        for word, _, _ in iter_words(claim["text"]):
            folded = fold(word)
            if folded not in surface:
                term = analyzer.word_term(word)
                if term:
                    surface[folded] = term
        used.update((m["name"], None) for m in claim["entities"])
    for h in source["headings"]:
        used.update((m["name"], None) for m in h.get("entities", ()))
    meta: dict[str, Any] = {k: source[k] for k in ("file", "sha256", "title", "url", "claims")}
    # the entities its title and headings name: `entities` counts the source for them, and
    # `claims --entity` says where a name only a heading holds is (headings are not claims)
    meta["heading_entities"] = sorted({m["name"] for h in source["headings"] for m in h.get("entities", ())})
    words = "".join(f"{word}\t{term}\n" for word, term in surface.items())
    return Unit(
        meta, "".join(source_yaml(source)), "".join(claims_yaml(claims)), terms, records, words, list(used)
    )


def record_found(
    unit: Unit,
    source: dict[str, Any],
    claims: Sequence[dict[str, Any]],
    candidates: list[str] | None = None,
    lowercase: set[str] | None = None,
) -> None:
    """Keep in the unit the entities it mentions (name, type, mentions, texts, and the types the
    words before a mention say: "le maire de X"), its candidate names and lowercase words.
    Without `candidates` (a claims file read back), they are found again from the claims' text,
    which needs no NER."""
    from gpu_brief.name_words import said_kind

    found: dict[str, tuple[str, Counter[str], Counter[str]]] = {}
    pieces = [(h["start"], h["text"], h["entities"]) for h in source["headings"]]
    pieces += [(c["start"], c["text"], c["entities"]) for c in claims]
    for base, text, mentions in pieces:
        for m in mentions:
            _, texts, said = found.setdefault(m["name"], (m["type"], Counter(), Counter()))
            if not m.get("role"):
                texts[" ".join(m["text"].split())] += 1
                if kind := said_kind(text, m["start"] - base, m["text"]):
                    said[kind] += 1
    unit.found = [
        [name, kind, sum(texts.values()), list(texts), dict(said)]
        for name, (kind, texts, said) in found.items()
    ]
    if candidates is None or lowercase is None:
        candidates, lowercase = [], set()
        for c in claims:
            known = [(m["start"] - c["start"], m["end"] - c["start"]) for m in c["entities"] if not m["role"]]
            candidates += [cand for cand, _, _ in candidate_names(c["text"], known, set())]
            lowercase.update(w.lower() for w, _, _ in iter_words(c["text"]) if w[:1].islower())
    unit.candidates = candidates
    unit.lowercase = " ".join(sorted(lowercase))


def _compact(item: dict[str, Any], falsy_ok: tuple[str, ...]) -> dict[str, Any]:
    """A mention or figure without its empty fields (the record stays small)."""
    return {k: v for k, v in item.items() if v is not None and (v is not False or k not in falsy_ok)}


def _headings(source: dict[str, Any], claims: list[dict[str, Any]]) -> list[str | None]:
    """The heading each claim sits under: the nearest heading above it, else the title."""
    out: list[str | None] = []
    for claim in claims:
        heading = source["title"]
        for h in source["headings"]:
            if h["start"] < claim["start"]:
                heading = h["text"]
            else:
                break
        out.append(heading)
    return out


def _context(claims: list[dict[str, Any]]) -> list[list[str]]:
    """Entities a claim refers to without naming them: a sentence opening with an anaphor
    ("Ceux-ci coûtent...", "L'entreprise a...") inherits the names of the sentence before it,
    and one whose pronoun or role noun stands for a person ingest found (its antecedents: "La
    préfète a, elle, annoncé ...") that person's name."""
    out: list[list[str]] = []
    for i, claim in enumerate(claims):
        inherited: list[str] = []
        own = {m["name"] for m in claim["entities"]}
        names = [a["name"] for a in claim.get("antecedents") or ()]
        if i and _ANAPHORA.match(claim["text"]):
            names += [m["name"] for m in claims[i - 1]["entities"] if not m.get("role")] + out[-1]
        for name in names:
            if name not in own and name not in inherited:
                inherited.append(name)
        out.append(inherited)
    return out


def _scope(
    source: dict[str, Any], claims: list[dict[str, Any]], heading_of: list[str | None]
) -> list[list[str]]:
    """What a claim is about without naming it: the entities named earlier in its paragraph and
    in its section heading ("il s'agit d'un modèle ... 75 $" is about GPT-4.5)."""
    title = source["title"]
    heading_entities = {h["text"]: [m["name"] for m in h.get("entities", ())] for h in source["headings"]}
    out: list[list[str]] = []
    seen: list[str] = []
    for i, claim in enumerate(claims):
        if i == 0 or claims[i - 1]["line"] != claim["line"]:
            # A section heading says what its paragraphs are about; a title covers too much.
            heading = heading_of[i]
            seen = list(heading_entities.get(heading or "", [])) if heading != title else []
        own = {m["name"] for m in claim["entities"]}
        out.append([name for name in dict.fromkeys(seen) if name not in own])
        seen = [*seen, *(m["name"] for m in claim["entities"])]
    return out


# --- YAML text -------------------------------------------------------------------------------


def source_yaml(s: dict[str, Any]) -> Iterator[str]:
    """One source's entry of the claims file, in the canonical layout."""
    yield f"- file: {quote(s['file'])}\n"
    yield f"  sha256: {quote(s['sha256'])}\n"
    yield f"  title: {scalar(s['title'])}\n"
    yield f"  url: {scalar(s['url'])}\n"
    yield f"  chars: {s['chars']}\n  lines: {s['lines']}\n  claims: {s['claims']}\n"
    yield "  headings:" + ("\n" if s["headings"] else " []\n")
    for h in s["headings"]:
        if not h.get("entities"):
            yield "  - " + flow({k: h[k] for k in ("start", "end", "line", "text")}) + "\n"
            continue
        yield f"  - start: {h['start']}\n    end: {h['end']}\n    line: {h['line']}\n    text: {quote(h['text'])}\n"
        yield from flow_list("entities", h["entities"], "    ")
    yield from flow_list("skipped", s["skipped"], "  ")


def claims_yaml(claims: Iterable[dict[str, Any]]) -> Iterator[str]:
    """Claims entries of the claims file, in the canonical layout."""
    for c in claims:
        yield f"- id: {quote(c['id'])}\n"
        yield f"  source: {quote(c['source'])}\n"
        yield f"  line: {c['line']}\n  start: {c['start']}\n  end: {c['end']}\n"
        yield f"  text: {quote(c['text'])}\n"
        yield from flow_list("entities", c["entities"], "  ")
        yield from flow_list("figures", c["figures"], "  ")
        if c.get("antecedents"):
            yield from flow_list("antecedents", c["antecedents"], "  ")
