"""Subcommands of `python -m warroom`, one module each (add_parser + run)."""
OK, REFUSED, USAGE, UNAVAILABLE = 0, 1, 2, 3

# Module names under warroom.commands, in the order `--help` lists them.
COMMANDS = ["init", "users", "playlist", "ingest", "export", "uploads", "rollback", "conflicts", "template",
            "backup", "restore", "tokens"]
