"""Documents gpu-brief writes and reads back: re-checking a briefing's citations (`verify`) and
appending answers to one (`chat`'s `:export`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from gpu_brief.errors import InputError

if TYPE_CHECKING:
    from gpu_brief.export import Cited, Problem
    from gpu_brief.index import SearchIndex
    from gpu_brief.qa import Answer


DOCUMENT_MAX_BYTES = 200_000_000  # a briefing to verify or append to; more is not a briefing


def verify_document(
    document: Path, claims: Path | None
) -> tuple[Path, list[Cited], list[Problem], list[str]]:
    """Parse a gpu-brief Markdown document and re-check its citations; also the sources edited
    since export (a citation outside the edit still holds, but the briefing is no longer what
    the corpus says in full)."""
    from gpu_brief.export import parse, real_names, verify
    from gpu_brief.store import read_text

    markdown = read_text(document, DOCUMENT_MAX_BYTES, missing="no such file")
    cited, meta = parse(markdown)
    if not cited and meta is not None:
        return document, [], [], []  # an export whose every question abstained: nothing to re-check
    if not cited:
        raise InputError(f"{document}: no gpu-brief citations in it (expected quotes with footnotes)")
    claims_root, claims_recorded = None, {}
    if claims is not None:
        from gpu_brief.store import read_claims, sources_root

        cf = read_claims(claims)
        claims_root = sources_root(claims, cf.root)
        claims_recorded = {s.file: s.sha256 for s in cf.sources}
    elif any(c.meta is None and c.label for c in cited):
        raise InputError(f"{document}: no gpu-brief metadata; pass --claims to say where the sources are")
    # answers without a citation belong to no export block: reported as such
    problems: list[Problem] = verify([c for c in cited if not c.label], claims_root or document.parent, {})
    blocks: dict[int, list[Cited]] = {}
    edited: set[str] = set()
    for c in cited:  # each export block is checked against its own corpus
        if c.label:
            blocks.setdefault(id(c.meta), []).append(c)
    for group in blocks.values():
        meta = group[0].meta or {}
        # the sources as they were when exported (the briefing records their sha256): a source
        # edited since, even if ingested again, is "edited since export", not a tampered briefing
        recorded = {str(k): str(v) for k, v in meta.get("sources", {}).items()} or claims_recorded
        real_names(group, recorded)
        root = claims_root or _recorded_root(document, str(meta.get("root", "")), group)
        if claims is not None and not any(
            c.file in claims_recorded or (root / c.file).is_file() for c in group
        ):
            # the wrong claims file: one line that says so, not a BROKEN per citation
            raise InputError(
                f"{document}: none of its sources is in {claims} (it cites {group[0].file}); pass "
                "--claims with the claims file it was exported from"
            )
        if claims_root is None and not any((root / c.file).is_file() for c in group):
            # a briefing moved away from its sources: one line that says so, not a BROKEN per citation
            raise InputError(
                f"{document}: none of its sources is in {root}, the folder it recorded at export "
                "(relative to the document: was it moved?); pass --claims with the claims file it "
                "was exported from"
            )
        problems += verify(group, root, recorded, edited)
    order = {id(c): i for i, c in enumerate(cited)}
    return document, cited, sorted(problems, key=lambda p: order[id(p.cited)]), sorted(edited)


def _recorded_root(document: Path, root: str, cited: list[Cited]) -> Path:
    """A briefing records its sources folder relative to itself (absolute in older ones); one
    printed to stdout records it relative to where it was made, tried second."""
    candidates = [document.resolve().parent / root, Path.cwd() / root]
    for folder in candidates:
        if all((folder / c.file).is_file() for c in cited[:1]):
            return folder
    return candidates[0]


def append_answers(
    path: Path, index: SearchIndex, claims_path: Path, answers: list[Answer]
) -> tuple[int, int]:
    """Append to a Markdown file the answers it does not hold yet; (appended, already there).

    Under a lock beside the file, so two chat sessions exporting to one file at once both land
    (read, append, rename is otherwise a lost update); the file is replaced atomically. Which
    answers a file holds is read from its metadata blocks, so exporting twice adds nothing twice.
    """
    from gpu_brief import render
    from gpu_brief.export import answer_digest, exported_digests, metadata_comment
    from gpu_brief.sources import check_output_target
    from gpu_brief.store import atomic_write, check_output_path, exclusive, read_text

    check_output_target(path, index, claims_path)
    check_output_path(path)
    with exclusive(path, wait=True, what="export"):
        old = read_text(path, DOCUMENT_MAX_BYTES, doing="cannot read it to append") if path.exists() else ""
        held = exported_digests(old)
        new: list[Answer] = []
        for answer in answers:
            digest = answer_digest(answer)
            if digest not in held:
                held.add(digest)
                new.append(answer)
        if not new:
            return 0, len(answers)
        start = old.count("\n[^") + 1  # keep footnote labels unique across appends
        parts = [render.answer_markdown(a, label=f"s{start}-{i}-") for i, a in enumerate(new, start=1)]
        block = "\n".join(parts) + "\n" + metadata_comment(index, claims_path, new, path) + "\n"
        atomic_write(path, (old + ("\n" if old and not old.endswith("\n") else "") + block))
    return len(new), len(answers) - len(new)
