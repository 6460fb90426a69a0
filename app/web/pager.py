"""Which page numbers a pager shows: the first, the last, and a few around the current one, with
gaps (None) between; pure, so the pager template only draws it."""
from __future__ import annotations

AROUND = 2  # pages shown on each side of the current one


def page_numbers(page: int, pages: int, around: int = AROUND) -> list[int | None]:
    """[1, None, 4, 5, 6, 7, 8, None, 40] for page 6 of 40. A page past the end (page=999 of 2)
    shows every page from the start, so the numbers never claim a page that does not exist."""
    if pages <= 1:
        return []
    page = min(max(page, 1), pages)
    wanted = {1, pages, *range(max(1, page - around), min(pages, page + around) + 1)}
    out: list[int | None] = []
    for n in sorted(wanted):
        if out and n - (out[-1] or 0) > 1:
            out.append(n - 1 if n - (out[-1] or 0) == 2 else None)  # a gap of one page: show it
        out.append(n)
    return out
