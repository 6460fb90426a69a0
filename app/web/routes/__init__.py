"""One router per page area, listed in one place."""
from app.web.routes import admin, api, articles, entities, home, imports, meaning, search

ROUTERS = [home.router, search.router, articles.router, entities.router, imports.router, api.router, meaning.router, admin.router]
