"""Local accounts: argon2 password hashes, timed lockout, server-side sessions.

A signed-in browser holds only a random session token; the role and OPD are read
from the users table on every page run, so editing the session state grants nothing.
"""
from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass
from datetime import timedelta

import duckdb
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from warroom import lineage
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


def check_new_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AuthError("auth.password_too_short", n=MIN_PASSWORD_LENGTH)


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
        if not con.execute("SELECT count(*) FROM opd WHERE kode_opd = ?", [kode_opd]).fetchone()[0]:
            raise AuthError("auth.unknown_opd", kode_opd=kode_opd)
    if get_user(con, username):
        raise AuthError("auth.user_exists", username=username)
    check_new_password(password)
    con.execute("INSERT INTO users (username, password_hash, role, kode_opd, created_at) VALUES (?, ?, ?, ?, ?)",
                [username, hash_password(password), role, kode_opd if role == "staf_opd" else None, now()])
    lineage.audit(con, "user_added", by, username=username, role=role, kode_opd=kode_opd)
    return get_user(con, username)


def authenticate(con: duckdb.DuckDBPyConnection, username: str, password: str) -> User:
    """Check a password; after THRESHOLDS.lockout_attempts failures the account is locked for a while."""
    row = con.execute("SELECT password_hash, disabled, failed_attempts, locked_until FROM users WHERE username = ?",
                      [username]).fetchone()
    moment = now()
    if row is None:
        _burn_time(password)
        lineage.audit(con, "signin_failed", username, reason="unknown_user")
        raise AuthError("auth.bad_credentials")
    password_hash, disabled, failed, locked_until = row
    if locked_until is not None and locked_until > moment:
        lineage.audit(con, "signin_failed", username, reason="locked")
        raise AuthError("auth.locked", minutes=max(1, int((locked_until - moment).total_seconds() // 60) + 1))
    try:
        _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        failed += 1
        lock = moment + timedelta(minutes=THRESHOLDS.lockout_minutes) if failed >= THRESHOLDS.lockout_attempts else None
        con.execute("UPDATE users SET failed_attempts = ?, locked_until = ? WHERE username = ?",
                    [0 if lock else failed, lock, username])
        lineage.audit(con, "signin_failed", username, reason="bad_password", locked=lock is not None)
        raise AuthError("auth.locked" if lock else "auth.bad_credentials", minutes=THRESHOLDS.lockout_minutes)
    if disabled:
        lineage.audit(con, "signin_failed", username, reason="disabled")
        raise AuthError("auth.disabled")
    con.execute("UPDATE users SET failed_attempts = 0, locked_until = NULL WHERE username = ?", [username])
    if _hasher.check_needs_rehash(password_hash):
        con.execute("UPDATE users SET password_hash = ? WHERE username = ?", [hash_password(password), username])
    lineage.audit(con, "signin", username)
    return get_user(con, username)


def set_password(con: duckdb.DuckDBPyConnection, username: str, password: str, by: str | None = None) -> None:
    check_new_password(password)
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
    return con.execute("SELECT count(*) FROM users WHERE role = 'admin' AND NOT disabled").fetchone()[0]


def set_disabled(con: duckdb.DuckDBPyConnection, username: str, disabled: bool, by: str | None = None) -> User:
    """Disable or enable an account; a disabled account's open sessions stop working at once."""
    user = _require(con, username)
    if disabled and user.role == "admin" and not user.disabled and _active_admins(con) <= 1:
        raise AuthError("auth.last_admin")
    con.execute("UPDATE users SET disabled = ? WHERE username = ?", [disabled, username])
    if disabled:
        end_sessions_of(username)
    lineage.audit(con, "user_disabled" if disabled else "user_enabled", by, username=username)
    return get_user(con, username)


def set_role(con: duckdb.DuckDBPyConnection, username: str, role: str, kode_opd: str | None = None,
             by: str | None = None) -> User:
    user = _require(con, username)
    if role not in ROLES:
        raise AuthError("auth.bad_role", role=role)
    if role == "staf_opd":
        if not kode_opd:
            raise AuthError("auth.staff_needs_opd")
        if not con.execute("SELECT count(*) FROM opd WHERE kode_opd = ?", [kode_opd]).fetchone()[0]:
            raise AuthError("auth.unknown_opd", kode_opd=kode_opd)
    if user.role == "admin" and role != "admin" and not user.disabled and _active_admins(con) <= 1:
        raise AuthError("auth.last_admin")
    kode_opd = kode_opd if role == "staf_opd" else None
    con.execute("UPDATE users SET role = ?, kode_opd = ? WHERE username = ?", [role, kode_opd, username])
    lineage.audit(con, "user_role_changed", by, username=username, role=role, kode_opd=kode_opd,
                  previous_role=user.role, previous_opd=user.kode_opd)
    return get_user(con, username)


def reset_password(con: duckdb.DuckDBPyConnection, username: str, password: str, by: str | None = None) -> None:
    """Set a new password for someone (admin or CLI); their open sessions end."""
    _require(con, username)
    set_password(con, username, password, by=by)
    end_sessions_of(username)


def change_own_password(con: duckdb.DuckDBPyConnection, username: str, old: str, new: str) -> None:
    """A signed-in user changes their password; the old one must be right (counts towards lockout)."""
    authenticate(con, username, old)
    set_password(con, username, new, by=username)


def end_sessions_of(username: str) -> None:
    with _sessions_lock:
        for token in [tok for tok, name in _sessions.items() if name == username]:
            del _sessions[token]
