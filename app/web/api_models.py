"""JSON shapes of the API (and of `newsarchive search --json`)."""
from __future__ import annotations

from dataclasses import asdict

from app.storage.views import ArticleView, SearchResults


def search_json(r: SearchResults) -> dict:
    return {
        "total": r.total,
        "partial_total": r.partial_total,
        "page": r.page,
        "page_size": r.page_size,
        "query": r.description,
        "warnings": r.warnings,
        "results": [
            {"id": h.id, "title": h.title, "snippet": str(h.snippet), "language": h.language, "source": h.source,
             "published_at": h.published_at, "countries": h.countries, "agencies": h.agencies, "match": h.match,
             "versions": h.versions}
            for h in r.hits
        ],
        "facets": {name: [{"value": f.value, "label": f.label, "count": f.count} for f in values]
                   for name, values in r.facets.items()},
    }


def article_json(a: ArticleView) -> dict:
    data = asdict(a)
    data["countries"] = [t.entity_id for t in a.tags if t.type == "country"]
    data["agencies"] = [t.entity_id for t in a.tags if t.type not in ("country", "group")]
    data["same_story"] = [i for i, _ in a.same_story]
    data["related"] = [i for i, _ in a.related]
    data["versions"] = [dict(v, url=f"/articles/{a.id}/versions/{v['version']}") for v in a.versions]
    return data
