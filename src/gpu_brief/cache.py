"""The private caches of a claims file: its analysed units (for ingest) and its index (for `ask`).

A cache is only ever a shortcut: anything wrong with it means rebuilding from the claims file,
never an answer from the wrong data. So a cache is trusted only when

- it sits in a folder the user owns, created 0700, and the file itself is the user's (another
  account sharing `GPU_BRIEF_CACHE_DIR` cannot plant an index under someone else's name);
- it records the claims file's resolved path and the sha256 of its content, and both match;
- its own checksum (CRC-32 over every byte before it) matches, which also catches truncation.

Hashing a 200 MB claims file at every start would cost more than the rest of `ask`, so the
claims file's sha256 is memoised in a small stamp file next to the caches, under its stat
(device, inode, size, mtime and ctime, all in ns). Any write to the file changes mtime and
ctime, and ctime cannot be set back from user space, so an unchanged stat means unchanged bytes.
The one gap is a write in the same clock tick as the stamp (the "racy git" problem): a stamp is
trusted only when it was recorded more than two seconds after the file's last change, else the
file is hashed again. CRC-32 runs at several GB/s, so checking the index costs a fraction of
reading it.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import struct
import time
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gpu_brief import hashing
from gpu_brief.errors import ClaimsFileError

if TYPE_CHECKING:
    from gpu_brief.index import SearchIndex
    from gpu_brief.service import Corpus

ENV_CACHE = "GPU_BRIEF_CACHE_DIR"
SEAL = b"GPUBRIEF-SEAL1\n"  # ends a sealed index: <meta json><u64 meta length><u32 crc32><SEAL>
_TRAILER = struct.Struct("<QI")
RACY_NS = 2_000_000_000  # a stamp recorded this soon after the file changed is not trusted
_warned: set[str] = set()


def cache_root() -> Path:
    """$GPU_BRIEF_CACHE_DIR, else $XDG_CACHE_HOME/gpu-brief, else ~/.cache/gpu-brief."""
    env = os.environ.get(ENV_CACHE)
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "gpu-brief"


# what a user whose cache cannot be written is told: it costs speed (the claims are read again
# at each run), never an answer
_HINT = f"and each run reads the claims again (set {ENV_CACHE} to a folder of yours)"


def cache_dir() -> Path | None:
    """The cache folder, created private; None when it is not the user's (then nothing is cached)."""
    folder = cache_root()
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        st = folder.stat()
    except OSError as exc:
        _warn_once(f"cache folder {folder} cannot be used ({exc.strerror or exc}); nothing is cached {_HINT}")
        return None
    if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.geteuid():
        _warn_once(f"cache folder {folder} is not yours; not using it (set {ENV_CACHE} to a folder of yours)")
        return None
    if st.st_mode & 0o077:
        with contextlib.suppress(OSError):
            os.chmod(folder, 0o700)
    return folder


def _warn_once(message: str) -> None:
    if message not in _warned:
        _warned.add(message)
        from gpu_brief.render import warning_line

        warning_line(message)


def _open_own(path: Path) -> int | None:
    """A file descriptor on a regular file of ours, not reached through a symlink; else None."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode) or st.st_uid != os.geteuid():
        os.close(fd)
        return None
    return fd


def _read_own(path: Path) -> bytes | None:
    fd = _open_own(path)
    if fd is None:
        return None
    with os.fdopen(fd, "rb") as handle:
        try:
            return handle.read()
        except OSError:
            return None


def _replace(path: Path, pieces: Iterable[bytes]) -> None:
    """Write a cache file (mode 0600) beside its final name and rename it; errors only cost speed."""
    tmp = None
    try:
        import tempfile

        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb", buffering=1 << 20) as handle:
            for piece in pieces:
                handle.write(piece)
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        _warn_once(
            f"cache folder {path.parent} is not writable ({exc.strerror or exc}); nothing is cached {_HINT}"
        )
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


# --- which claims file, with which content ----------------------------------------------------


def _identity(st: os.stat_result) -> list[int]:
    return [st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns]


def _place(real: Path) -> str:
    return hashing.sha256(str(real).encode("utf-8", "surrogateescape")).hexdigest()[:16]


def claims_digest(claims_path: Path) -> str:
    """sha256 of the claims file's bytes, from the stamp when its stat is unchanged."""
    try:
        st = os.stat(claims_path)
    except OSError as exc:
        raise ClaimsFileError(f"{claims_path}: cannot read claims file: {exc.strerror}") from None
    if not stat.S_ISREG(st.st_mode):
        raise ClaimsFileError(
            f"{claims_path}: not a regular file (a pipe or a device?); pass the claims file itself, "
            "which says where its sources are"
        )
    real = claims_path.resolve()
    folder = cache_dir()
    stamp_path = folder / f"{_place(real)}.stamp" if folder else None
    if stamp_path is not None and (raw := _read_own(stamp_path)) is not None:
        with contextlib.suppress(ValueError, KeyError, TypeError):
            stamp = json.loads(raw)
            changed = max(st.st_mtime_ns, st.st_ctime_ns)
            if (
                stamp["path"] == str(real)
                and stamp["stat"] == _identity(st)
                and stamp["recorded"] - changed > RACY_NS
            ):
                return str(stamp["sha256"])
    digest = hashing.sha256()
    try:
        with open(real, "rb") as handle:
            st = os.fstat(handle.fileno())
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
    except OSError as exc:
        raise ClaimsFileError(f"{claims_path}: cannot read claims file: {exc.strerror}") from None
    record_digest(claims_path, digest.hexdigest(), st)
    return digest.hexdigest()


def record_digest(claims_path: Path, sha256: str, st: os.stat_result | None = None) -> None:
    """Remember the claims file's sha256 under its current stat (ingest knows what it wrote)."""
    folder = cache_dir()
    if folder is None:
        return
    real = claims_path.resolve()
    try:
        st = st or os.stat(real)
    except OSError:
        return
    stamp = {"path": str(real), "stat": _identity(st), "sha256": sha256, "recorded": time.time_ns()}
    _replace(folder / f"{_place(real)}.stamp", [json.dumps(stamp).encode("utf-8")])


def recent_claims_files(leave_out: Path, limit: int = 3) -> list[Path]:
    """The claims files this cache has read or ingest has written, most recent first, that still
    exist (not `leave_out`): asked without --claims from another folder, a user who made one
    most likely meant it."""
    from gpu_brief.store import is_claims_file

    folder = cache_dir()
    if folder is None:
        return []
    seen: list[tuple[int, Path]] = []
    skip = str(leave_out.resolve())
    try:
        same = claims_digest(leave_out)  # a copy of it (a clone's data/claims.yaml) is no other
    except ClaimsFileError:
        same = ""
    for stamp_path in folder.glob("*.stamp"):
        with contextlib.suppress(ValueError, KeyError, TypeError, OSError):
            stamp = json.loads(stamp_path.read_bytes())
            if stamp["path"] != skip and stamp["sha256"] != same:
                seen.append((int(stamp["recorded"]), Path(stamp["path"])))
    seen.sort(key=lambda item: item[0], reverse=True)
    return [path for _, path in seen if path.is_file() and is_claims_file(path)][:limit]


# --- naming and sealing ------------------------------------------------------------------------


def _resources() -> list[Path]:
    """Data files an index is built from: a change to any of them rebuilds cached indexes."""
    base = Path(__file__).resolve().parent / "resources"
    return sorted(p for p in base.rglob("*.yaml") if p.is_file())


def cache_path(claims_path: Path, suffix: str) -> Path | None:
    """One cache file per claims file and per version of what reads it (None: no usable folder)."""
    from gpu_brief.versions import ANALYZER_VERSION, INDEX_VERSION, UNITS_VERSION

    folder = cache_dir()
    if folder is None:
        return None
    digest = hashing.sha256(f"{INDEX_VERSION}|{UNITS_VERSION}|{ANALYZER_VERSION}".encode())
    for resource in _resources():
        # name, size and mtime, as Python checks its bytecode: hashing the 250 KB read at every
        # question cost a millisecond; an edited or reinstalled resource changes its stat
        st = resource.stat()
        digest.update(f"|{resource.name}:{st.st_size}:{st.st_mtime_ns}".encode())
    return folder / f"{_place(claims_path.resolve())}-{digest.hexdigest()[:16]}{suffix}"


def _meta(claims_path: Path, sha256: str, kind: str) -> dict[str, str]:
    return {"kind": kind, "claims": str(claims_path.resolve()), "claims_sha256": sha256}


def _write(path: Path, pieces: Iterable[bytes]) -> None:
    """Replace the cache, removing older versions of it (other suffixes of the same claims file)."""
    place = path.name.split("-")[0]
    for stale in path.parent.glob(f"{place}-*{path.suffix}"):
        if stale != path:
            with contextlib.suppress(OSError):
                stale.unlink()
    _replace(path, pieces)


def write_index(claims_path: Path, sha256: str, index: SearchIndex) -> None:
    """The index's bytes, then its claims file's path and sha256, a CRC-32 of it all, and SEAL."""
    path = cache_path(claims_path, ".idx")
    if path is None:
        return

    def sealed() -> Iterator[bytes]:
        crc = 0
        for piece in index.save():
            crc = zlib.crc32(piece, crc)
            yield piece
        meta = json.dumps(_meta(claims_path, sha256, "index")).encode("utf-8")
        crc = zlib.crc32(meta, crc)
        yield meta + _TRAILER.pack(len(meta), crc) + SEAL

    _write(path, sealed())


def read_index(claims_path: Path, sha256: str) -> SearchIndex | None:
    """The cached index when it is ours, whole, and made from this very claims file."""
    from gpu_brief.index import SearchIndex

    path = cache_path(claims_path, ".idx")
    data = _read_own(path) if path is not None else None
    if data is None or not data.endswith(SEAL):
        return None
    end = len(data) - len(SEAL) - _TRAILER.size
    if end < 0:
        return None
    length, crc = _TRAILER.unpack_from(data, end)
    if length > end:
        return None
    try:
        meta = json.loads(data[end - length : end])
    except ValueError:
        return None
    if meta != _meta(claims_path, sha256, "index"):
        return None
    if zlib.crc32(memoryview(data)[:end]) != crc:
        return None
    try:
        return SearchIndex.load(memoryview(data)[: end - length])
    except ValueError:
        return None


def write_units(claims_path: Path, sha256: str, corpus: Corpus) -> None:
    """JSON lines: the header (with the claims file's path and sha256), one unit a line, and a
    last line holding the CRC-32 of every byte before it."""
    path = cache_path(claims_path, ".units")
    if path is None:
        return

    def sealed() -> Iterator[bytes]:
        head = {**_meta(claims_path, sha256, "units"), "header": corpus.header, "catalog": corpus.catalog}
        first = (json.dumps(head, ensure_ascii=False) + "\n").encode("utf-8")
        crc = zlib.crc32(first)
        yield first
        for unit in corpus.units:
            piece = (unit.to_json() + "\n").encode("utf-8")
            crc = zlib.crc32(piece, crc)
            yield piece
        yield json.dumps({"crc32": crc}).encode("utf-8") + b"\n"

    _write(path, sealed())


def read_units(claims_path: Path, sha256: str) -> Corpus | None:
    """The cached units when ours, whole and made from this claims file (read line by line)."""
    from gpu_brief.service import Corpus
    from gpu_brief.units import Unit

    path = cache_path(claims_path, ".units")
    fd = _open_own(path) if path is not None else None
    if fd is None:
        return None
    with os.fdopen(fd, "rb") as handle:
        try:
            first = handle.readline()
            head = json.loads(first)
            if {k: head.get(k) for k in ("kind", "claims", "claims_sha256")} != _meta(
                claims_path, sha256, "units"
            ):
                return None
            crc = zlib.crc32(first)
            units: list[Any] = []
            pending = handle.readline()
            while pending:
                line = handle.readline()
                if not line:
                    break
                crc = zlib.crc32(pending, crc)
                units.append(Unit.from_json(pending.decode("utf-8")))
                pending = line
            if json.loads(pending) != {"crc32": crc}:
                return None
            return Corpus(head["header"], head["catalog"], units)
        except (OSError, ValueError, KeyError, TypeError):
            return None
