"""A private Dovecot IMAP server with its own config, users and maildirs under a temp dir."""

from __future__ import annotations

import grp
import itertools
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

from imapclient import IMAPClient

from tests.servers._proc import free_port, require_binary, stop_pid, wait_for

POOL_SIZE = 200  # users written before start, so handing one out needs no reload

CONFIG = """\
protocols = imap
listen = 127.0.0.1
base_dir = {base}/run
state_dir = {base}/state
log_path = {base}/dovecot.log
info_log_path = {base}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
first_valid_uid = 1
mail_location = maildir:~/Maildir
{owner_settings}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {base}/users
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={base}/home/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service pop3-login {{
  inet_listener pop3 {{
    port = 0
  }}
  inet_listener pop3s {{
    port = 0
  }}
}}
protocol imap {{
  mail_max_userip_connections = 200
}}
"""


@dataclass(frozen=True)
class ImapAccount:
    """One mail user on the test Dovecot: where to connect and how to log in."""

    host: str
    port: int
    user: str
    password: str

    @contextmanager
    def client(self) -> Iterator[IMAPClient]:
        """Yield a logged-in ``IMAPClient`` for this account."""
        client = IMAPClient(self.host, port=self.port, ssl=False, timeout=30)
        try:
            client.login(self.user, self.password)
            yield client
        finally:
            with suppress(Exception):  # the server may already have hung up
                client.logout()

    def append(self, raw: bytes, folder: str = "INBOX") -> int:
        """APPEND ``raw`` to ``folder`` (created if missing); return the new message's UID."""
        with self.client() as client:
            if not client.folder_exists(folder):
                client.create_folder(folder)
            result = client.append(folder, raw)
        # APPENDUID (RFC 4315): b"[APPENDUID <uidvalidity> <uid>] Append completed."
        text = result.decode() if isinstance(result, bytes) else str(result)
        return int(text.split("]")[0].split()[-1])

    def uidvalidity(self, folder: str = "INBOX") -> int:
        """Return the folder's current UIDVALIDITY."""
        with self.client() as client:
            status = client.folder_status(folder, ["UIDVALIDITY"])
        return int(status[b"UIDVALIDITY"])

    def recreate_folder(self, folder: str) -> None:
        """Delete and create ``folder`` again, which gives it a new UIDVALIDITY."""
        with self.client() as client:
            if client.folder_exists(folder):
                client.delete_folder(folder)
            client.create_folder(folder)


@dataclass
class DovecotServer:
    """A running private Dovecot; ``account`` is its first user, ``add_user`` makes more."""

    base: Path
    port: int
    account: ImapAccount
    host: str = "127.0.0.1"
    _names: itertools.count[int] = field(default_factory=lambda: itertools.count(1), repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _pool: list[tuple[str, str]] = field(default_factory=list, repr=False)

    @property
    def user(self) -> str:
        """The first user's name."""
        return self.account.user

    @property
    def password(self) -> str:
        """The first user's password."""
        return self.account.password

    def append(self, raw: bytes, folder: str = "INBOX") -> int:
        """APPEND ``raw`` to the first user's ``folder``; return its UID."""
        return self.account.append(raw, folder)

    def add_user(self) -> ImapAccount:
        """Hand out a user with an empty mailbox (from the pool written at start, or a new one)."""
        with self._lock:
            if self._pool:
                name, password = self._pool.pop(0)
                return ImapAccount(self.host, self.port, name, password)
            name, password = f"extra{next(self._names)}", secrets.token_hex(8)
            users = self.base / "users"
            with users.open("a") as out:
                out.write(f"{name}:{{PLAIN}}{password}\n")
            # Dovecot re-reads the passwd-file when its mtime changes; make sure it does.
            mtime = users.stat().st_mtime + 2
            os.utime(users, (mtime, mtime))
        account = ImapAccount(self.host, self.port, name, password)
        wait_for(lambda: _can_login(account), 15, f"Dovecot user {name}")
        return account

    def log(self) -> str:
        """Return Dovecot's log so far."""
        path = self.base / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        """Stop Dovecot's master process and remove its directory."""
        pidfile = self.base / "run" / "master.pid"
        if pidfile.exists():
            stop_pid(int(pidfile.read_text().strip()))
        shutil.rmtree(self.base, ignore_errors=True)


def _can_login(account: ImapAccount) -> bool:
    """Return True when ``account`` can log in."""
    try:
        with account.client():
            return True
    except Exception:
        return False


def _greets(port: int) -> bool:
    """Return True when an IMAP greeting arrives on ``port``."""
    with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
        return sock.recv(64).startswith(b"* OK")


def _owner_settings() -> tuple[str, int, int]:
    """Return (config lines, uid, gid): ``mail`` when root, the current user otherwise."""
    if os.geteuid() == 0:
        return "", pwd.getpwnam("mail").pw_uid, grp.getgrnam("mail").gr_gid
    me = pwd.getpwuid(os.geteuid()).pw_name
    group = grp.getgrgid(os.getegid()).gr_name
    lines = (
        f"default_internal_user = {me}\ndefault_login_user = {me}\n"
        f"default_internal_group = {group}\n"
    )
    return lines, os.geteuid(), os.getegid()


def start_dovecot() -> DovecotServer:
    """Write a config, start ``dovecot -c`` on a free port and wait for its greeting."""
    dovecot = require_binary("dovecot", "dovecot-imapd")
    base = Path(tempfile.mkdtemp(prefix="mm-dovecot-"))
    os.chmod(base, 0o755)  # mail-owned processes must reach the homes inside
    lines, uid, gid = _owner_settings()
    for sub in ("run", "state", "home"):
        (base / sub).mkdir()
    os.chown(base / "home", uid, gid)
    password = secrets.token_hex(8)
    pool = [(f"user{n}", secrets.token_hex(8)) for n in range(1, POOL_SIZE + 1)]
    entries = [f"{name}:{{PLAIN}}{secret}\n" for name, secret in [("mailbox", password), *pool]]
    (base / "users").write_text("".join(entries))
    port = free_port()
    conf = base / "dovecot.conf"
    conf.write_text(CONFIG.format(base=base, port=port, uid=uid, gid=gid, owner_settings=lines))
    # Dovecot daemonises and its children inherit our fds: a pipe here would never close.
    with (base / "start.err").open("wb") as err:
        done = subprocess.run(
            [dovecot, "-c", str(conf)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=err,
            check=False,
            timeout=30,
        )
    account = ImapAccount("127.0.0.1", port, "mailbox", password)
    server = DovecotServer(base=base, port=port, account=account, _pool=pool)
    if done.returncode != 0:
        error = (base / "start.err").read_text(errors="replace")
        server.stop()
        raise RuntimeError(f"dovecot failed to start: {error}")
    try:
        wait_for(lambda: _greets(port), 20, "Dovecot", server.log)
    except BaseException:
        server.stop()
        raise
    return server
