"""SQL for exports, feeds and alerts: the columns a listing of articles needs, by id, in chunks.

A mixin of SqliteStore, so a second backend answers the same two questions by the same names.
"""
from __future__ import annotations

from collections.abc import Sequence

CHUNK = 500  # ids per query: well under SQLite's 32,766 host parameters, and a small page of rows


class ExportQueries:
    def export_rows(self, ids: Sequence[int]) -> dict[int, tuple]:
        """id -> (id, title, published_at, source, url, language, imported_at); no bodies."""
        out: dict[int, tuple] = {}
        for start in range(0, len(ids), CHUNK):
            chunk = list(ids[start:start + CHUNK])
            rows = self.conn().execute(
                "SELECT id, title, published_at, source, url, language, imported_at FROM article"
                f" WHERE id IN ({','.join('?' * len(chunk))})", chunk)
            out.update((r[0], r) for r in rows)
        return out

    def source_tags_for(self, ids: Sequence[int]) -> dict[int, list[str]]:
        """id -> the source-provided tags (Reuters places and topics, feed categories)."""
        out: dict[int, list[str]] = {i: [] for i in ids}
        for start in range(0, len(ids), CHUNK):
            chunk = list(ids[start:start + CHUNK])
            for aid, tag in self.conn().execute(
                    f"SELECT article_id, tag FROM source_tag WHERE article_id IN ({','.join('?' * len(chunk))})"
                    " ORDER BY article_id, tag", chunk):
                out[aid].append(tag)
        return out

    def leads(self, ids: Sequence[int], chars: int) -> dict[int, str]:
        """id -> the first ``chars`` characters of the body (feed summaries)."""
        out: dict[int, str] = {}
        for start in range(0, len(ids), CHUNK):
            chunk = list(ids[start:start + CHUNK])
            rows = self.conn().execute(f"SELECT id, substr(unz(body), 1, ?) FROM article WHERE id IN"
                                       f" ({','.join('?' * len(chunk))})", [chars] + chunk)
            out.update((r[0], r[1] or "") for r in rows)
        return out
