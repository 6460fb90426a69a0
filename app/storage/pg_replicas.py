"""Reading from PostgreSQL streaming replicas (NEWSARCHIVE_READ_URLS): the web side's
connections go to a replica that is up and not too far behind, the primary otherwise; writes
(imports, corrections, retag) always open their own connection to the primary.

A process keeps to one replica while it answers, so that its in-memory indexes (keyed by the
archive's state as that replica has it) stay consistent from one request to the next; a replica
that is down or lagging more than NEWSARCHIVE_REPLICA_MAX_LAG seconds is skipped with a log line.
"""
from __future__ import annotations

import logging
import threading

from app.storage.pg_conn import ConnectionFailed, PgConnection, redact

log = logging.getLogger("newsarchive")

LAG_SQL = ("SELECT pg_is_in_recovery(), CASE WHEN NOT pg_is_in_recovery()"
           " OR pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0"
           " ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END")


AS_OF_SQL = "SELECT to_char(pg_last_xact_replay_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')"
SHOW_LAG = 1.0  # seconds behind from which a page says what moment it shows


def as_of_note(c: PgConnection) -> str | None:
    """"As of ..." when the server is a replica more than SHOW_LAG seconds behind its primary."""
    lag = replica_lag(c)
    if lag < SHOW_LAG:
        return None
    when = c.execute(AS_OF_SQL).fetchone()[0]
    return f"This archive is read from a replica {lag:.0f} s behind the primary: as of {when} UTC."


def replica_lag(c: PgConnection) -> float:
    """Seconds the server is behind its primary (0 for a primary or a replica that is caught up)."""
    _, lag = c.execute(LAG_SQL).fetchone()
    return float(lag or 0)


class ReadTargets:
    def __init__(self, primary: str, replicas: list[str], max_lag: float):
        self.primary, self.replicas, self.max_lag = primary, list(replicas), max_lag
        self.current: str | None = None  # the URL this process reads from now
        self._lock = threading.Lock()

    def connect(self) -> PgConnection:
        with self._lock:
            order = ([self.current] if self.current in self.replicas else []) + \
                    [u for u in self.replicas if u != self.current]
        for url in order:
            try:
                c = PgConnection(url, read_only=True)
            except ConnectionFailed as exc:
                log.warning("newsarchive: replica %s skipped: %s", redact(url), exc)
                continue
            lag = replica_lag(c)
            if lag > self.max_lag:
                log.warning("newsarchive: replica %s skipped: %.0f s behind the primary", redact(url), lag)
                c.close()
                continue
            self._chose(url)
            return c
        if self.replicas:
            log.warning("newsarchive: no replica usable: reading from the primary %s", redact(self.primary))
        c = PgConnection(self.primary, read_only=True)
        self._chose(self.primary)
        return c

    def _chose(self, url: str) -> None:
        with self._lock:
            if url != self.current:
                log.info("newsarchive: reading from %s", redact(url))
            self.current = url
