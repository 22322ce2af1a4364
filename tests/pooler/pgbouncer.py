"""A real PgBouncer on loopback for the pooler tests: transaction pooling, a small server pool
(so more clients than server connections share it), on a free port with its own ini in a
temporary folder. Nothing to do with a system pgbouncer service on 6432: this one is ours."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import psycopg

from tests.loopback import free_port, start_listening, stop

# Server connections start in another zone than Django's UTC, so a test sees whether the time
# zone Django sets on connect follows the client onto every server connection it is lent.
SERVER_TIME_ZONE = "America/Chicago"


def pgbouncer_binary() -> str | None:
    """Debian puts it in /usr/sbin, which a non-root PATH may lack."""
    found = shutil.which("pgbouncer")
    if found:
        return found
    return "/usr/sbin/pgbouncer" if os.access("/usr/sbin/pgbouncer", os.X_OK) else None


class PgBouncer:
    def __init__(self, binary: str, *, upstream: dict[str, Any], pool_size: int = 3) -> None:
        self.binary = binary
        self.pool_size = pool_size
        self.port = free_port()
        self.user = upstream["USER"] or "postgres"
        # A folder of our own that the pgbouncer user can read: run as root, it drops to that
        # user (pgbouncer refuses to run as root), and pytest's own temporary folders are 0700.
        self.root = Path(tempfile.mkdtemp(prefix="acus-pgbouncer-"))
        self.root.chmod(0o755)
        (self.root / "userlist.txt").write_text(f'"{self.user}" ""\n')
        run_as = "user = postgres\n" if os.geteuid() == 0 else ""
        server = f"host={upstream['HOST'] or '127.0.0.1'} port={upstream['PORT'] or 5432} timezone={SERVER_TIME_ZONE}"
        if upstream.get("PASSWORD"):
            server += f" password={upstream['PASSWORD']}"
        (self.root / "pgbouncer.ini").write_text(
            "[databases]\n"
            f"* = {server}\n"
            "[pgbouncer]\n"
            f"listen_addr = 127.0.0.1\nlisten_port = {self.port}\nunix_socket_dir =\n"
            f"auth_type = trust\nauth_file = {self.root / 'userlist.txt'}\n"
            f"admin_users = {self.user}\n"
            "pool_mode = transaction\n"
            f"default_pool_size = {pool_size}\nmin_pool_size = 0\nreserve_pool_size = 0\n"
            "max_client_conn = 200\n"
            "server_check_delay = 0\n"
            "log_connections = 0\nlog_disconnections = 0\n" + run_as
        )
        self.log = self.root / "pgbouncer.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = start_listening(
            [self.binary, str(self.root / "pgbouncer.ini")], self.log, self.port, "pgbouncer"
        )

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process)
            self.process = None
        shutil.rmtree(self.root, ignore_errors=True)

    def show(self, what: str) -> list[dict[str, Any]]:
        """A SHOW command on PgBouncer's admin console (simple query protocol only, hence ClientCursor)."""
        with psycopg.connect(
            host="127.0.0.1",
            port=self.port,
            user=self.user,
            dbname="pgbouncer",
            autocommit=True,
            cursor_factory=psycopg.ClientCursor,
        ) as admin:
            cursor = admin.execute(f"SHOW {what}")
            names = [column.name for column in cursor.description or []]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def server_connections(self, database: str) -> int:
        return sum(1 for row in self.show("SERVERS") if row["database"] == database)
