"""One router per page area, listed in one place."""
from app.web.routes import admin, api, api_entities, articles, entities, home, imports, search

ROUTERS = [home.router, search.router, articles.router, entities.router, imports.router, api.router,
           api_entities.router, admin.router]
