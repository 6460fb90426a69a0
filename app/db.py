"""Engine factory and schema upgrade. Nothing is created at import time, so tests can point anywhere."""
from __future__ import annotations

import re
import threading
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import NullPool

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def is_postgres(url: str) -> bool:
    return url.startswith(("postgresql:", "postgresql+", "postgres:"))


def sqlalchemy_url(url: str) -> str:
    """postgresql://... goes through psycopg 3 (SQLAlchemy's default would be psycopg2)."""
    return re.sub(r"^postgres(ql)?(\+\w+)?://", "postgresql+psycopg://", url) if is_postgres(url) else url


def make_engine(url: str, *, read_only: bool = False) -> Engine:
    """An engine with our SQLite pragmas. ``read_only`` is for serving: the web never writes."""
    if is_postgres(url):
        return create_engine(sqlalchemy_url(url), pool_pre_ping=True)
    if not url.startswith("sqlite"):
        raise ValueError(f"unsupported database URL {url!r}: sqlite:///PATH or postgresql://USER@HOST/DB")
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn, _record):  # noqa: ANN001
        cur = dbapi_conn.cursor()
        # WAL lets an import run while the server reads; NORMAL is durable at each checkpoint.
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute("PRAGMA cache_size=-65536")
        cur.execute("PRAGMA temp_store=MEMORY")
        if read_only:
            cur.execute("PRAGMA query_only=1")
        cur.close()

    return engine


def alembic_config(url: str):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", sqlalchemy_url(url).replace("%", "%%"))
    return cfg


_UPGRADING = threading.Lock()  # Alembic's context is module-global: one upgrade at a time per process
MIGRATION_LOCK = 0x6E657773  # PostgreSQL advisory lock: one upgrade at a time per database


def upgrade(url: str) -> None:
    """Run migrations up to head (idempotent; cheap when already there). On PostgreSQL, servers
    and importers started at once on several machines take turns (an advisory lock)."""
    from alembic import command

    with _UPGRADING:
        if not is_postgres(url):
            command.upgrade(alembic_config(url), "head")
            return
        engine = create_engine(sqlalchemy_url(url), poolclass=NullPool)
        try:
            with engine.connect() as conn:
                conn.exec_driver_sql(f"SELECT pg_advisory_lock({MIGRATION_LOCK})")
                try:
                    command.upgrade(alembic_config(url), "head")
                finally:
                    conn.exec_driver_sql(f"SELECT pg_advisory_unlock({MIGRATION_LOCK})")
        finally:
            engine.dispose()


def needs_upgrade(engine: Engine) -> bool:
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config(engine.url.render_as_string(hide_password=False)))
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_heads()
    return set(current) != set(script.get_heads())


def ensure_schema(url: str) -> Engine:
    """Migrate on first use, then hand back a read-write engine."""
    engine = make_engine(url)
    if needs_upgrade(engine):
        upgrade(url)
    return engine
