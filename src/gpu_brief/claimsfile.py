"""Read a claims file in ingest's own layout entry by entry, in bounded memory.

Parsing a 200 MB claims file as one YAML document builds every claim as Python objects, then
again as Pydantic models: 8 GB for a file that yields 1.5 GB of units. Ingest writes a fixed
layout (a header of `key: value` lines, then `sources:`, `entities:` and `claims:`, each a list
whose items start with `- ` at the first column and continue on indented lines), so the file is
cut at item boundaries and read a batch of items at a time, with the same safe loader, the same
refusal of anchors and aliases, and the same models; each source's claims become its unit (and
are checked against the source) as soon as the next source's claims begin.

Anything else - another layout, a YAML or validation error, a claim out of order - raises
`NotCanonical`, and the caller reads the whole document as before, which reports the problem
with its usual message. A file edited by hand is read correctly either way.
"""

from __future__ import annotations

import os
import stat
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gpu_brief.service import Corpus

BATCH_BYTES = 1 << 18  # items parsed by one YAML call: fewer calls, bounded memory
_HEADER_KEYS = {"gpu_brief", "pipeline", "root", "gazetteers", "domains", "lexicon"}
_SECTIONS = ("sources", "entities", "claims")


class NotCanonical(Exception):
    """Not ingest's layout, or not valid: read the whole document instead."""


def stream_corpus(claims_path: Path, *, validate: bool) -> Corpus | None:
    """The claims file's units, read entry by entry; None when it must be read whole."""
    try:
        return _stream(claims_path, validate)
    except NotCanonical:
        return None


def _stream(claims_path: Path, validate: bool) -> Corpus:
    from pydantic import ValidationError

    from gpu_brief.models import CatalogEntry, Claim, ClaimsFile, Source
    from gpu_brief.service import Corpus
    from gpu_brief.sources import check_source_claims
    from gpu_brief.store import sources_root
    from gpu_brief.text import Analyzer
    from gpu_brief.units import make_unit, record_found

    analyzer = Analyzer()
    header: dict[str, Any] = {}
    sources: list[dict[str, Any]] = []
    known: set[str] = set()
    catalog: list[dict[str, Any]] = []
    units: list[Any] = []
    ids: set[str] = set()
    pending: list[dict[str, Any]] = []
    root = Path()

    def flush_until(file: str | None) -> None:
        """Make the units of the sources before `file` (all of them for None): the pending
        claims belong to the first of them, and every other one has none."""
        nonlocal pending
        while len(units) < len(sources) and sources[len(units)]["file"] != file:
            source = sources[len(units)]
            claims = pending if pending and pending[0]["source"] == source["file"] else []
            if claims:
                pending = []
            if len(claims) != source["claims"]:
                raise NotCanonical  # the full read names the source whose claims are missing
            if validate:
                check_source_claims(claims_path, root, source["file"], source["sha256"], claims)
            # the catalog comes before the claims: complete by now
            gazetteer = {e["name"] for e in catalog if not e.get("ner")}
            unit = make_unit(source, claims, analyzer, searchable=gazetteer)
            record_found(unit, source, claims)  # what a re-ingest that reuses the unit reports
            unit.meta["report"] = {
                "headings": len(source["headings"]),
                "skipped": dict(Counter(k["reason"] for k in source["skipped"])),
            }
            units.append(unit)
        if pending:
            raise NotCanonical  # claims of a source that came earlier: not ingest's order

    try:
        for kind, item in _entries(claims_path):
            if kind == "header":
                ClaimsFile.model_validate({**item, "sources": [], "claims": []})
                header = {"pipeline": item.get("pipeline", ""), "root": item["root"]}
                header["gazetteers"] = list(item.get("gazetteers", []))
                header["domains"] = list(item.get("domains", []))
                header["lexicon"] = item.get("lexicon")
                header["patterns"] = list(item.get("patterns", []))
                root = sources_root(claims_path, header["root"])
            elif kind == "source":
                source = Source.model_validate(item).model_dump()
                if source["file"] in known:
                    raise NotCanonical
                known.add(source["file"])
                sources.append(source)
            elif kind == "entity":
                catalog.append(CatalogEntry.model_validate(item).model_dump())
            else:
                claim = Claim.model_validate(item).model_dump()
                if claim["id"] in ids or claim["source"] not in known:
                    raise NotCanonical
                ids.add(claim["id"])
                if not pending or pending[-1]["source"] != claim["source"]:
                    flush_until(claim["source"])
                pending.append(claim)
    except (ValidationError, KeyError, TypeError):
        raise NotCanonical from None
    if not header:
        raise NotCanonical
    flush_until(None)
    return Corpus(header, catalog, units)


def _entries(path: Path) -> Iterator[tuple[str, Any]]:
    """("header", dict), then ("source" | "entity" | "claim", dict) for each list item."""
    with _open_regular(path) as handle:
        section = ""
        head: list[bytes] = []
        batch: list[bytes] = []
        size = 0
        for line in handle:
            if line.startswith((b" ", b"- ")):
                if not section or (line.startswith(b"- ") and line[2:3] in (b"", b"\n")):
                    raise NotCanonical
                if line.startswith(b"- ") and size >= BATCH_BYTES:
                    yield from _items(section, batch)
                    batch, size = [], 0
                batch.append(line)
                size += len(line)
                continue
            name = line.split(b":", 1)[0].decode("ascii", "replace")
            if line.startswith(b"#") or not line.strip():
                if section:
                    raise NotCanonical  # comments between items: not what ingest writes
                continue
            if name in _SECTIONS and line.rstrip() in (f"{name}:".encode(), f"{name}: []".encode()):
                expected = _SECTIONS[_SECTIONS.index(section) + 1 if section else 0]
                if name != expected:
                    raise NotCanonical
                if not section:
                    yield "header", _load(b"".join(head), "header")
                yield from _items(section, batch)
                batch, size, section = [], 0, name
                continue
            if section or name not in _HEADER_KEYS:
                raise NotCanonical
            head.append(line)
        if section != "claims":
            raise NotCanonical
        yield from _items(section, batch)


def _items(section: str, batch: list[bytes]) -> Iterator[tuple[str, Any]]:
    if not batch:
        return
    items = _load(b"".join(batch), section)
    if not isinstance(items, list):
        raise NotCanonical
    kind = {"sources": "source", "entities": "entity", "claims": "claim"}[section]
    for item in items:
        if not isinstance(item, dict):
            raise NotCanonical
        yield kind, item


def _load(data: bytes, what: str) -> Any:
    """One batch through the safe loader; anything off (anchors included) is NotCanonical."""
    import yaml

    from gpu_brief.store import _has_anchors

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        text = data.decode("utf-8")
        if ("&" in text or "*" in text) and _has_anchors(text, loader):
            raise NotCanonical
        loaded = yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader, C or pure Python
    except (UnicodeDecodeError, yaml.YAMLError, RecursionError):
        raise NotCanonical from None
    if what == "header" and not isinstance(loaded, dict):
        raise NotCanonical
    return loaded


def _open_regular(path: Path) -> IO[bytes]:
    """The claims file for reading line by line, if it is a regular file (else the whole-file
    reader reports what it is)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        raise NotCanonical from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise NotCanonical
    return os.fdopen(fd, "rb", buffering=1 << 20)
