"""The entity API: resolve names the way the archive does (GET /api/entities?type=&q=) and read
one entity's record (GET /api/entities/{id}). Records: app/entity_records.py."""
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import RedirectResponse

from app import entity_records as records
from app.entities import load_gazetteer
from app.web.api_models import EntityListOut, EntityOut, ErrorOut
from app.web.deps import StoreDep

router = APIRouter(prefix="/api", tags=["api"])
ERRORS = {400: {"model": ErrorOut, "description": "A parameter that cannot be read"},
          414: {"model": ErrorOut, "description": "The URL is longer than the limit"}}


@router.get("/entities", response_model=EntityListOut, responses=ERRORS)
def api_entities(
    store: StoreDep,
    type: Annotated[Literal["", "country", "agency", "group"],
                    Query(description="country, agency or group (default: all)")] = "",
    q: Annotated[str, Query(max_length=200, description="Words of the id, a name or the acronym; the entity "
                            "the archive resolves the whole text to comes first ('Otan', 'Maroc', 'U.S.')")] = "",
    limit: Annotated[int, Query(ge=1, le=records.MAX_LIMIT, description="At most this many entities")] = 50,
):
    """Countries, agencies and groups with their article counts, most named first."""
    type_ = type or None
    size = limit
    gz = load_gazetteer()
    found = records.matching(gz, type_, q.strip()[:200])
    first = found[:1] if q.strip() and found and found[0] is gz.lookup(q.strip()) else []
    counts = store.entity_tag_counts()
    rest = sorted(found[len(first):], key=lambda e: (-counts.get(e.id, (0, 0, 0))[0], e.id))
    page = (first + rest)[:size]
    merged = store.merged_ids()
    return {"total": len(found),
            "entities": [records.summary(e, counts.get(e.id), merged.get(e.id)) for e in page]}


@router.get("/entities/{entity_id}", response_model=EntityOut, responses={
    **ERRORS, 404: {"model": ErrorOut, "description": "No entity has this id or name"},
    307: {"description": "A name, not an id: the entity's record"}})
def api_entity(request: Request, store: StoreDep,
               entity_id: Annotated[str, Path(max_length=200, description="An id ('ma', 'nato') or a name")]):
    """One entity: names per language, acronyms, aliases, kind, country, article counts (named,
    about, located), and the analysts' aliases and merges."""
    gz = load_gazetteer()
    ent = gz.entities.get(entity_id.strip().lower())
    if ent is None:
        named = gz.lookup(entity_id[:200])
        if named is None:
            raise HTTPException(404, f"No country, agency or group is called {entity_id[:100]!r}.")
        return RedirectResponse(str(request.url_for("api_entity", entity_id=named.id)), status_code=307)
    counts = store.entity_tag_counts([ent.id]).get(ent.id)
    return records.detail(gz, ent, counts, store.entity_corrections(ent.id))
