"""The country an outlet writes from (data/outlets.yaml): a generic body ("the ministry of
education", "the Navy") of an article that names no country and no place is that country's, as a
reader of that outlet reads it (resolve.py). The article's URL decides (its host's country-code
domain, or the host listed), else the name an import gave as its source; unknown outlets and
international wires have none, and their generic bodies stay unresolved as before.
"""
from __future__ import annotations

from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from .normalise import fold

_DATA = Path(__file__).with_name("data")


@cache
def _tables() -> tuple[frozenset, dict, dict, dict, frozenset]:
    spec = yaml.safe_load((_DATA / "outlets.yaml").read_text(encoding="utf-8")) or {}
    codes = frozenset(yaml.safe_load((_DATA / "countries.yaml").read_text(encoding="utf-8")))
    names = {fold(name).strip(): code for name, code in (spec.get("names") or {}).items()}
    return (frozenset(spec.get("generic_tlds") or ()), dict(spec.get("tld_countries") or {}),
            dict(spec.get("hosts") or {}), names, codes)


def home_of(url: str | None, source: str | None = None) -> str | None:
    """"https://www.moroccoworldnews.com/2020/05/..." -> "ma"; "https://www.lemonde.fr/..." ->
    "fr"; source "BBC News" -> "gb"; a Reuters story with no URL -> None."""
    generic, tld_countries, hosts, names, codes = _tables()
    host = _host(url)
    if host:
        labels = host.split(".")
        for k in range(len(labels) - 1):  # "en.hespress.com" is listed as "hespress.com"
            code = hosts.get(".".join(labels[k:]))
            if code:
                return code
        tld = labels[-1]
        code = tld_countries.get(tld, tld)
        if len(labels) > 1 and tld not in generic and code in codes:
            return code
    if source:
        return names.get(fold(source).strip())
    return None


def _host(url: str | None) -> str | None:
    if not url or "//" not in url:
        return None
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:  # "http://[::1" and other broken URLs: no outlet
        return None
    return host.rstrip(".") if host else None


def outlet_reading(url: str | None, source: str | None, country_ids, agency_countries) -> str | None:
    """The outlet's country when it is what placed the text's bodies: the text names no country
    (no country tag at all, named or located) and some body is that country's. The article page
    says so ("read as those of the outlet's country, Morocco")."""
    if country_ids:
        return None
    home = home_of(url, source)
    return home if home and home in agency_countries else None
