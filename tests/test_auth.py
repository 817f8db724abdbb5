"""Accounts: argon2 hashes, sign-in back-off, weak passwords refused, disable/enable, roles, the users CLI,
no clear-text password anywhere."""
from __future__ import annotations

import io
import json
import logging
import subprocess
import sys

import pytest
from conftest import ROOT

from warroom import auth, db
from warroom.cli import main
from warroom.config import THRESHOLDS

PASSWORD = "Kata-Sandi-Unik-7391"


def _actions(con, username=None):
    rows = con.execute("SELECT action, username, detail FROM audit_log ORDER BY audit_id").fetchall()
    return [(a, u, json.loads(d)) for a, u, d in rows if username is None or u == username]


def test_password_stored_as_argon2_hash_only(store):
    auth.add_user(store, "budi", PASSWORD, "staf_opd", "DINKES")
    stored = store.execute("SELECT password_hash FROM users WHERE username = 'budi'").fetchone()[0]
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored
    assert auth.authenticate(store, "budi", PASSWORD).kode_opd == "DINKES"


def test_wrong_password_and_unknown_user_give_the_same_answer(store):
    auth.add_user(store, "budi", PASSWORD, "staf_opd", "DINKES")
    with pytest.raises(auth.AuthError) as wrong:
        auth.authenticate(store, "budi", "salah-salah-salah")
    with pytest.raises(auth.AuthError) as unknown:
        auth.authenticate(store, "tidak_ada", PASSWORD)
    assert wrong.value.key == unknown.value.key == "auth.bad_credentials"
    failures = [(u, d["reason"]) for a, u, d in _actions(store) if a == "signin_failed"]
    assert failures == [("budi", "bad_password"), ("tidak_ada", "unknown_user")]


def _fail(con, username, client, n=1, password="salah-salah-salah") -> list[tuple]:
    out = []
    for _ in range(n):
        with pytest.raises(auth.AuthError) as exc:
            auth.authenticate(con, username, password, client=client)
        out.append((exc.value.key, exc.value.kwargs))
    return out


def test_back_off_per_name_and_client_then_open_again(store, monkeypatch):
    """Issue 15, item 10: no hard lock. After THRESHOLDS.lockout_attempts failures a client waits
    (30 s, doubling, at most 300 s) before its next try for that name is checked; another client
    signs the same account in at once."""
    monkeypatch.setenv("WARROOM_NOW", "2026-11-28T10:00:00+08:00")
    auth.add_user(store, "ani", PASSWORD, "admin")
    free = THRESHOLDS.lockout_attempts
    assert _fail(store, "ani", "203.0.113.9", free) == [("auth.bad_credentials", {})] * (free - 1) + [
        ("auth.throttled", {"seconds": 30})]
    # Waiting: even the right password from that client is not checked yet...
    assert _fail(store, "ani", "203.0.113.9", 1, PASSWORD) == [("auth.throttled", {"seconds": 30})]
    # ...but the admin at another address signs in: five guesses from anyone lock nobody out.
    assert auth.authenticate(store, "ani", PASSWORD, client="10.1.2.3").username == "ani"
    monkeypatch.setenv("WARROOM_NOW", "2026-11-28T10:00:29+08:00")
    assert _fail(store, "ani", "203.0.113.9", 1, PASSWORD) == [("auth.throttled", {"seconds": 1})]
    monkeypatch.setenv("WARROOM_NOW", "2026-11-28T10:00:30+08:00")
    assert _fail(store, "ani", "203.0.113.9") == [("auth.throttled", {"seconds": 60})]     # doubles
    monkeypatch.setenv("WARROOM_NOW", "2026-11-28T10:01:30+08:00")
    assert _fail(store, "ani", "203.0.113.9") == [("auth.throttled", {"seconds": 120})]
    for minute in ("10:03:30", "10:07:30", "10:12:30"):
        monkeypatch.setenv("WARROOM_NOW", f"2026-11-28T{minute}+08:00")
        waits = _fail(store, "ani", "203.0.113.9")
    assert waits == [("auth.throttled", {"seconds": 300})]                                    # the cap
    monkeypatch.setenv("WARROOM_NOW", "2026-11-28T10:17:30+08:00")
    assert auth.authenticate(store, "ani", PASSWORD, client="203.0.113.9").username == "ani"
    assert store.execute("SELECT count(*) FROM signin_backoff").fetchone()[0] == 0
    reasons = [d["reason"] for a, u, d in _actions(store) if a == "signin_failed"]
    assert reasons.count("backoff") == 2 and reasons.count("bad_password") == free + 5


def test_unknown_and_waiting_names_answer_alike(store, monkeypatch):
    """An unknown name goes through the same back-off with the same answers as a real one, and
    every answer costs one hash check (the timing tells nothing either)."""
    auth.add_user(store, "ani", PASSWORD, "admin")
    checks = []

    class Counting:
        def __init__(self, hasher):
            self.hasher = hasher

        def verify(self, stored, pw):
            checks.append(stored)
            return self.hasher.verify(stored, pw)

        def __getattr__(self, name):
            return getattr(self.hasher, name)
    monkeypatch.setattr(auth, "_hasher", Counting(auth._hasher))
    n = THRESHOLDS.lockout_attempts + 2
    known = _fail(store, "ani", "198.51.100.1", n)
    unknown = _fail(store, "tidak_ada", "198.51.100.1", n)
    assert known == unknown == [("auth.bad_credentials", {})] * (THRESHOLDS.lockout_attempts - 1) + [
        ("auth.throttled", {"seconds": 30})] * 3
    assert len(checks) == 2 * n   # one argon2 check per answer, waiting or not, known or not


def test_success_resets_the_failure_count(store):
    auth.add_user(store, "budi", PASSWORD, "staf_opd", "DINKES")
    for _ in range(THRESHOLDS.lockout_attempts - 1):
        with pytest.raises(auth.AuthError):
            auth.authenticate(store, "budi", "salah-salah-salah")
    auth.authenticate(store, "budi", PASSWORD)
    with pytest.raises(auth.AuthError) as exc:
        auth.authenticate(store, "budi", "salah-salah-salah")
    assert exc.value.key == "auth.bad_credentials"


def test_disabled_account_is_refused_and_its_sessions_end(store):
    auth.add_user(store, "ani", PASSWORD, "admin")
    auth.add_user(store, "budi", PASSWORD, "staf_opd", "DINKES")
    token = auth.start_session("budi")
    assert auth.user_for_session(store, token).username == "budi"
    auth.set_disabled(store, "budi", True, by="ani")
    assert auth.user_for_session(store, token) is None
    with pytest.raises(auth.AuthError) as exc:
        auth.authenticate(store, "budi", PASSWORD)
    assert exc.value.key == "auth.disabled"
    auth.set_disabled(store, "budi", False, by="ani")
    assert auth.authenticate(store, "budi", PASSWORD).disabled is False


def test_the_last_active_admin_cannot_be_disabled_or_demoted(store):
    auth.add_user(store, "ani", PASSWORD, "admin")
    for change in (lambda: auth.set_disabled(store, "ani", True), lambda: auth.set_role(store, "ani", "pimpinan")):
        with pytest.raises(auth.AuthError) as exc:
            change()
        assert exc.value.key == "auth.last_admin"
    auth.add_user(store, "citra", PASSWORD, "admin")
    assert auth.set_role(store, "ani", "pimpinan").role == "pimpinan"


def test_role_change_binds_staff_to_a_known_opd(store):
    auth.add_user(store, "ani", PASSWORD, "admin")
    auth.add_user(store, "dedi", PASSWORD, "pimpinan")
    with pytest.raises(auth.AuthError) as exc:
        auth.set_role(store, "dedi", "staf_opd", "TIDAK_ADA")
    assert exc.value.key == "auth.unknown_opd"
    assert auth.set_role(store, "dedi", "staf_opd", "DISHUB", by="ani") == auth.User("dedi", "staf_opd", "DISHUB", False)
    assert auth.set_role(store, "dedi", "pimpinan", "DISHUB").kode_opd is None


def test_reset_and_change_password(store):
    auth.add_user(store, "budi", PASSWORD, "staf_opd", "DINKES")
    token = auth.start_session("budi")
    auth.reset_password(store, "budi", "Baru-Sekali-2026", by="ani")
    assert auth.user_for_session(store, token) is None
    with pytest.raises(auth.AuthError):
        auth.authenticate(store, "budi", PASSWORD)
    with pytest.raises(auth.AuthError) as exc:
        auth.change_own_password(store, "budi", "salah-salah-salah", "Lain-Lagi-2026")
    assert exc.value.key == "auth.bad_credentials"
    auth.change_own_password(store, "budi", "Baru-Sekali-2026", "Lain-Lagi-2026")
    assert auth.authenticate(store, "budi", "Lain-Lagi-2026").username == "budi"
    with pytest.raises(auth.AuthError) as exc:
        auth.reset_password(store, "budi", "pendek")
    assert exc.value.key == "auth.password_too_short"


# --- the users command ----------------------------------------------------------------------------


def _cli(monkeypatch, capsys, args, stdin=""):
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(args)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_adds_lists_disables_and_resets(store_file, monkeypatch, capsys):
    db_arg = ["users", "--db", str(store_file)]
    assert _cli(monkeypatch, capsys, db_arg + ["list"])[1].startswith("Belum ada pengguna")
    assert _cli(monkeypatch, capsys, db_arg + ["add", "ani", "--role", "admin"], PASSWORD + "\n")[0] == 0
    code, out, _ = _cli(monkeypatch, capsys, db_arg + ["add", "budi", "--role", "staf_opd", "--opd", "DINKES"],
                        "Budi-Punya-Sandi\r\n")
    assert (code, out) == (0, "Pengguna budi ditambahkan (staf_opd).\n")
    assert _cli(monkeypatch, capsys, db_arg + ["disable", "budi"])[0] == 0
    assert _cli(monkeypatch, capsys, db_arg + ["list"])[1] == "ani\tadmin\t-\tactive\nbudi\tstaf_opd\tDINKES\tdisabled\n"
    assert _cli(monkeypatch, capsys, db_arg + ["reset-password", "budi"], "Sandi-Baru-Budi\n")[0] == 0
    assert _cli(monkeypatch, capsys, db_arg + ["enable", "budi"])[0] == 0
    con = db.connect(store_file)
    try:
        assert auth.authenticate(con, "budi", "Sandi-Baru-Budi").role == "staf_opd"
        assert auth.authenticate(con, "ani", PASSWORD).role == "admin"
    finally:
        con.close()


@pytest.mark.parametrize("args, stdin, message", [
    (["add", "x", "--role", "staf_opd"], "Cukup-Panjang-1\n", "Agency staff must be bound to one agency code (--opd).\n"),
    (["add", "x", "--role", "staf_opd", "--opd", "NOPE"], "Cukup-Panjang-1\n", "Unknown agency code: NOPE\n"),
    (["add", "x", "--role", "admin"], "", "The password is read from stdin, but stdin was empty.\n"),
    (["add", "x", "--role", "admin"], "pendek\n", "The password needs at least 10 characters.\n"),
    (["disable", "nobody"], "", "There is no user nobody.\n"),
])
def test_cli_refusals_exit_1_with_a_message_and_add_nobody(store_file, monkeypatch, capsys, args, stdin, message):
    code, _, err = _cli(monkeypatch, capsys, ["users", "--db", str(store_file), "--lang", "en", *args], stdin)
    assert (code, err) == (1, message)
    con = db.connect(store_file)
    try:
        assert auth.list_users(con) == []
    finally:
        con.close()


def test_cli_reads_a_piped_password_in_a_real_process(store_file):
    done = subprocess.run([sys.executable, "-m", "warroom", "users", "--db", str(store_file), "add", "ani",
                           "--role", "admin"], input=PASSWORD + "\n", text=True, capture_output=True, cwd=ROOT,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert PASSWORD not in done.stdout + done.stderr
    con = db.connect(store_file)
    try:
        assert auth.authenticate(con, "ani", PASSWORD).role == "admin"
    finally:
        con.close()


def test_password_never_in_database_file_audit_or_logs(store_file, monkeypatch, capsys, caplog):
    caplog.set_level(logging.DEBUG)
    _cli(monkeypatch, capsys, ["users", "--db", str(store_file), "add", "ani", "--role", "admin"], PASSWORD + "\n")
    con = db.connect(store_file)
    try:
        for attempt in ("Salah-" + PASSWORD, PASSWORD):
            try:
                auth.authenticate(con, "ani", attempt)
            except auth.AuthError:
                pass
        auth.reset_password(con, "ani", PASSWORD + "-baru", by="cli")
        audit = con.execute("SELECT string_agg(detail, ' ') FROM audit_log").fetchone()[0]
        assert "signin_failed" in {r[0] for r in con.execute("SELECT action FROM audit_log").fetchall()}
        con.execute("CHECKPOINT")
    finally:
        con.close()
    raw = b"".join(p.read_bytes() for p in store_file.parent.iterdir() if p.name.startswith(store_file.name))
    captured = capsys.readouterr()
    for secret in (PASSWORD, PASSWORD + "-baru"):
        for encoding in ("utf-8", "utf-16-le"):
            assert secret.encode(encoding) not in raw
        assert secret not in audit
        assert secret not in caplog.text + captured.out + captured.err
    assert b"$argon2id$" in raw  # the check reads the real bytes


def test_sign_in_prompt_counts_failures_backs_off_and_then_signs_in(store_file, monkeypatch):
    from streamlit.testing.v1 import AppTest
    con = db.connect(store_file)
    try:
        auth.add_user(con, "budi", PASSWORD, "staf_opd", "DINKES")
    finally:
        con.close()
    at = AppTest.from_file("../pages/unggah.py", default_timeout=60)
    at.run()

    def attempt(password):
        username, secret = [w for w in at.text_input if w.label in ("Nama pengguna", "Kata sandi")]
        username.input("budi")
        secret.input(password)
        next(b for b in at.button if b.label == "Masuk").click()
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        return [e.value for e in at.error]

    for _ in range(THRESHOLDS.lockout_attempts - 1):
        assert attempt("salah-salah-salah") == ["Nama pengguna atau kata sandi salah."]
    assert attempt("salah-salah-salah") == ["Terlalu banyak percobaan gagal. Coba lagi dalam 30 detik."]
    assert attempt(PASSWORD) == ["Terlalu banyak percobaan gagal. Coba lagi dalam 30 detik."]  # not yet
    monkeypatch.setenv("WARROOM_NOW", "2026-11-28T10:00:30+08:00")
    assert attempt(PASSWORD) == []
    assert at.title[0].value == "Unggah" and not [w for w in at.text_input if w.label == "Kata sandi"]


@pytest.mark.parametrize("password, key", [
    ("1111111111", "auth.password_repeated"),
    (" " * 10, "auth.password_repeated"),
    ("abababababab", "auth.password_repeated"),
    ("password123", "auth.password_common"),
    ("Password2026!", "auth.password_common"),
    ("makassar2026", "auth.password_common"),
    ("qwertyuiop", "auth.password_sequence"),
    ("1234567890", "auth.password_sequence"),
    ("abcdefghijkl", "auth.password_sequence"),
    ("0987654321", "auth.password_sequence"),
    ("citra_kominfo", "auth.password_username"),
    ("Citra_Kominfo2026!", "auth.password_username"),
])
def test_weak_passwords_are_refused_everywhere(store, password, key):
    """Issue 15, item 11: beyond length, nothing trivially guessed (built-in list, no dependency)."""
    with pytest.raises(auth.AuthError) as exc:
        auth.add_user(store, "citra_kominfo", password, "admin")
    assert exc.value.key == key
    assert auth.list_users(store) == []
    auth.add_user(store, "citra_kominfo", PASSWORD, "admin")
    with pytest.raises(auth.AuthError) as exc:
        auth.reset_password(store, "citra_kominfo", password)
    assert exc.value.key == key
    assert auth.authenticate(store, "citra_kominfo", PASSWORD).username == "citra_kominfo"


def test_weak_password_messages_in_both_languages():
    from warroom.i18n import t
    assert t("auth.password_common", "id") == "Kata sandi ini termasuk yang paling umum dan mudah ditebak."
    assert t("auth.password_repeated", "en") == "This password only repeats a few characters; choose a more varied one."
    assert len(auth.common_passwords()) > 300


def test_cli_refuses_a_weak_password(store_file, monkeypatch, capsys):
    code, _, err = _cli(monkeypatch, capsys, ["users", "--db", str(store_file), "--lang", "en", "add", "x",
                                              "--role", "admin"], "1111111111\n")
    assert (code, err) == (1, "This password only repeats a few characters; choose a more varied one.\n")
