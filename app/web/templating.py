"""The Jinja2 environment shared by every page. Autoescape is on: article text is never |safe."""
from __future__ import annotations

from pathlib import Path

from fastapi.templating import Jinja2Templates

from app.search.engine import entity_label, entity_short, language_name
from app.search.export import MAX_ROWS
from app.web.links import http_url, path_part
from app.web.pager import page_numbers
from app.search.snippets import marked

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "templates"

templates = Jinja2Templates(directory=TEMPLATES_DIR)
templates.env.filters["language_name"] = lambda code: language_name(code) if code else "unknown"
templates.env.filters["entity_name"] = entity_label
templates.env.filters["entity_short"] = entity_short
templates.env.filters["day"] = lambda ts: (ts or "")[:10]
templates.env.filters["http_url"] = http_url  # None unless http(s): imported URLs are hostile
templates.env.filters["path_part"] = path_part  # a value as one percent-encoded path segment
templates.env.globals["page_numbers"] = page_numbers  # the numbered pager (_pager.html)
templates.env.filters["marked"] = marked  # a sentence with spans in <mark>, escaped first
templates.env.globals["export_limit"] = MAX_ROWS  # rows per CSV / JSON file
