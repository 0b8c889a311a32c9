"""Find a device by id, alias or loose name ("a100", "RTX 4090", "rpi4"), or say what was meant.

Matching goes from strict to loose: exact id, exact alias, normalised id/alias/name (case,
spaces, dashes and vendor words ignored), then token containment. Several hits at the loosest
level that found any -> ambiguous (``InputError`` listing them); none -> ``InputError`` with the
nearest ids by string similarity.
"""

from __future__ import annotations

import difflib
import re

from advisor.errors import InputError
from advisor.hardware.table import Hardware, load_table

_VENDOR_WORDS = {"nvidia", "amd", "intel", "geforce", "tesla", "radeon", "qualcomm", "apple",
                 "google", "the", "r", "tm", "processor"}


def norm(text: str) -> str:
    """Lower-case, drop vendor words, keep letters+digits: 'NVIDIA GeForce RTX-4090' -> 'rtx4090'."""
    words = re.findall(r"[a-z0-9+.]+", text.lower().replace("(r)", " ").replace("(tm)", " "))
    return "".join(w for w in words if w not in _VENDOR_WORDS).replace(".", "")


def _tokens(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9+]+", text.lower()) if w not in _VENDOR_WORDS}


def resolve(name: str, table: list[Hardware] | None = None) -> Hardware:
    """The one device ``name`` refers to; ``InputError`` when unknown or ambiguous."""
    table = table if table is not None else load_table()
    q = name.strip()
    if not q:
        raise InputError("empty hardware name")
    ql = q.lower()
    for level in (
        lambda h: h.id == ql,
        lambda h: ql in (a.lower() for a in h.aliases),
    ):
        hits = [h for h in table if level(h)]
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            _ambiguous(q, hits)
    qn = norm(q)
    hits = [h for h in table if qn and (qn == norm(h.id) or qn == norm(h.name)
                                       or any(qn == norm(a) for a in h.aliases))]
    if len(hits) == 1:
        return hits[0]
    if len(hits) > 1:
        _ambiguous(q, hits)
    qt = _tokens(q)
    if qt:
        hits = [h for h in table if qt <= (_tokens(h.name) | _tokens(h.id.replace("-", " "))
                                            | {t for a in h.aliases for t in _tokens(a)})]
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            _ambiguous(q, hits)
    raise InputError(f"unknown hardware {q!r}; nearest ids: {', '.join(nearest_ids(q, table))} "
                     "(see `advisor hw list`)")


def nearest_ids(name: str, table: list[Hardware] | None = None, n: int = 5) -> list[str]:
    """Ids most similar to ``name`` (by normalised id, alias and name)."""
    table = table if table is not None else load_table()
    qn = norm(name) or name.lower()
    scored = []
    for h in table:
        keys = [norm(h.id), norm(h.name)] + [norm(a) for a in h.aliases]
        score = max(difflib.SequenceMatcher(None, qn, k).ratio() for k in keys if k)
        scored.append((score, h.id))
    scored.sort(key=lambda t: (-t[0], t[1]))
    return [i for _, i in scored[:n]]


def _ambiguous(q: str, hits: list[Hardware]) -> None:
    listed = ", ".join(f"{h.id} ({h.name})" for h in hits[:12])
    more = f" and {len(hits) - 12} more" if len(hits) > 12 else ""
    raise InputError(f"hardware name {q!r} is ambiguous: {listed}{more}; use an id")
