"""Who is named with whom: pairs of agencies and countries named in the same articles of a result set.

Bounded whatever the result set: only the ``TOP_AGENCIES`` agencies and ``TOP_COUNTRIES``
countries most named in it take part (pairs among the others are not counted, and the page says
so), and their co-occurrences are one matrix product per block of ``BLOCK`` articles over the
in-memory DocIndex (no SQL): at most BLOCK x 40 floats in memory at a time.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

TOP_AGENCIES = 20
TOP_COUNTRIES = 20
BLOCK = 65_536  # articles per block of the incidence matrix (65,536 x 40 float32 = 10 MB)


@dataclass
class Cooccurrence:
    agencies: list[tuple[str, int]]  # (entity id, articles in the result set), most first
    countries: list[tuple[str, int]]
    counts: dict[tuple[str, str], int]  # (a, b) -> articles naming both; both orders present

    def count(self, a: str, b: str) -> int:
        return self.counts.get((a, b), 0)

    def top_pairs(self, limit: int, with_agency: bool) -> list[tuple[str, str, int]]:
        """The pairs named together most often: those with an agency (agency-country first in
        each pair, or agency-agency), or else country-country."""
        order = [e for e, _ in self.agencies + self.countries]
        rank = {e: i for i, e in enumerate(order)}
        agencies = {e for e, _ in self.agencies}
        pairs = [(a, b, n) for (a, b), n in self.counts.items()
                 if rank[a] < rank[b] and n and (a in agencies) == with_agency]
        pairs.sort(key=lambda p: (-p[2], rank[p[0]], rank[p[1]]))
        return pairs[:limit]


def cooccurrence(idx, mask: np.ndarray, about: bool, kind_of, skip: set[str] = frozenset()) -> Cooccurrence:
    """``kind_of(entity_id)`` -> "country", "agency" or None (not counted: armed groups, unknown
    ids); ``skip``: entities every article of the set already has (the page's filters)."""
    countries, agencies = [], []
    for eid, n in idx.entity_counts(mask, about):
        kind = kind_of(eid) if eid not in skip else None
        if kind == "country" and len(countries) < TOP_COUNTRIES:
            countries.append((eid, n))
        elif kind == "agency" and len(agencies) < TOP_AGENCIES:
            agencies.append((eid, n))
    chosen = [e for e, _ in agencies + countries]
    return Cooccurrence(agencies, countries, _counts(idx, mask, about, chosen))


def _counts(idx, mask: np.ndarray, about: bool, chosen: list[str]) -> dict[tuple[str, str], int]:
    if len(chosen) < 2:
        return {}
    local = np.full(len(idx.ent_codes.values), -1, dtype=np.int64)
    local[[idx.ent_codes.index[e] for e in chosen]] = np.arange(len(chosen))
    keep = mask[idx.ent_doc] & (local[idx.ent_code] >= 0)
    if about:
        keep &= idx.ent_about
    docs, cols = idx.ent_doc[keep], local[idx.ent_code[keep]]
    uniq, rows = np.unique(docs, return_inverse=True)
    total = np.zeros((len(chosen), len(chosen)), dtype=np.int64)
    for start in range(0, len(uniq), BLOCK):
        sel = (rows >= start) & (rows < start + BLOCK)
        block = np.zeros((min(BLOCK, len(uniq) - start), len(chosen)), dtype=np.float32)
        block[rows[sel] - start, cols[sel]] = 1.0
        total += np.rint(block.T @ block).astype(np.int64)  # exact: each cell is at most BLOCK
    return {(a, b): int(total[i, j]) for i, a in enumerate(chosen) for j, b in enumerate(chosen) if i != j}
