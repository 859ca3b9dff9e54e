"""What ingest refuses to read from or write to: a folder a claims file only records, another
folder's claims file, an article, or a file the next ingest would take for one."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import TYPE_CHECKING

from gpu_brief.errors import InputError
from gpu_brief.sources import _shown

if TYPE_CHECKING:
    from gpu_brief.corpus import Corpus
    from gpu_brief.ingest import IngestResult


def default_folder(output: Path, previous: Corpus | None, check: bool = False) -> Path:
    """./seeds, the one folder ingest reads without being told. A claims file records where its
    sources were, but that record may come from someone else (`root: "/etc"`): ingest never
    takes the folder to read from it, and says which folder to name when it is not ./seeds."""
    from gpu_brief.store import sources_root

    seeds = Path("seeds")
    if previous is not None:
        recorded = sources_root(output, previous.header["root"])
        if not seeds.is_dir() or seeds.resolve() != recorded:
            raise InputError(
                f"{output} was made from {recorded}; name the folder to read: "
                f"`gpu-brief ingest{' --check' if check else ''} {shlex.quote(_shown(recorded))} "
                f"-o {shlex.quote(str(output))}` "
                "(ingest reads only the folder on its command line, or ./seeds)"
            )
    if seeds.is_dir():
        return seeds
    raise InputError("no folder given and ./seeds does not exist: `gpu-brief ingest FOLDER`")


def refuse_another_folder(output: Path, folder: Path, previous: Corpus) -> None:
    """A claims file made from one folder is not silently replaced by another folder's claims
    (`ingest ../other -o claims.yaml` by mistake): --force says it is meant."""
    from gpu_brief.store import sources_root

    if not folder.is_dir():
        return  # a mistyped folder is "no such folder" (listing it says so), not another corpus
    recorded = sources_root(output, previous.header["root"])
    if recorded != folder.resolve():
        raise InputError(
            f"{output} holds the claims of {_shown(recorded)}; ingesting {folder} would replace "
            "them all: choose another -o file, or pass --force"
        )


def refuse_overwriting_a_source(output: Path, result: IngestResult) -> None:
    from gpu_brief.folder import DEFAULT_PATTERN, matches
    from gpu_brief.store import sources_root

    root = sources_root(output, result.header["root"]).resolve()
    target = output.resolve()
    for unit in result.units:
        if (root / unit.file).resolve() == target:
            raise InputError(f"{output}: is one of the articles being ingested; choose another -o")
    # not one yet, but the next ingest would take it for one ("-o articles/claims.txt")
    if target.is_relative_to(root):
        inside = target.relative_to(root).as_posix()
        for pattern in result.header["patterns"] or [DEFAULT_PATTERN]:
            if matches(inside, pattern):
                raise InputError(
                    f"{output}: is in the folder ingested and matches --pattern {pattern!r}, so the next"
                    " ingest would read it as an article; choose another -o (e.g. a .yaml name)"
                )
