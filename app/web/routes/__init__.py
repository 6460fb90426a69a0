"""One router per page area, listed in one place."""
from app.web.routes import admin, api, api_entities, articles, entities, exports, home, imports, meaning, pictures, saved, search

ROUTERS = [home.router, exports.router, search.router, articles.router, entities.router, imports.router, api.router,
           api_entities.router, meaning.router, admin.router, saved.router, pictures.router]
