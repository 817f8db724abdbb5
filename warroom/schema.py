"""DDL generated from the dataset schemas, and forward migrations.

`ensure_schema` brings any database file, empty or from an older version, up to
SCHEMA_VERSION in place. Each migration runs once, in order, inside a transaction.
"""
from __future__ import annotations

import duckdb

from warroom import datasets, db

SCHEMA_VERSION = 4


def dataset_table_ddl(ds: datasets.Dataset, table: str | None = None, extra: str = "") -> str:
    cols = [f"{f.name} {f.sql_type}" for f in ds.fields]
    cols += [f"{name} {typ}" for name, typ in datasets.LINEAGE_COLUMNS]
    if extra:
        cols.append(extra)
    return f"CREATE TABLE IF NOT EXISTS {table or ds.name} ({', '.join(cols)})"


def _v1_datasets_and_lineage(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("CREATE SEQUENCE IF NOT EXISTS upload_id_seq START 1")
    con.execute("""
        CREATE TABLE IF NOT EXISTS uploads (
            upload_id BIGINT PRIMARY KEY,
            dataset VARCHAR NOT NULL,
            kode_opd VARCHAR NOT NULL,
            username VARCHAR NOT NULL,
            created_at TIMESTAMPTZ NOT NULL,
            file_name VARCHAR,
            sha256 VARCHAR,
            rows_total BIGINT,
            rows_inserted BIGINT,
            rows_updated BIGINT,
            rows_unchanged BIGINT,
            status VARCHAR NOT NULL,          -- accepted | refused | rolled_back
            report VARCHAR,                   -- JSON: problems, notes
            is_demo BOOLEAN NOT NULL DEFAULT FALSE,
            rolled_back_at TIMESTAMPTZ,
            rolled_back_by VARCHAR
        )""")
    for ds in datasets.all_datasets():
        con.execute(dataset_table_ddl(ds))
        # What an upload replaced, so a rollback can restore it.
        con.execute(dataset_table_ddl(ds, f"{ds.name}__replaced", "replaced_by BIGINT NOT NULL"))


def _v2_accounts_audit_operations(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("""
        CREATE TABLE IF NOT EXISTS users (
            username VARCHAR PRIMARY KEY,
            password_hash VARCHAR NOT NULL,
            role VARCHAR NOT NULL,            -- admin | pimpinan | staf_opd
            kode_opd VARCHAR,
            disabled BOOLEAN NOT NULL DEFAULT FALSE,
            failed_attempts INTEGER NOT NULL DEFAULT 0,
            locked_until TIMESTAMPTZ,
            created_at TIMESTAMPTZ NOT NULL
        )""")
    con.execute("CREATE SEQUENCE IF NOT EXISTS audit_id_seq START 1")
    con.execute("""
        CREATE TABLE IF NOT EXISTS audit_log (
            audit_id BIGINT PRIMARY KEY,
            occurred_at TIMESTAMPTZ NOT NULL,
            username VARCHAR,
            action VARCHAR NOT NULL,          -- upload, refusal, rollback, resolve, signin_failed, ...
            detail VARCHAR                    -- JSON
        )""")
    con.execute("CREATE SEQUENCE IF NOT EXISTS resolution_id_seq START 1")
    con.execute("""
        CREATE TABLE IF NOT EXISTS conflict_resolutions (
            resolution_id BIGINT PRIMARY KEY,
            dataset VARCHAR NOT NULL,
            conflict_key VARCHAR NOT NULL,
            resolved_by VARCHAR NOT NULL,
            resolved_at TIMESTAMPTZ NOT NULL,
            reason VARCHAR NOT NULL
        )""")
    con.execute("""
        CREATE TABLE IF NOT EXISTS api_tokens (
            token_sha256 VARCHAR PRIMARY KEY,
            kode_opd VARCHAR NOT NULL,
            label VARCHAR,
            created_at TIMESTAMPTZ NOT NULL,
            revoked BOOLEAN NOT NULL DEFAULT FALSE
        )""")
    con.execute("""
        CREATE TABLE IF NOT EXISTS wall_playlists (
            name VARCHAR PRIMARY KEY,
            query_string VARCHAR NOT NULL,    -- the /layar URL parameters it stands for
            created_by VARCHAR,
            created_at TIMESTAMPTZ NOT NULL
        )""")
    con.execute("""
        CREATE TABLE IF NOT EXISTS cctv_checks (
            kode_cctv VARCHAR NOT NULL,
            checked_at TIMESTAMPTZ NOT NULL,
            ok BOOLEAN NOT NULL,
            latency_ms DOUBLE,
            error VARCHAR
        )""")


def _v3_boundaries(con: duckdb.DuckDBPyConnection) -> None:
    # Boundaries live in the database so the map draws what the store holds.
    con.execute("""
        CREATE TABLE IF NOT EXISTS batas_wilayah (
            kode_wilayah VARCHAR PRIMARY KEY,
            tingkat VARCHAR NOT NULL,
            geojson VARCHAR NOT NULL,         -- GeoJSON geometry, WGS84 [lon, lat]
            sumber VARCHAR
        )""")


def _v4_security(con: duckdb.DuckDBPyConnection) -> None:
    # Issue 15. A token may carry the walidata's right to send on behalf of others only when
    # created with it (tokens add --walidata).
    con.execute("ALTER TABLE api_tokens ADD COLUMN IF NOT EXISTS walidata BOOLEAN DEFAULT FALSE")
    # Sign-in back-off per (user name as typed, client): failures and when the next try is allowed.
    con.execute("""
        CREATE TABLE IF NOT EXISTS signin_backoff (
            username VARCHAR NOT NULL,
            client VARCHAR NOT NULL,
            failures INTEGER NOT NULL,
            last_failure_at TIMESTAMPTZ NOT NULL,
            next_try_at TIMESTAMPTZ,
            PRIMARY KEY (username, client)
        )""")
    # Browser sessions behind the HttpOnly cookie (only the token's sha256 is kept).
    con.execute("""
        CREATE TABLE IF NOT EXISTS web_sessions (
            token_sha256 VARCHAR PRIMARY KEY,
            username VARCHAR NOT NULL,
            created_at TIMESTAMPTZ NOT NULL,
            last_seen_at TIMESTAMPTZ NOT NULL,
            revoked_at TIMESTAMPTZ
        )""")


MIGRATIONS = {1: _v1_datasets_and_lineage, 2: _v2_accounts_audit_operations, 3: _v3_boundaries,
              4: _v4_security}
assert sorted(MIGRATIONS) == list(range(1, SCHEMA_VERSION + 1))


class SchemaTooNew(RuntimeError):
    """The file was written by a newer War Room; upgrading this program is the way forward."""

    def __init__(self, found: int):
        self.found = found
        super().__init__(f"database schema v{found} is newer than this program (v{SCHEMA_VERSION})")


def current_version(con: duckdb.DuckDBPyConnection) -> int:
    has_meta = db.scalar(con, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'meta'")
    if not has_meta:
        return 0
    row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row else 0


def _add_new_optional_columns(con: duckdb.DuckDBPyConnection) -> None:
    """Additive schema changes (new optional columns in a JSON schema) need no migration.
    (One look at the catalogue for every table: this runs each time a process opens the store.)"""
    tables = [(ds, table) for ds in datasets.all_datasets() for table in (ds.name, f"{ds.name}__replaced")]
    have: dict[str, set[str]] = {}
    for table, column in con.execute(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_name IN "
            f"({', '.join('?' * len(tables))})", [table for _, table in tables]).fetchall():
        have.setdefault(table, set()).add(column)
    for ds, table in tables:
        for f in ds.fields:
            if f.name not in have.get(table, set()):
                con.execute(f"ALTER TABLE {table} ADD COLUMN {f.name} {f.sql_type}")


def ensure_schema(con: duckdb.DuckDBPyConnection, target: int = SCHEMA_VERSION) -> int:
    """Create or upgrade the schema in place; returns the version found before."""
    con.execute("CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
    found = current_version(con)
    if found > SCHEMA_VERSION:
        raise SchemaTooNew(found)
    for version in range(found + 1, target + 1):
        con.execute("BEGIN TRANSACTION")
        try:
            MIGRATIONS[version](con)
            con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(version)])
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
    if target == SCHEMA_VERSION:
        _add_new_optional_columns(con)
    con.execute("INSERT OR IGNORE INTO meta VALUES ('data_version', '0')")
    return found
