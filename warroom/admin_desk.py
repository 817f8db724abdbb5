"""The walidata's actions (accounts, rollback), each re-checking, from the users table, that
the acting account is an active admin: the page's own check is not the only gate."""
from __future__ import annotations

import duckdb

from warroom import auth, rollback
from warroom.db import write_transaction
from warroom.katalog import NotAllowed


def require_admin(con: duckdb.DuckDBPyConnection, username: str | None) -> auth.User:
    user = auth.get_user(con, username) if username else None
    if user is None or user.disabled or user.role != "admin":
        raise NotAllowed("admin.not_allowed")
    return user


def add_user(con, by: str | None, username: str, password: str, again: str, role: str, kode_opd: str | None):
    require_admin(con, by)
    if password != again:
        raise auth.AuthError("auth.password_mismatch")
    with write_transaction(con):
        return auth.add_user(con, username.strip(), password, role, kode_opd or None, by=by)


def set_disabled(con, by: str | None, username: str, disabled: bool):
    require_admin(con, by)
    with write_transaction(con):
        return auth.set_disabled(con, username, disabled, by=by)


def set_role(con, by: str | None, username: str, role: str, kode_opd: str | None):
    require_admin(con, by)
    with write_transaction(con):
        return auth.set_role(con, username, role, kode_opd or None, by=by)


def reset_password(con, by: str | None, username: str, password: str, again: str) -> None:
    require_admin(con, by)
    if password != again:
        raise auth.AuthError("auth.password_mismatch")
    with write_transaction(con):
        auth.reset_password(con, username, password, by=by)


def rollback_upload(con, by: str | None, upload_id: int) -> rollback.RollbackSummary:
    admin = require_admin(con, by)
    return rollback.rollback_upload(con, upload_id, admin.username)
