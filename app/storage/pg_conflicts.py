"""Two importers on one PostgreSQL archive that meet the same texts in different orders (two
imports of overlapping folders, in opposite orders) deadlock on each other's uncommitted rows;
the server rolls one transaction back. That importer then writes its open batch again, after a
short random pause, with a log line, and carries on: what the other committed meanwhile is found
and reported as a duplicate (the report lines already handed out are counted again: ``relabelled``).
"""
from __future__ import annotations

import logging
import random
import time

import psycopg

from app.storage.base import ConnectionLost

log = logging.getLogger("newsarchive")
RETRIES = 8  # writes of one batch again after a deadlock or serialization failure, before giving up
# A deadlock (40P01) or serialization failure (40001): the server rolled our transaction back.
# (psycopg 3.3 puts DeadlockDetected under OperationalError, beside TransactionRollback.)
Conflict = (psycopg.errors.TransactionRollback, psycopg.errors.DeadlockDetected, psycopg.errors.SerializationFailure)


class Conflicted(ConnectionLost):
    """Another importer kept meeting this one in deadlocks: the import stops as when the
    connection is lost (committed batches kept; the same command finishes it)."""


class RetriedBatches:
    """For app/storage/pg_writer.py's PgWriter: its pending batch, ``_forget`` and ``_replay_alone``."""

    def _retrying(self, step):
        """``step()``; when the server rolls it back for a deadlock or a serialization failure
        with another importer (two imports of overlapping files insert the same texts in another
        order), the open batch is written again as it stood before the step, after a short random
        pause, and the step run again: what the other importer committed meanwhile is then found
        and reported as a duplicate. Gives up after RETRIES times (Conflicted)."""
        kept = list(self.pending)
        for attempt in range(1, RETRIES + 1):
            try:
                return step()
            except Conflict as exc:
                if attempt == RETRIES:
                    self._forget()
                    raise Conflicted(self._conflicted(exc)) from None
                log.warning("newsarchive: import #%s: %s with another import; writing the open batch of %d"
                            " articles again (attempt %d of %d)", self.run_id,
                            str(exc).strip().splitlines()[0], len(kept), attempt + 1, RETRIES)
                time.sleep(random.uniform(0.05, 0.3) * attempt)
                self.pending = list(kept)
                self._rewrite()

    def _rewrite(self) -> None:
        """The open batch written again (ROLLBACK, BEGIN, its articles), until no deadlock stops it."""
        for _ in range(RETRIES):
            try:
                self._replay_alone()
                return
            except Conflict:
                time.sleep(random.uniform(0.05, 0.3))
        self._replay_alone()

    def _conflicted(self, exc) -> str:
        return (f"another import on this database ({self.path}) met this one in {RETRIES} deadlocks in a row"
                f" ({str(exc).strip().splitlines()[0]}). Kept: {self.totals['added']:,} articles from the batches"
                f" this import committed (import #{self.run_id}); the open batch was rolled back. Run the same"
                " command again to finish: what is stored is recognised, nothing is added twice.")
