"""--db and --lang anywhere on the command line (issue 19): before the command, after it, after
the sub-action; the last one given wins; a bad value is a usage error (exit 2) that changes nothing."""
from __future__ import annotations

import io
import sys

import pytest

from warroom import auth, db
from warroom.cli import main, split_global_options

PASSWORD = "Sandi-Yang-Cukup-Panjang-1"


def _users(store_file) -> list[str]:
    con = db.connect(store_file)
    try:
        return [u.username for u in auth.list_users(con)]
    finally:
        con.close()


def _run(monkeypatch, capsys, args, stdin=""):
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    try:
        code = main(args)
    except SystemExit as exc:
        code = exc.code
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize("where", ["after_add", "before_command", "after_command", "equals_form"])
def test_users_add_accepts_db_anywhere(store_file, monkeypatch, capsys, where):
    line = {"after_add": ["users", "add", "ani", "--role", "admin", "--db", str(store_file)],
            "before_command": ["--db", str(store_file), "users", "add", "ani", "--role", "admin"],
            "after_command": ["users", "--db", str(store_file), "add", "ani", "--role", "admin"],
            "equals_form": ["users", "add", "ani", f"--db={store_file}", "--role", "admin"]}[where]
    code, out, err = _run(monkeypatch, capsys, line, PASSWORD + "\n")
    assert (code, out, err) == (0, "Pengguna ani ditambahkan (admin).\n", "")
    assert _users(store_file) == ["ani"]


def test_the_later_option_wins(store_file, tmp_path, monkeypatch, capsys):
    elsewhere = tmp_path / "lain.duckdb"
    code, out, _ = _run(monkeypatch, capsys, ["--lang", "id", "users", "--db", str(elsewhere), "add", "ani",
                                              "--role", "admin", "--db", str(store_file), "--lang", "en"],
                        PASSWORD + "\n")
    assert (code, out) == (0, "User ani added (admin).\n")
    assert _users(store_file) == ["ani"]
    assert not elsewhere.exists()


def test_a_bad_global_value_is_a_usage_error_and_adds_nobody(store_file, monkeypatch, capsys):
    code, _, err = _run(monkeypatch, capsys, ["users", "add", "ani", "--role", "admin", "--db", str(store_file),
                                              "--lang", "fr"], PASSWORD + "\n")
    assert code == 2
    assert "--lang: 'fr' is not one of id, en" in err
    code, _, err = _run(monkeypatch, capsys, ["users", "list", "--db"])
    assert code == 2
    assert "--db needs a value" in err
    assert _users(store_file) == []


def test_tokens_after_a_double_dash_are_left_alone():
    assert split_global_options(["playlist", "save", "--", "--db", "x"]) == (
        ["playlist", "save", "--", "--db", "x"], {}, None)
    assert split_global_options(["a", "--lang=en", "--db", "f", "b"]) == (["a", "b"], {"lang": "en", "db": "f"}, None)


def test_a_line_naming_a_command_builds_that_command_alone_and_help_lists_them_all(monkeypatch, capsys):
    """Each command's module imports what it needs (the ingest engine, numpy): a line naming one
    builds that parser only; no command, an unknown one or --help still lists every command."""
    from warroom.cli import build_parser
    from warroom.commands import COMMANDS

    def commands(parser) -> list[str]:
        return list(parser._subparsers._group_actions[0].choices)

    assert commands(build_parser("ingest")) == ["ingest"]
    assert commands(build_parser(None)) == list(COMMANDS)
    assert commands(build_parser("nosuch")) == list(COMMANDS)
    code, out, _ = _run(monkeypatch, capsys, ["--help"])
    assert code == 0 and all(name in out for name in COMMANDS)
    code, _, err = _run(monkeypatch, capsys, ["nosuch"])
    assert code == 2 and "invalid choice: 'nosuch'" in err and "ingest" in err
