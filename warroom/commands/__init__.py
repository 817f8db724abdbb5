"""Subcommands of `python -m warroom`, one module each (add_parser + run)."""
OK, REFUSED, USAGE, UNAVAILABLE = 0, 1, 2, 3

# Module names under warroom.commands, in the order `--help` lists them.
COMMANDS = ["init", "users", "playlist", "ingest", "export", "uploads", "rollback", "conflicts", "template",
            "backup", "restore", "tokens", "alerts", "sources"]


def ask_running_app(db_path, unavailable, method: str, path: str, params: dict | None = None,
                    *, data: bytes | None = None, any_status: bool = False, lang: str = "id") -> bytes | None:
    """Run an operator command in the app that holds the database (warroom.handoff).

    Returns the answer's body, or None after printing why not: no app answered (with the
    locked database's message and hint), or it answered other than 200 (unless `any_status`)."""
    import sys

    from warroom import handoff
    try:
        status, body = handoff.send_local(db_path, method, path, params, data)
    except handoff.HandoffFailed as failed:
        print(f"{unavailable.message(lang)}\n{failed}\n{unavailable.hint(lang)}", file=sys.stderr)
        return None
    if status != 200 and not any_status:
        print(f"the app answered {status}: {body[:200]!r}", file=sys.stderr)
        return None
    return body
