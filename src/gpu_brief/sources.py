"""A claims file's sources at answer time: where they are, and whether they still hold the claims.

Every quote gpu-brief prints is re-read from its source first; a source changed since ingest, a
name that leaves the sources folder or a file that is not a regular one is an error that says
which `gpu-brief ingest` command (with the folder to read) rebuilds the claims.
"""

from __future__ import annotations

import shlex
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gpu_brief.errors import ClaimsFileError

if TYPE_CHECKING:
    from gpu_brief.index import ClaimRecord, SearchIndex
    from gpu_brief.models import ClaimsFile


def close_sources(name: str, files: list[str]) -> list[str]:
    """Source names a mistyped one may mean: those it begins, then those it is close to, compared
    without their folder and extension (every name ends in ".txt": "nope.txt" is close to none)."""
    import difflib

    def stem(file: str) -> str:
        return Path(file).stem.casefold()

    by_stem: dict[str, list[str]] = {}
    for file in files:
        by_stem.setdefault(stem(file), []).append(file)
    typed = stem(name)
    close = [s for s in by_stem if typed and s.startswith(typed)]  # "003.txt": "003_9bd70b1a.txt"
    close += [s for s in difflib.get_close_matches(typed, list(by_stem), n=3, cutoff=0.6) if s not in close]
    return [file for s in close for file in by_stem[s]][:3]


def _shown(path: Path) -> str:
    """A folder as a user would type it: relative to the current folder when inside it (not
    when that is `/`: "tmp/articles" reads as a typo of "/tmp/articles")."""
    import os

    cwd = Path.cwd()
    try:
        rel = os.path.relpath(path, cwd)
    except ValueError:
        return str(path)
    return str(path) if rel.startswith("..") or cwd == Path(cwd.anchor) else rel


def validate_against_sources(cf: ClaimsFile, claims_path: Path) -> Path:
    """Every claim must still slice its source exactly; returns the sources folder.

    A changed or missing source, an offset outside the file, or a text that differs is a
    one-line error naming the file and the claim.
    """
    from gpu_brief.store import sources_root

    root = sources_root(claims_path, cf.root)
    by_source: dict[str, list[dict[str, Any]]] = {s.file: [] for s in cf.sources}
    for claim in cf.claims:
        by_source[claim.source].append(claim.model_dump())
    for source in cf.sources:
        check_source_claims(claims_path, root, source.file, source.sha256, by_source[source.file])
    return root


def check_source_claims(
    claims_path: Path, root: Path, file: str, sha256: str, claims: list[dict[str, Any]]
) -> None:
    """One source unchanged since ingest (sha256): each of its claims, entities and figures the
    exact slice of its text. A source changed or unreadable since is not checked: answers leave
    it out with a warning (`stale_sources`), whether or not the index was cached before."""
    from gpu_brief.store import read_regular, sha256_bytes, source_path

    path = source_path(root, file)
    try:
        data = read_regular(path)
    except OSError:
        return
    if sha256_bytes(data) != sha256:
        return
    text = data.decode("utf-8", errors="replace")
    for claim in claims:
        cid, start, end = claim["id"], claim["start"], claim["end"]
        if end > len(text):
            raise ClaimsFileError(
                f"{claims_path}: claim {cid}: offsets {start}:{end} are outside {file} ({len(text)} characters)"
            )
        if text[start:end] != claim["text"]:
            raise ClaimsFileError(f"{claims_path}: claim {cid}: text does not match {file}[{start}:{end}]")
        for item in [*claim["entities"], *claim["figures"]]:
            if (
                not (start <= item["start"] <= item["end"] <= end)
                or text[item["start"] : item["end"]] != item["text"]
            ):
                raise ClaimsFileError(
                    f"{claims_path}: claim {cid}: {item['text']!r} at {item['start']}:{item['end']} "
                    "does not match the source"
                )
        for ref in claim.get("antecedents") or ():
            ps, pe = ref.get("pronoun_start"), ref.get("pronoun_end")
            if (ps, pe) != (None, None) and not (
                ps is not None and pe is not None and start <= ps < pe <= end
            ):
                raise ClaimsFileError(
                    f"{claims_path}: claim {cid}: antecedent pronoun at {ps}:{pe} is not inside the claim"
                )
            if text[ref["start"] : ref["end"]] != ref["text"]:
                raise ClaimsFileError(
                    f"{claims_path}: claim {cid}: antecedent {ref['text']!r} at {ref['start']}:{ref['end']} "
                    "does not match the source"
                )


def stale_sources(index: SearchIndex, *, missing_ok: bool = False) -> list[tuple[str, str]]:
    """Before any answer: (source, why) for every source that changed since ingest or cannot be
    read. Every source whose size or mtime moved since the index was built is hashed; stat is
    cheap, and every cited file is hashed again anyway (`verify_citations`). Answers leave these
    sources out: one edited article does not stop questions about the others. When the sources
    folder itself is gone (`missing_root`) that is one error, unless `missing_ok` (then every
    source is listed as unreadable)."""
    import os

    from gpu_brief.errors import StaleError
    from gpu_brief.store import read_regular, sha256_bytes, source_path

    missing = missing_root(index)
    if missing is not None and not missing_ok:
        raise StaleError(missing)

    root = Path(index.header["root"])
    out = []
    for source in index.sources:
        path = source_path(root, source["file"])
        try:
            st = os.stat(path)
            if [st.st_size, st.st_mtime_ns] == source.get("stat"):
                continue
            data = read_regular(path)
        except OSError as exc:
            out.append((source["file"], f"cannot be read ({exc.strerror})"))
            continue
        if sha256_bytes(data) != source["sha256"]:
            out.append((source["file"], "changed since ingest (sha256 differs)"))
    return out


def missing_root(index: SearchIndex) -> str | None:
    """Why no source can be read, when the sources folder itself is not there or holds none of
    them (a claims file moved or copied without its articles): one line instead of one per
    source, and no command naming the wrong folder."""
    from gpu_brief.store import source_path

    root = Path(index.header["root"])
    if not index.sources:
        return None
    claims = index.header.get("claims") or "the claims file"
    if not root.is_dir():
        why = f"the sources folder {_shown(root)} does not exist"
    elif len(index.sources) > 1 and not any(source_path(root, s["file"]).exists() for s in index.sources):
        # a claims file copied away from its articles into a folder that holds none of them
        why = f"none of the {len(index.sources)} sources is in {_shown(root)}, so none can be read"
    else:
        return None
    return (
        f"{why} ({claims} records its sources relative to itself: was it moved without its articles?); "
        f"ingest again from the articles' folder: gpu-brief ingest FOLDER -o {shlex.quote(str(claims))}"
    )


def protected_paths(index: SearchIndex, claims_path: Path) -> set[Path]:
    """Files an output option must never replace: the claims file and every source."""
    from gpu_brief.store import source_path

    root = Path(index.header["root"])
    return {claims_path.resolve(), *(source_path(root, s["file"]).resolve() for s in index.sources)}


def check_output_target(path: Path, index: SearchIndex, claims_path: Path) -> None:
    """An output never replaces the claims file or a source, and is never written into the
    sources folder, where the next ingest would read a briefing as one more article."""
    from gpu_brief.errors import InputError

    resolved = path.resolve()
    if resolved in protected_paths(index, claims_path):
        raise InputError(f"{path}: is the claims file or one of its sources; choose another output file")
    root = Path(index.header["root"]).resolve()
    if root in resolved.parents:
        raise InputError(
            f"{path}: is inside the sources folder {_shown(root)}, where the next ingest would read it "
            "as an article; choose another folder"
        )


def reingest_hint(index: SearchIndex) -> str:
    """The command that rebuilds this index's claims file from its sources folder."""
    claims = index.header.get("claims")
    gazetteers = index.header.get("gazetteers") or []
    return reingest_command(claims, index.header.get("root"), gazetteer_options(claims, gazetteers))


def gazetteer_options(claims: object, recorded: list[str]) -> str:
    """` --gazetteer FILE` for each gazetteer a claims file records (resolved against it): ingest
    reads only the gazetteers its command line names, so the command it suggests names them."""
    from gpu_brief.store import sources_root

    if not claims:
        return ""
    return "".join(
        f" --gazetteer {shlex.quote(_shown(sources_root(Path(str(claims)), g)))}" for g in recorded
    )


def reingest_command(claims: object, root: object = None, extra: str = "") -> str:
    """ "run `gpu-brief ingest FOLDER -o FILE`": ingest reads only the folder it is given, so the
    hint names it (the folder the claims file records, resolved: look before you run it)."""
    if not claims:
        return "run `gpu-brief ingest`"
    folder = f"{shlex.quote(_shown(Path(str(root))))} " if root else ""
    return f"run `gpu-brief ingest {folder}-o {shlex.quote(str(claims))}{extra}`"


def source_text(index: SearchIndex, source: str) -> str:
    """A source's text, checked against the sha256 recorded at ingest."""
    from gpu_brief.errors import StaleError
    from gpu_brief.store import read_regular, sha256_bytes, source_path

    root = Path(index.header["root"])
    path = source_path(root, source)
    try:
        data = read_regular(path)
    except OSError as exc:
        raise StaleError(f"{path}: source cannot be read ({exc.strerror}); {reingest_hint(index)}") from None
    if sha256_bytes(data) != index.source_sha256(source):
        raise StaleError(f"{source} changed since ingest (sha256 differs): {reingest_hint(index)}")
    return data.decode("utf-8")


def verify_records(
    index: SearchIndex, records: Iterable[ClaimRecord], seen: dict[str, tuple[list[int], str]] | None = None
) -> None:
    """Every record about to be printed must still be its source's exact slice.

    `seen` carries checked texts across calls (a batch of questions): a source is read and
    hashed again only when its size or mtime moved, so a long batch still notices an edit."""
    import os

    from gpu_brief.errors import StaleError

    texts: dict[str, str] = {}
    root = Path(index.header["root"])
    for record in records:
        if record.source not in texts:
            if seen is None:
                texts[record.source] = source_text(index, record.source)
            else:
                try:
                    st = os.stat(root / record.source)
                    stamp = [st.st_size, st.st_mtime_ns, st.st_ino]
                except OSError:
                    stamp = []
                cached = seen.get(record.source)
                if cached is None or not stamp or cached[0] != stamp:
                    seen[record.source] = (stamp, source_text(index, record.source))
                texts[record.source] = seen[record.source][1]
        if texts[record.source][record.start : record.end] != record.text:
            raise StaleError(f"claim {record.id} no longer matches {record.source}: {reingest_hint(index)}")
