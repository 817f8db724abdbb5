"""`python -m warroom tokens`: add (printed once), list, revoke (issue 15, item 13: list crashed)."""
from __future__ import annotations

from warroom import cli, handoff


def test_tokens_add_list_revoke(store_file, capsys):
    assert cli.main(["tokens", "add", "--opd", "DINKES", "--label", "SIMRS"]) == 0
    token = capsys.readouterr().out.strip()
    assert token.startswith("wr_")
    assert cli.main(["tokens", "add", "--opd", "DISHUB"]) == 0
    capsys.readouterr()
    digest = handoff.token_hash(token)

    assert cli.main(["tokens", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    assert lines[0].split() == [digest[:12], "DINKES", "active", "2026-11-28", "opd", "SIMRS"]
    assert lines[1].split()[1:4] == ["DISHUB", "active", "2026-11-28"]
    assert token not in "\n".join(lines)          # only the hash is ever shown

    assert cli.main(["tokens", "revoke", "--hash", digest[:12]]) == 0
    assert capsys.readouterr().out == "revoked 1 token(s)\n"
    assert cli.main(["tokens", "list"]) == 0
    assert capsys.readouterr().out.splitlines()[0].split()[:3] == [digest[:12], "DINKES", "revoked"]


def test_tokens_list_of_an_empty_store_prints_nothing(store_file, capsys):
    assert cli.main(["tokens", "list"]) == 0
    assert capsys.readouterr().out == ""
