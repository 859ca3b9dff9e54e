"""Which gazetteers analyse a corpus: bundled domain packs, the user's files, and what ingest
suggests adding to them.

A domain pack (`resources/domains/NAME/gazetteer.yaml`) applies to the folder it was made for:
`ai-news` to the bundled ./seeds; a user's folder uses none unless asked (`--domain`). The pipeline
fingerprint covers every gazetteer's bytes, the name words and the NER model, so a change to any
of them re-analyses the files.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gpu_brief.errors import InputError

if TYPE_CHECKING:
    from gpu_brief.entities import EntityDef
    from gpu_brief.ingest import IngestResult


def pipeline_fingerprint(gazetteers: list[Path], domains: list[str]) -> str:
    """Identifies what analysed the sources: the pipeline version, the NER model, and the bytes
    of the language files ingest reads (resources/lang: name words, figure words, boilerplate)
    and of every gazetteer used. Unchanged files are reused only under the same fingerprint."""
    from gpu_brief.ner import model_version
    from gpu_brief.service import PIPELINE_VERSION
    from gpu_brief.store import domain_gazetteer_path

    digest = hashlib.sha256(f"{PIPELINE_VERSION}|{model_version()}".encode())
    lang = Path(__file__).resolve().parent / "resources" / "lang"
    words = [lang / name for name in ("fr_names.yaml", "fr_figures.yaml", "boilerplate.yaml")]
    for path in [*words, *(domain_gazetteer_path(d) for d in domains), *gazetteers]:
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(str(path).encode())
    return f"{PIPELINE_VERSION}-{digest.hexdigest()[:12]}"


def load_entities(extra: list[Path], domains: Sequence[str] = ()) -> list[EntityDef]:
    """The gazetteers of the domain packs asked for, then the user's, merged in order."""
    from gpu_brief.ingest import merge_gazetteers
    from gpu_brief.store import domain_gazetteer_path, read_gazetteer

    entries = []
    for path in [*(domain_gazetteer_path(d) for d in domains), *extra]:
        entries.extend(read_gazetteer(path))
    return merge_gazetteers(entries)


DEFAULT_DOMAINS = ["ai-news"]  # the packs of the bundled corpus, ./seeds


def choose_domains(
    given: list[str], folder: Path | None, output: Path, previous: dict[str, Any] | None
) -> list[str]:
    """Domain packs: those given (`none` for none); else those recorded when re-ingesting the
    recorded folder (a claims file older than packs was made with ai-news); else `ai-news` for
    the bundled ./seeds; a user's folder gets none unless asked."""
    from gpu_brief.store import sources_root

    if given:
        return [d for d in dict.fromkeys(given) if d != "none"]
    if previous is not None:
        recorded = sources_root(output, previous["root"])
        if folder is None or folder.resolve() == recorded:
            version = str(previous.get("pipeline", "")).split("-")[0]
            if version.isdigit() and int(version) < 5:
                return list(DEFAULT_DOMAINS)
            return [str(d) for d in previous.get("domains", [])]
    return list(DEFAULT_DOMAINS) if folder is None else []


def write_stub(path: Path, result: IngestResult, claims: Path) -> None:
    """A gazetteer to edit: every entity found (name, type, aliases), most mentioned first, and
    the candidate names, commented out. Never over the claims file or a source."""
    from gpu_brief.store import atomic_write, flow, sources_root

    root = sources_root(claims, result.header["root"])
    if path.resolve() in {claims.resolve(), *((root / u.file).resolve() for u in result.units)}:
        raise InputError(f"{path}: is the claims file or one of its sources; choose another file")
    mentions: dict[str, int] = {}
    for unit in result.units:
        for name, _, count, *_ in unit.found:
            mentions[name] = mentions.get(name, 0) + int(count)
    lines = [
        "# gpu-brief gazetteer, suggested by `gpu-brief ingest --suggest-gazetteer`: edit it, then",
        f"# gpu-brief ingest ... --gazetteer {path.name}",
        "# Each entry: name (canonical), type (person | organisation | product | place | media | other),",
        '# aliases (other spellings), roles (phrases that designate it: "PDG d\'OpenAI").',
        "version: 1",
        "entities:",
    ]
    for entry in sorted(result.catalog, key=lambda e: (-mentions.get(e["name"], 0), e["name"].lower())):
        fields = {k: entry[k] for k in ("name", "type", "aliases", "roles")}
        lines.append(f"  - {flow(fields)}  # {mentions.get(entry['name'], 0)} mentions")
    if result.candidates:
        lines.append(
            "  # Candidate names nothing recognised: uncomment those that are entities, fix the type."
        )
        for name, count, files in result.candidates:
            fields = {"name": name, "type": "other", "aliases": [name]}
            lines.append(f"  # - {flow(fields)}  # {count} mentions in {files} files")
    atomic_write(path, "\n".join(lines) + "\n")
