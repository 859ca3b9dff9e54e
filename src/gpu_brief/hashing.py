"""sha256 for the files and keys gpu-brief checks, without `hashlib`'s start-up cost.

`import hashlib` loads OpenSSL's bindings: 2 to 3 ms of every `ask`, more than some questions
take to answer. CPython 3.11 also builds in its own sha256 (`_sha256`, same digests); where it
is missing (later versions name it `_sha2`), hashlib's is used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hashlib import sha256 as sha256
else:
    try:
        from _sha256 import sha256 as sha256
    except ImportError:  # pragma: no cover - Python 3.12+, or a build without it
        from hashlib import sha256 as sha256
