"""What the answering core reports, put into words (English, the tool's interface language).

The core (`gpu_brief.qa`) holds no phrase of any language: it returns what it found, and this
module says it.
"""

from __future__ import annotations

from collections.abc import Sequence

ABSTAIN_TEXT = "No grounded answer in the corpus"


def abstention_reason(
    *,
    any_passage: bool,
    found: Sequence[str],
    ideas: int,
    never: Sequence[str],
    missing: Sequence[str],
    kind_missing: str | None,
    source: str | None = None,
    left_out: Sequence[str] = (),
) -> str:
    """ "the best passage covers 2 of 6 ideas (...); nothing in the corpus says Bitcoin"."""
    # sources changed since ingest were not searched: they may hold what was not found
    skipped = f"; not searched, changed since ingest or unreadable: {', '.join(left_out)}" if left_out else ""
    if not any_passage:
        where = source if source is not None else "the sources searched" if left_out else "the corpus"
        return f"no word of the question occurs in {where}{skipped}"
    covers = f"the best passage covers {len(found)} of {ideas} ideas of the question"
    if found:
        covers += f" ({', '.join(found)})"
    parts = [covers]
    if kind_missing is not None:
        parts.insert(0, f"no passage among the best holds the kind of answer asked for ({kind_missing})")
    if never:
        parts.append("nothing in the corpus says " + ", ".join(never))
    if missing:
        parts.append("not in that passage: " + ", ".join(missing))
    if len(parts) == 1 and found and len(found) >= ideas:
        # every idea is there, so the count alone reads like a reason to answer: say why not
        parts[0] += (
            ", but not as an answer to it (its probability is under the threshold: --explain shows why)"
        )
    return "; ".join(parts) + skipped


def stale_reason(source: str, why: str | None = None) -> str:
    """Why it abstains when the passage that matches best is in a source changed since ingest
    or no longer readable (`why`, as the warning says it; None: changed): the other sources'
    best is a guess without it."""
    if why is None or why.startswith("changed"):
        return (
            f"the passage that matches best is in {source}, changed since ingest: re-ingest to answer from it"
        )
    return f"the passage that matches best is in {source}, which {why}: restore it, or re-ingest without it"


# Click's words for a bad number, in a user's ("'abc' is not a valid int range.")
_CLICK_NUMBERS = {
    "is not a valid int range": "is not a whole number",
    "is not a valid float range": "is not a number",
}


def usage_message(message: str) -> str:
    """A usage error as Click words it, with its type names in a user's words."""
    for click, plain in _CLICK_NUMBERS.items():
        message = message.replace(click, plain)
    return message
