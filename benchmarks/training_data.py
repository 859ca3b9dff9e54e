"""The training questions: the seed dev set's and PIAF's, the corpora they are asked of (the
bundled one, PIAF whole and without each quarter of its articles, the seeds ingested as a plain
folder, whole and two articles at a time), and near misses made from the answerable ones by
swapping an entity, a cue or a word of a contrast set (`train.py` fits on them)."""

from __future__ import annotations

import hashlib
import itertools
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from piafdata import covers, load, write_corpus

from gpu_brief.evaluate import cites_expected, norm, read_question_set
from gpu_brief.qa.engine import Engine
from gpu_brief.qa.model import Model
from gpu_brief.qa.query import Query
from gpu_brief.qa.scored import Analysis, Scored
from gpu_brief.render import contract_citation
from gpu_brief.service import build_index, run_ingest
from gpu_brief.store import bundled_claims_path

REPO = Path(__file__).resolve().parent.parent
DEV = REPO / "tests" / "data" / "dev_questions.yaml"
SEED_WEIGHT = 2.0  # a seed question counts twice a PIAF one: 654 against 2,025, and its domain is ours
WORD = re.compile(r"[\w-]+")  # a word of a question, hyphens kept ("sud-coréen")


@dataclass
class Item:
    id: str
    corpus: str
    question: str
    source: str  # "seed", "piaf", or "plain" (a seed question asked of the seeds as a plain folder)
    answerable: bool
    right: Callable[[Scored], bool] | None = None
    gold: str | None = None
    # questions answered by the same sentence (paraphrases of one another) share a fold, so an
    # out-of-fold probability is what a question never seen gets; "" means the item's own id
    topic: str = ""
    sources: tuple[str, ...] = ()  # the articles that answer it (a seed question's)

    @property
    def weight(self) -> float:
        return SEED_WEIGHT if self.source == "seed" else 1.0


def question_draw(item_id: str) -> int:
    """A question's fixed 32-bit draw: what holds it out, puts it in a fold, picks its swap."""
    return int(hashlib.sha256(item_id.encode()).hexdigest()[:8], 16)


def held_out(item_id: str, share: float) -> bool:
    return share > 0 and question_draw(item_id) / 2**32 < share


def base_id(item_id: str) -> str:
    """The question an item was made from: a left-out or swapped item goes with it."""
    for suffix in ("-plain", "-pair", "-unpaired", "-out", "-swap", "-cue", "-rival"):
        item_id = item_id.removesuffix(suffix)
    return item_id


def short_sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def seed_items() -> list[Item]:
    items = []
    for q in read_question_set(DEV).questions:

        def right(p: Scored, q: Any = q) -> bool:
            return cites_expected(contract_citation(p.record, 0.0), q)

        topic = f"{q.expect[0].source}:{norm(q.expect[0].quote)}" if q.expect else norm(q.question)
        sources = tuple(e.source for e in q.expect)
        items.append(
            Item(q.id, "seed", q.question, "seed", not q.out_of_scope, right, q.answer, topic, sources)
        )
    return items


SEEDS = sorted(p.name for p in (REPO / "seeds").glob("*.txt"))
PAIRS = list(itertools.combinations(range(len(SEEDS)), 2))


def pair_corpus(pair: tuple[int, int]) -> str:
    return f"seed-pair-{pair[0]}{pair[1]}"


def plain_seed_items(items: list[Item]) -> list[Item]:
    """The seed questions asked of the seed articles ingested as a user ingests a folder (no
    domain pack: NER's entities, the general lexicon), near misses and swaps included: what a
    plain corpus of news is asked (PIAF has no such near miss, only its left-out articles). And
    each answerable one asked of two articles, one of them its own (answerable) and two others
    (not): a small folder, whose idf are flat, is no near miss by itself. For the second
    verdict only (`fit_answerable`)."""
    out = []
    for item in items:
        if item.source != "seed":
            continue
        out.append(replace(item, id=item.id + "-plain", corpus="seed-plain", source="plain"))
        if not item.answerable or not item.sources or item.id != base_id(item.id):
            continue
        own = {SEEDS.index(s) for s in item.sources if s in SEEDS}
        others = [k for k in range(len(SEEDS)) if k not in own]
        if not own or len(others) < 2:
            continue
        draw = question_draw(item.id + "-pair")
        first = min(own)
        with_it = tuple(sorted((first, others[draw % len(others)])))
        without = [p for p in PAIRS if not own & set(p)]
        out.append(replace(item, id=item.id + "-pair", corpus=pair_corpus(with_it), source="plain"))
        out.append(
            Item(
                item.id + "-unpaired",
                pair_corpus(without[draw % len(without)]),
                item.question,
                "plain",
                False,
                topic=item.topic,
            )
        )
    return out


def piaf_items(path: Path) -> list[Item]:
    corpus = load(path)
    items = []
    for q in corpus.questions:
        fold = (int(q.file[5:8]) // 2) % 4

        def right(p: Scored, q: Any = q) -> bool:
            r = p.record
            return covers({"source": r.source, "start": r.start, "end": r.end}, q)

        items.append(Item(q.id, "piaf", q.question, "piaf", True, right, q.answer, q.file))
        items.append(Item(q.id + "-out", f"piaf-out-{fold}", q.question, "piaf", False, topic=q.file))
    return items


def swapped_entities(items: list[Item], runner: Runner) -> list[Item]:
    """Near misses made from answerable questions: the entity a question names replaced by
    another of the same type that no claim names together with the question's other words
    ("Qui est le PDG d'OpenAI ?" -> "Qui est le PDG de Nvidia ?" when no claim says it).
    Unanswerable by construction; they teach the model that a name without its relation is
    no answer. One per question with a single named entity, chosen deterministically."""
    from gpu_brief.entities import slug

    out = []
    for item, engine, query in _answerable_queries(items, runner, seed_only=False):
        # the gazetteers' entities: their types are curated
        named = [g for g in query.groups if g.entity]
        if len(named) != 1:
            continue
        group = named[0]
        catalog = engine.index.header["catalog"]
        kind = next((e["type"] for e in catalog if e["name"] == group.entity), None)
        others = sorted(e["name"] for e in catalog if e["type"] == kind and e["name"] != group.entity)
        words = [g for g in query.groups if g is not group and not g.anchor]
        if not others or not words:
            continue

        def unsaid(other: str, engine: Engine = engine, words: list[Any] = words) -> bool:
            return not _said_with(engine, frozenset({slug(other)}), words)

        swap = _swapped(item, (group.start, group.end), others, question_draw(item.id), unsaid, "-swap")
        if swap is not None:
            out.append(swap)
    return out


# The kinds of answer that fit a question asking for each type (training data only: to tell
# whether a question made by swapping the interrogative can be answered).
_FITS = {
    "date": {"year", "date"},
    "place": {"place"},
    "money": {"money"},
    "count": {"count", "number", "quantity"},
    "reason": {"cause", "purpose", "consequence"},
}


def swapped_cues(items: list[Item], runner: Runner) -> list[Item]:
    """Near misses made by asking another thing of the same words: the interrogative replaced
    by another kind's, the first phrase of its list in the language pack ("Pourquoi X ... ?" ->
    "Où X ... ?"), kept only when no claim saying most of the question holds that kind of answer."""
    from gpu_brief.qa.kinds import Cue

    fits = {
        Cue.WHEN: "date",
        Cue.WHERE: "place",
        Cue.HOW_MUCH: "money",
        Cue.HOW_MANY: "count",
        Cue.WHY: "reason",
    }
    out = []
    for item, engine, query in _answerable_queries(items, runner, seed_only=True):
        if query.cue_span is None or query.cue not in fits:
            continue
        choices = sorted(c for c in fits if c != query.cue)
        target = choices[question_draw(item.id) % len(choices)]
        phrase = next(p for p, c in engine.packs[query.lang].cues.items() if c == target)
        a, b = query.cue_span
        question = item.question[:a] + phrase + item.question[b:]
        if a == 0:
            question = question[:1].upper() + question[1:]
        words = [g for g in query.groups if not g.anchor] or query.groups
        close = [
            h.doc
            for h in engine.index.search(query.search_groups, k=10)
            if 2 * sum(bool(g.terms & engine.claim_terms(h.doc)) for g in words) >= len(words)
        ]
        if not any({k.value for k in engine.info(d).kinds} & _FITS[fits[target]] for d in close):
            out.append(Item(item.id + "-cue", item.corpus, question, item.source, False, topic=item.topic))
    return out


SWAPS = ("-swap", "-cue", "-rival")  # the suffixes of near misses made from answerable questions


def swapped_contrasts(items: list[Item], runner: Runner) -> list[Item]:
    """Near misses made by swapping a French question's word for another member of its contrast
    set, or its year for another ("le gouvernement japonais" -> "chinois", "en 1998" -> "en
    1997"), kept only when no claim says the new word with half of the question's other words:
    a topic present, asked what it does not say. The seed set's questions only: made from PIAF's
    too, they taught the model that an article found is no evidence (its left-out questions
    abstained 0.652 -> 0.622). One per question that has such a word, chosen deterministically."""
    from gpu_brief.qa.contrasts import is_year

    out = []
    for item, engine, query in _answerable_queries(items, runner, seed_only=True):
        if query.lang.value != "fr":
            continue
        spots = []
        for m in WORD.finditer(item.question):
            terms = frozenset(engine.analyzer.terms(m.group()))
            if len(terms) == 1 and is_year(next(iter(terms))):
                year = int(m.group())
                spots.append((m, terms, [str(year + d) for d in (-2, -1, 1, 2, 3, -3)]))
                continue
            for member in engine.contrasts.of(terms):
                if terms not in member.words:
                    continue
                at = member.words.index(terms)
                rivals = [r for r in engine.contrasts.members if r.group == member.group and r is not member]
                spots.append((m, terms, [r.surface[min(at, len(r.surface) - 1)] for r in rivals]))
        if not spots:
            continue
        m, terms, options = spots[question_draw(item.id) % len(spots)]
        words = [g for g in query.groups if not g.anchor and not g.terms & terms]
        if not words:
            continue

        def unsaid(other: str, engine: Engine = engine, words: list[Any] = words) -> bool:
            new = frozenset(engine.analyzer.terms(other))
            return bool(new) and not _said_with(engine, new, words)

        start = question_draw(item.id + "-rival")
        swap = _swapped(item, (m.start(), m.end()), options, start, unsaid, "-rival")
        if swap is not None:
            out.append(swap)
    return out


def _answerable_queries(
    items: list[Item], runner: Runner, seed_only: bool
) -> Iterator[tuple[Item, Engine, Query]]:
    """Each answerable item (the seed set's only, with `seed_only`), its corpus's engine (an
    untrained model: only the query and the index are read) and its query."""
    engines = {name: runner.engine(name, Model.untrained()) for name in runner.indexes}
    for item in items:
        if item.answerable and not (seed_only and item.source != "seed"):
            engine = engines[item.corpus]
            yield item, engine, engine.query(item.question)


def _swapped(
    item: Item,
    span: tuple[int, int],
    options: list[str],
    start: int,
    unsaid: Callable[[str], bool],
    suffix: str,
) -> Item | None:
    """The near miss made by writing, in place of `span`, the first of `options` from `start` on
    (in a circle) that `unsaid` accepts; None when no option is unsaid."""
    for k in range(len(options)):
        other = options[(start + k) % len(options)]
        if unsaid(other):
            question = item.question[: span[0]] + other + item.question[span[1] :]
            return Item(item.id + suffix, item.corpus, question, item.source, False, topic=item.topic)
    return None


def _said_with(engine: Engine, terms: frozenset[str], words: list[Any]) -> bool:
    """Does some claim say all of `terms` with at least half of the question's other words?"""
    alternative = tuple((t, 1.0) for t in sorted(terms))
    for hit in engine.index.search([[alternative], *[g.alternatives for g in words]], k=20):
        said = engine.claim_terms(hit.doc)
        if terms <= said and 2 * sum(bool(g.terms & said) for g in words) >= len(words):
            return True
    return False


def build_corpora(piaf: Path, work: Path) -> dict[str, Path]:
    """Claims files: the bundled corpus, PIAF whole, PIAF without each quarter of its articles,
    and the seeds as a plain folder, whole and two articles at a time."""
    corpus = load(piaf)
    paths = {"seed": bundled_claims_path()}
    for name, fold in {"piaf": None, **{f"piaf-out-{j}": j for j in range(4)}}.items():

        def piaf_articles(folder: Path, fold: int | None = fold) -> None:
            write_corpus(corpus, folder, leave_out=False)
            if fold is not None:
                for f in folder.glob("piaf_*.txt"):
                    if (int(f.name[5:8]) // 2) % 4 == fold:
                        f.unlink()

        paths[name] = _ingested(work / name, piaf_articles)
    plain = {"seed-plain": SEEDS, **{pair_corpus(p): [SEEDS[k] for k in p] for p in PAIRS}}
    for name, files in plain.items():

        def seed_articles(folder: Path, files: list[str] = files) -> None:
            for f in files:
                shutil.copyfile(REPO / "seeds" / f, folder / f)

        paths[name] = _ingested(work / name, seed_articles)
    return paths


def _ingested(work: Path, fill: Callable[[Path], None]) -> Path:
    """The claims file of `work`/articles, filled anew by `fill` and ingested as a user's folder
    is (no domain pack; an article ingest already read is reused)."""
    folder = work / "articles"
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.txt"):
        stale.unlink()
    fill(folder)
    claims = work / "claims.yaml"
    run_ingest(
        claims, folder, [], patterns=["*.txt"], max_bytes=10_000_000, jobs=2, reuse=True, progress=False,
        domains=["none"],
    )  # fmt: skip
    return claims


class Runner:
    def __init__(self, corpora: dict[str, Path]) -> None:
        self.indexes = {name: build_index(path) for name, path in corpora.items()}

    def analyses(self, items: list[Item], model: Model, spans: bool) -> list[Analysis]:
        engines = {name: Engine(index, model) for name, index in self.indexes.items()}
        out = []
        for item in items:
            out.append(engines[item.corpus].analyse(item.question, spans=spans))
        return out

    def engine(self, corpus: str, model: Model) -> Engine:
        return Engine(self.indexes[corpus], model)
