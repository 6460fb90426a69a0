"""Dates as sources write them → ``datetime`` (naive, UTC), or ``None`` when unsure.

Naive UTC because that is how the archive stores and compares dates; a zone given by
the source is applied, never dropped.
"""
from __future__ import annotations

import re
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

# Tried in order after ISO 8601 and RFC 2822; each is unambiguous (no 01/02/03 guessing).
_FORMATS = (
    "%B %d, %Y",  # May 24, 2020
    "%b %d, %Y",  # Apr 30, 2020
    "%b. %d, %Y",  # Apr. 30, 2020
    "%d %B %Y",  # 24 May 2020
    "%d %b %Y",  # 24 May 2020
    "%B %d, %Y %H:%M",
    "%d-%b-%Y %H:%M:%S.%f",  # Reuters-21578: 26-FEB-1987 15:01:01.79
    "%d-%b-%Y %H:%M:%S",
    "%d-%b-%Y",
    "%Y/%m/%d",
    "%Y%m%d",
)

_FRENCH_MONTHS = {
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6,
    "juillet": 7, "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11,
    "décembre": 12, "decembre": 12,
}
_FRENCH = re.compile(r"(?:\w+\s+)?(\d{1,2})(?:er)?\s+([a-zéûô]+)\s+(\d{4})", re.IGNORECASE)


def parse_date(text: str | None) -> datetime | None:
    """Parse one date written by a source; ``None`` when it is not a date we can trust."""
    if not text or not text.strip():
        return None
    text = " ".join(text.split())
    return _iso(text) or _rfc2822(text) or _formats(text) or _french(text)


def _utc_naive(value: datetime) -> datetime:
    if value.tzinfo is not None:
        value = value.astimezone(timezone.utc).replace(tzinfo=None)
    return value


def _iso(text: str) -> datetime | None:
    candidate = text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text
    try:
        return _utc_naive(datetime.fromisoformat(candidate))
    except ValueError:
        return None


def _rfc2822(text: str) -> datetime | None:
    if not re.search(r"\d{1,2} [A-Za-z]{3} \d{4}", text):
        return None
    try:
        return _utc_naive(parsedate_to_datetime(text))
    except (TypeError, ValueError, IndexError):
        return None


def _formats(text: str) -> datetime | None:
    for fmt in _FORMATS:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    return None


def _french(text: str) -> datetime | None:
    match = _FRENCH.fullmatch(text)
    if not match or match.group(2).lower() not in _FRENCH_MONTHS:
        return None
    try:
        return datetime(int(match.group(3)), _FRENCH_MONTHS[match.group(2).lower()], int(match.group(1)))
    except ValueError:
        return None
