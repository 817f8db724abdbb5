"""Local accounts: argon2 password hashes, sign-in back-off, server-side sessions.

A signed-in browser holds only a random session token; the role and OPD are read
from the users table on every page run, so editing the session state grants nothing.
"""
from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path

import duckdb
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from warroom import db, lineage
from warroom.access import ROLES
from warroom.config import THRESHOLDS, now

_hasher = PasswordHasher()
_sessions: dict[str, str] = {}          # token -> username, in the app's one process
_sessions_lock = threading.Lock()
MIN_PASSWORD_LENGTH = 10


@dataclass(frozen=True)
class User:
    username: str
    role: str
    kode_opd: str | None
    disabled: bool


class AuthError(Exception):
    """Refusal with a catalogue key (auth.*) for the message."""

    def __init__(self, key: str, **kwargs):
        self.key, self.kwargs = key, kwargs
        super().__init__(key)


def _burn_time(password: str) -> None:
    """Spend the time of one hash check, so an unknown name answers as slowly as a wrong password."""
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = _hasher.hash(secrets.token_urlsafe(16))
    try:
        _hasher.verify(_dummy_hash, password)
    except (VerificationError, InvalidHashError):
        pass


_dummy_hash: str | None = None


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_new_password(password: str, username: str | None = None) -> None:
    """Length, then nothing trivially guessed: one repeated character or a short repeated unit,
    a run of the keyboard or the alphabet, the user name, a common password (data file)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AuthError("auth.password_too_short", n=MIN_PASSWORD_LENGTH)
    weak = _weakness(password, username)
    if weak:
        raise AuthError(f"auth.password_{weak}")


_KEYBOARD_ROWS = ("1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm", "abcdefghijklmnopqrstuvwxyz")


def _weakness(password: str, username: str | None) -> str | None:
    lowered = password.casefold()
    compact = lowered.strip()
    if len(set(compact)) < 4:
        return "repeated"                      # 1111111111, ten spaces, ababababab
    for size in range(1, len(compact) // 2 + 1):
        unit = compact[:size]
        if (unit * (len(compact) // size + 1))[:len(compact)] == compact:
            return "repeated"                  # abcabcabca
    for row in _KEYBOARD_ROWS:
        for line in (row, row[::-1]):
            if compact in line * 3:
                return "sequence"              # 1234567890, 0987654321, qwertyuiop, abcdefghij
    base = compact.rstrip("0123456789!@#$%^&*()-_=+.,?~ ")
    name = (username or "").casefold().strip()
    if len(name) >= 3 and base in (name, name[::-1]):
        return "username"                      # budi2026!!, idub12345678
    if compact in common_passwords() or base in common_passwords():
        return "common"                        # password123, Password2026!
    return None


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """A few hundred passwords seen first in every guessing list (warroom/common_passwords.txt)."""
    path = Path(__file__).with_name("common_passwords.txt")
    words = (line.strip().casefold() for line in path.read_text(encoding="utf-8").splitlines())
    return frozenset(w for w in words if w and not w.startswith("#"))


def get_user(con: duckdb.DuckDBPyConnection, username: str) -> User | None:
    row = con.execute("SELECT username, role, kode_opd, disabled FROM users WHERE username = ?",
                      [username]).fetchone()
    return User(*row) if row else None


def add_user(con: duckdb.DuckDBPyConnection, username: str, password: str, role: str,
             kode_opd: str | None = None, by: str | None = None) -> User:
    if role not in ROLES:
        raise AuthError("auth.bad_role", role=role)
    if role == "staf_opd":
        if not kode_opd:
            raise AuthError("auth.staff_needs_opd")
        if not db.scalar(con, "SELECT count(*) FROM opd WHERE kode_opd = ?", [kode_opd]):
            raise AuthError("auth.unknown_opd", kode_opd=kode_opd)
    if get_user(con, username):
        raise AuthError("auth.user_exists", username=username)
    check_new_password(password, username)
    con.execute("INSERT INTO users (username, password_hash, role, kode_opd, created_at) VALUES (?, ?, ?, ?, ?)",
                [username, hash_password(password), role, kode_opd if role == "staf_opd" else None, now()])
    lineage.audit(con, "user_added", by, username=username, role=role, kode_opd=kode_opd)
    return _require(con, username)


MAX_NAME_KEY = 200   # a typed user name longer than this is cut for the back-off key


def _backoff_key(username: str, client: str | None) -> tuple[str, str]:
    return username.strip().casefold()[:MAX_NAME_KEY], (client or "-")[:100]


def _backoff_wait(con: duckdb.DuckDBPyConnection, key: tuple[str, str], moment) -> int:
    """Seconds this (name, client) must still wait before a try is checked; 0 when it may try."""
    row = con.execute("SELECT next_try_at FROM signin_backoff WHERE username = ? AND client = ?",
                      list(key)).fetchone()
    if row is None or row[0] is None or row[0] <= moment:
        return 0
    return max(1, int((row[0] - moment).total_seconds() + 0.999))


def _record_failure(con: duckdb.DuckDBPyConnection, key: tuple[str, str], moment) -> int:
    """Count a failure; returns the seconds the next try must wait (0 while tries are free)."""
    row = con.execute("SELECT failures FROM signin_backoff WHERE username = ? AND client = ?",
                      list(key)).fetchone()
    failures = (row[0] if row else 0) + 1
    extra = failures - THRESHOLDS.lockout_attempts
    wait = 0.0 if extra < 0 else min(THRESHOLDS.signin_backoff_max_s, THRESHOLDS.signin_backoff_s * 2 ** min(extra, 30))
    next_try = moment + timedelta(seconds=wait) if wait else None
    con.execute("INSERT OR REPLACE INTO signin_backoff VALUES (?, ?, ?, ?, ?)", [*key, failures, moment, next_try])
    # Names typed once and never again are forgotten after a day.
    con.execute("DELETE FROM signin_backoff WHERE last_failure_at < ?", [moment - timedelta(days=1)])
    return int(wait)


def authenticate(con: duckdb.DuckDBPyConnection, username: str, password: str, client: str | None = None) -> User:
    """Check a password. Failures are counted per user name as typed AND client (the address the
    sign-in came from): after THRESHOLDS.lockout_attempts, each further try from that client for
    that name waits, doubling up to signin_backoff_max_s; other clients are not affected, so
    nobody can lock the admin out. Unknown names, wrong passwords and waits answer alike (same
    message, one hash check each), so the answer never tells whether an account exists."""
    moment = now()
    key = _backoff_key(username, client)
    where = {"client": client} if client else {}   # in the audit log, when known
    wait = _backoff_wait(con, key, moment)
    if wait:
        _burn_time(password)
        lineage.audit(con, "signin_failed", username, reason="backoff", **where)
        raise AuthError("auth.throttled", seconds=wait)
    row = con.execute("SELECT password_hash, disabled FROM users WHERE username = ?", [username]).fetchone()
    if row is None:
        _burn_time(password)
        wait = _record_failure(con, key, moment)
        lineage.audit(con, "signin_failed", username, reason="unknown_user", **where)
        raise AuthError("auth.throttled", seconds=wait) if wait else AuthError("auth.bad_credentials")
    password_hash, disabled = row
    try:
        _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        wait = _record_failure(con, key, moment)
        lineage.audit(con, "signin_failed", username, reason="bad_password", **where)
        raise AuthError("auth.throttled", seconds=wait) if wait else AuthError("auth.bad_credentials")
    if disabled:
        lineage.audit(con, "signin_failed", username, reason="disabled", **where)
        raise AuthError("auth.disabled")
    con.execute("DELETE FROM signin_backoff WHERE username = ? AND client = ?", list(key))
    if _hasher.check_needs_rehash(password_hash):
        con.execute("UPDATE users SET password_hash = ? WHERE username = ?", [hash_password(password), username])
    lineage.audit(con, "signin", username)
    return _require(con, username)


def set_password(con: duckdb.DuckDBPyConnection, username: str, password: str, by: str | None = None) -> None:
    check_new_password(password, username)
    con.execute("UPDATE users SET password_hash = ?, failed_attempts = 0, locked_until = NULL WHERE username = ?",
                [hash_password(password), username])
    lineage.audit(con, "password_changed", by, username=username)


def start_session(username: str) -> str:
    token = secrets.token_urlsafe(32)
    with _sessions_lock:
        _sessions[token] = username
    return token


def end_session(token: str) -> None:
    with _sessions_lock:
        _sessions.pop(token, None)


def user_for_session(con: duckdb.DuckDBPyConnection, token: str) -> User | None:
    """The account behind a session token, or None when unknown or disabled."""
    with _sessions_lock:
        username = _sessions.get(token)
    if username is None:
        return None
    user = get_user(con, username)
    return None if user is None or user.disabled else user


def list_users(con: duckdb.DuckDBPyConnection) -> list[User]:
    return [User(*row) for row in con.execute(
        "SELECT username, role, kode_opd, disabled FROM users ORDER BY username").fetchall()]


def _require(con: duckdb.DuckDBPyConnection, username: str) -> User:
    user = get_user(con, username)
    if user is None:
        raise AuthError("auth.no_such_user", username=username)
    return user


def _active_admins(con: duckdb.DuckDBPyConnection) -> int:
    return db.scalar(con, "SELECT count(*) FROM users WHERE role = 'admin' AND NOT disabled")


def set_disabled(con: duckdb.DuckDBPyConnection, username: str, disabled: bool, by: str | None = None) -> User:
    """Disable or enable an account; a disabled account's open sessions stop working at once."""
    user = _require(con, username)
    if disabled and user.role == "admin" and not user.disabled and _active_admins(con) <= 1:
        raise AuthError("auth.last_admin")
    con.execute("UPDATE users SET disabled = ? WHERE username = ?", [disabled, username])
    if disabled:
        end_sessions_of(username, con)
    lineage.audit(con, "user_disabled" if disabled else "user_enabled", by, username=username)
    return _require(con, username)


def set_role(con: duckdb.DuckDBPyConnection, username: str, role: str, kode_opd: str | None = None,
             by: str | None = None) -> User:
    user = _require(con, username)
    if role not in ROLES:
        raise AuthError("auth.bad_role", role=role)
    if role == "staf_opd":
        if not kode_opd:
            raise AuthError("auth.staff_needs_opd")
        if not db.scalar(con, "SELECT count(*) FROM opd WHERE kode_opd = ?", [kode_opd]):
            raise AuthError("auth.unknown_opd", kode_opd=kode_opd)
    if user.role == "admin" and role != "admin" and not user.disabled and _active_admins(con) <= 1:
        raise AuthError("auth.last_admin")
    kode_opd = kode_opd if role == "staf_opd" else None
    con.execute("UPDATE users SET role = ?, kode_opd = ? WHERE username = ?", [role, kode_opd, username])
    lineage.audit(con, "user_role_changed", by, username=username, role=role, kode_opd=kode_opd,
                  previous_role=user.role, previous_opd=user.kode_opd)
    return _require(con, username)


def reset_password(con: duckdb.DuckDBPyConnection, username: str, password: str, by: str | None = None) -> None:
    """Set a new password for someone (admin or CLI); their open sessions end."""
    _require(con, username)
    set_password(con, username, password, by=by)
    end_sessions_of(username, con)


def change_own_password(con: duckdb.DuckDBPyConnection, username: str, old: str, new: str) -> None:
    """A signed-in user changes their password; the old one must be right (counts towards lockout)."""
    authenticate(con, username, old)
    set_password(con, username, new, by=username)


def end_sessions_of(username: str, con: duckdb.DuckDBPyConnection | None = None) -> None:
    """End a user's open sessions: this process's, and (given the database) their browsers' cookies."""
    with _sessions_lock:
        for token in [tok for tok, name in _sessions.items() if name == username]:
            del _sessions[token]
    if con is not None:
        con.execute("UPDATE web_sessions SET revoked_at = ? WHERE username = ? AND revoked_at IS NULL",
                    [now(), username])


# --- browser sessions across reloads (issue 15, item 15) -------------------------------------------
# A page cannot set a cookie, so after a sign-in the page hands a one-time code to the browser,
# which posts it to /api/session/start (warroom.api); that route sets an HttpOnly, SameSite=Strict
# cookie holding a random token. Only the token's sha256 is stored (web_sessions); every page run
# checks it there, it expires after THRESHOLDS.session_idle_minutes unused, and sign-out revokes it.

COOKIE_NAME = "warroom_sesi"
CODE_SECONDS = 120
_codes: dict[str, tuple[str, datetime]] = {}     # one-time code -> (username, issued at)


def _token_hash(token: str) -> str:
    import hashlib
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_signin_code(username: str) -> str:
    """A one-time code (valid CODE_SECONDS) the browser exchanges for the session cookie."""
    code = secrets.token_urlsafe(32)
    moment = now()
    with _sessions_lock:
        for old in [c for c, (_, at) in _codes.items() if (moment - at).total_seconds() > CODE_SECONDS]:
            del _codes[old]
        _codes[code] = (username, moment)
    return code


def redeem_signin_code(code: str) -> str | None:
    with _sessions_lock:
        entry = _codes.pop(code, None)
    if entry is None or (now() - entry[1]).total_seconds() > CODE_SECONDS:
        return None
    return entry[0]


def start_web_session(con: duckdb.DuckDBPyConnection, username: str) -> str:
    token = secrets.token_urlsafe(32)
    moment = now()
    con.execute("INSERT INTO web_sessions VALUES (?, ?, ?, ?, NULL)", [_token_hash(token), username, moment, moment])
    return token


TOUCH_SECONDS = 60   # last_seen_at is written at most this often per session


def user_for_web_session(con: duckdb.DuckDBPyConnection, token: str) -> User | None:
    """The account behind a session cookie: None when unknown, revoked, idle too long, or the
    account is disabled. Keeps the session alive (last_seen_at)."""
    if not token or len(token) > 200:
        return None
    row = con.execute("SELECT username, last_seen_at FROM web_sessions WHERE token_sha256 = ? AND revoked_at IS NULL",
                      [_token_hash(token)]).fetchone()
    if row is None:
        return None
    username, last_seen = row
    moment = now()
    if moment - last_seen > timedelta(minutes=THRESHOLDS.session_idle_minutes):
        return None
    user = get_user(con, username)
    if user is None or user.disabled:
        return None
    if (moment - last_seen).total_seconds() >= TOUCH_SECONDS:
        # Never wait behind a long upload for this: the next page run touches it instead.
        from warroom.db import WRITE_LOCK
        if WRITE_LOCK.acquire(blocking=False):
            try:
                con.execute("UPDATE web_sessions SET last_seen_at = ? WHERE token_sha256 = ?",
                            [moment, _token_hash(token)])
            finally:
                WRITE_LOCK.release()
    return user


def end_web_session(con: duckdb.DuckDBPyConnection, token: str) -> None:
    if token and len(token) <= 200:
        con.execute("UPDATE web_sessions SET revoked_at = ? WHERE token_sha256 = ? AND revoked_at IS NULL",
                    [now(), _token_hash(token)])
