"""One router per page area, listed in one place."""
from app.web.routes import admin, api, articles, entities, exports, home, imports, pictures, saved, search

ROUTERS = [home.router, exports.router, search.router, articles.router, entities.router, imports.router, api.router, admin.router, saved.router,
           pictures.router]
