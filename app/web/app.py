"""create_app(settings): the FastAPI app. Nothing global, so tests can serve a temporary archive."""
from __future__ import annotations

import sys
import threading
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.config import Settings
from app.web.admin_auth import AdminGate
from app.web.middleware import HardeningMiddleware
from app.web.docs import install as install_docs
from app.web.openapi import install as install_openapi
from app.web.routes import ROUTERS
from app.web.templating import templates

STATIC_DIR = Path(__file__).resolve().parents[2] / "static"


def create_app(settings: Settings | None = None) -> FastAPI:
    from app.store import open_store

    settings = settings or Settings()
    web = FastAPI(title="newsarchive", version="0.1.0", docs_url=None, redoc_url=None,  # /docs: app/web/docs.py
                  description="Search and browse the news archive. The JSON API mirrors the pages.")
    web.state.settings = settings
    web.state.admin = AdminGate(settings.admin_token)  # sessions and wrong-token counts, in memory
    web.state.store = open_store(settings, read_only=True)
    web.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for router in ROUTERS:
        web.include_router(router)
    install_openapi(web)
    install_docs(web)
    # Outside Starlette's whole stack, not add_middleware: the 500 page that ServerErrorMiddleware
    # sends (outermost there) gets the security headers too.
    build = web.build_middleware_stack
    web.build_middleware_stack = lambda: HardeningMiddleware(build())

    @web.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        detail = str(exc.detail)
        if exc.status_code == 404 and detail == "Not Found":  # no route matched (or an id was not digits)
            detail = f"There is no page at {request.url.path[:200]!r} in this archive."
        return _error(request, exc.status_code, detail, getattr(exc, "headers", None))

    @web.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError):
        what = "; ".join(f"{'.'.join(str(p) for p in e['loc'][1:])}: {e['msg']}" for e in exc.errors())
        return _error(request, 400, f"This address has a parameter we could not read ({what}).")

    return web


def served_app() -> FastAPI:
    """The app of `newsarchive serve`, in each of its worker processes: the settings come from the
    environment (serve puts --db there), and the indexes are warmed up in a thread meanwhile.

    BLAS runs one thread per process: the server's concurrency is its processes and threads, and
    OpenBLAS's own threads spinning against them on a busy machine made a query's embedding
    (one small matrix product chain) take 84 ms instead of 2 (100k articles, load ~8)."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1, user_api="blas")
    settings = Settings()
    web = create_app(settings)
    web.state.store.build_postings = True  # from now on no request waits for an index build
    if hasattr(web.state.store, "use_pool"):  # PostgreSQL: a bounded pool of connections per process
        web.state.store.use_pool(settings.pg_pool_size)
    from app.entities import load_gazetteer

    load_gazetteer()  # every page names countries and agencies: built before this process takes requests
    threading.Thread(target=warm_up, args=(web.state.store,), daemon=True).start()
    return web


def warm_up(store) -> None:
    """Load or build what the first search of a big archive would otherwise wait for, in the
    order a search needs them (the gazetteer is built already, by served_app): the facet index,
    the frequent words' postings (memory-mapped; built in a thread of
    their own when missing, and rebuilt there whenever an import makes them stale), and last
    the did-you-mean vocabulary, which only a search that finds nothing needs (1M articles: 2 s
    to load). Each is saved beside the archive, so loaded at once when it is unchanged."""
    try:
        store.doc_index()
        store.postings(background=True)
        from app.search.hybrid import meaning_state

        embedder = meaning_state(store)[1]  # the model and the vectors (1.4 s at 100k) before the first hybrid search
        if embedder is not None and embedder.sentence_model:  # and the one that picks snippet sentences (1.2 s)
            from app.embeddings import registry

            registry.load(embedder.sentence_model)
        store.vocabulary()  # loaded, or built in a thread of its own
    except Exception as exc:  # only a head start: a request would build them anyway
        print(f"newsarchive: warm-up skipped: {exc}", file=sys.stderr, flush=True)
    finally:
        store.close()  # this thread's connection


def _error(request: Request, status: int, detail: str, headers: dict | None = None):
    from fastapi.responses import JSONResponse

    if request.url.path.startswith("/api/"):
        return JSONResponse({"detail": detail}, status_code=status, headers=headers)
    return templates.TemplateResponse(request, "error.html", {"status": status, "detail": detail}, status_code=status,
                                      headers=headers)
