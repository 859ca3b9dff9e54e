"""A claims file as analysed units (`Corpus`), the search index built from them, and their
caches (`cache.py`): what every command that reads claims opens first."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gpu_brief.errors import ClaimsFileError
from gpu_brief.sources import (
    validate_against_sources,
)

if TYPE_CHECKING:
    from gpu_brief.index import SearchIndex
    from gpu_brief.models import ClaimsFile
    from gpu_brief.units import Unit


@dataclass
class Corpus:
    """A claims file's content as units: what ingest reuses and what the index is built from."""

    header: dict[str, Any]  # pipeline, root, gazetteers, domains
    catalog: list[dict[str, Any]]
    units: list[Unit]


def cache_corpus(claims_path: Path, corpus: Corpus, sha256: str) -> SearchIndex:
    """Cache the units (for the next ingest) and the index (for the first question) of the
    claims file whose bytes hash to `sha256` (ingest hashes what it writes)."""
    from gpu_brief import cache

    cache.record_digest(claims_path, sha256)
    cache.write_units(claims_path, sha256, corpus)
    index = _index_from(corpus, claims_path)
    cache.write_index(claims_path, sha256, index)
    return index


def load_corpus(claims_path: Path, *, validate: bool = True) -> Corpus:
    """The units of a claims file: from the cache ingest left, else by reading the YAML.

    Reading the YAML validates every field; with `validate`, every claim is also checked
    against its source (offsets inside the file, text equal to the slice, sha256 unchanged).
    """
    from gpu_brief import cache

    cached = cache.read_units(claims_path, cache.claims_digest(claims_path))
    if cached is not None:
        return cached
    from gpu_brief.claimsfile import stream_corpus
    from gpu_brief.store import read_claims

    streamed = stream_corpus(claims_path, validate=validate)
    if streamed is not None:
        return streamed

    cf = read_claims(claims_path)
    if validate:
        validate_against_sources(cf, claims_path)
    return corpus_from_claims_file(cf)


def corpus_from_claims_file(cf: ClaimsFile, *, headings: bool = True) -> Corpus:
    """Units from a validated claims file (a fresh clone, or a file edited by hand).

    `headings=False` leaves heading words out of the claims' index terms (for evaluation)."""
    from collections import Counter

    from gpu_brief.text import Analyzer
    from gpu_brief.units import make_unit, record_found

    analyzer = Analyzer()
    gazetteer = {e.name for e in cf.entities if not e.ner}
    by_source: dict[str, list[dict[str, Any]]] = {s.file: [] for s in cf.sources}
    for claim in cf.claims:
        by_source[claim.source].append(claim.model_dump())
    units = []
    for source in cf.sources:
        dumped = source.model_dump()
        unit = make_unit(dumped, by_source[source.file], analyzer, headings=headings, searchable=gazetteer)
        record_found(unit, dumped, by_source[source.file])
        unit.meta["report"] = {
            "headings": len(source.headings),
            "skipped": dict(Counter(k.reason for k in source.skipped)),
        }
        units.append(unit)
    header = {
        "pipeline": cf.pipeline,
        "root": cf.root,
        "gazetteers": list(cf.gazetteers),
        "domains": list(cf.domains),
        "lexicon": cf.lexicon.model_dump() if cf.lexicon else None,
        "patterns": list(cf.patterns),
    }
    return Corpus(header, [e.model_dump() for e in cf.entities], units)


def _index_from(corpus: Corpus, claims_path: Path, params: dict[str, Any] | None = None) -> SearchIndex:
    import json

    from gpu_brief.index import build
    from gpu_brief.lexicons import lexicon_paths
    from gpu_brief.qa.contrasts import analyse_sets
    from gpu_brief.qa.kinds import Lang
    from gpu_brief.qa.language import load_packs, read_packs
    from gpu_brief.store import sources_root
    from gpu_brief.text import Analyzer

    root = sources_root(claims_path, corpus.header["root"])
    own = corpus.header.get("lexicon")
    paths = tuple(lexicon_paths(corpus_domains(corpus.header)))
    lexicon = _lexicon(paths, json.dumps(own) if own else "")
    gazetteers = [e for e in corpus.catalog if not e.get("ner")]
    found = [e for e in corpus.catalog if e.get("ner")]
    index = build(corpus.units, gazetteers, root, lexicon, params)
    index.header["lang"] = read_packs()
    # the contrast sets' words as index terms, analysed once here, not at each first question
    index.header["contrasts"] = analyse_sets(
        load_packs(index.header["lang"])[Lang.FR].contrasts, Analyzer(index.surface).terms
    )
    index.header["domains"] = corpus_domains(corpus.header)
    index.header["claims"] = str(claims_path.resolve())
    index.header["gazetteers"] = list(corpus.header.get("gazetteers") or [])  # for the re-ingest hint
    # NER's entries (100,000 on a large corpus) stay JSON bytes until browsing decodes them
    # (`browse.catalog`); a question needs only the gazetteers' (any other name is NER's).
    index.found_entities = json.dumps(found, ensure_ascii=False).encode("utf-8")
    return index


@functools.lru_cache(maxsize=4)
def _lexicon(paths: tuple[Path, ...], own: str) -> dict[str, Any]:
    """The bundled lexicon files and a claims file's own lexicon (JSON), compiled once a
    process: reading and analysing them is 0.7 s, most of a small corpus's index build, paid again
    by every index a test run or a long session builds. Callers only read the result."""
    import json

    from gpu_brief.lexicons import read_lexicons
    from gpu_brief.qa.lexicon import compile_lexicon
    from gpu_brief.text import Analyzer

    raws = read_lexicons(paths)
    if own:
        raws.append(json.loads(own))
    return compile_lexicon(raws, Analyzer())


def corpus_domains(header: dict[str, Any]) -> list[str]:
    """The domain packs a claims file was made with; files from before packs were recorded were
    all made with the AI-news gazetteer, so they get its lexicon too."""
    domains = header.get("domains")
    return ["ai-news"] if domains is None else [str(d) for d in domains]


def build_index(claims_path: Path, params: dict[str, Any] | None = None) -> SearchIndex:
    """Read, validate and index a claims file (the slow path, once per claims file state)."""
    return _index_from(load_corpus(claims_path), claims_path, params)


def open_index(claims_path: Path, *, use_cache: bool = True) -> SearchIndex:
    """The search index of a claims file: from the cache when the file is unchanged."""
    if not claims_path.exists():
        raise ClaimsFileError(
            f"{claims_path}: claims file not found (run `gpu-brief ingest` first, or pass --claims)"
        )
    if claims_path.is_dir():
        raise ClaimsFileError(f"{claims_path}: is a folder; pass the claims file")
    from gpu_brief import cache

    digest = cache.claims_digest(claims_path) if use_cache else ""
    if use_cache and (cached := cache.read_index(claims_path, digest)) is not None:
        return cached
    index = build_index(claims_path)
    if use_cache:
        cache.write_index(claims_path, digest, index)
    return index
