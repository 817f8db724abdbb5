"""Issue 15, item 15: browser sessions behind an HttpOnly, SameSite=Strict cookie. The token is
kept only as its sha256, checked on every page run, ended when idle (configurable), revoked at
sign-out, when the account is disabled and when its password is reset. The cookie is set and
cleared by the app's routes (a page cannot set cookies), after a one-time code."""
from __future__ import annotations

import asyncio
import dataclasses
import hashlib
from concurrent.futures import ThreadPoolExecutor

import pytest
from starlette.requests import Request

from warroom import api, auth
from warroom import store as data  # the routes take their connection from the store module
from warroom.config import THRESHOLDS

PASSWORD = "Sesi-Rahasia-2026"


@pytest.fixture
def people(store):
    auth.add_user(store, "ani", PASSWORD, "admin")
    auth.add_user(store, "budi", PASSWORD, "staf_opd", "DINKES")
    return store


def test_session_token_is_stored_as_a_hash_and_checked(people):
    token = auth.start_web_session(people, "budi")
    assert people.execute("SELECT token_sha256, username FROM web_sessions").fetchall() == [
        (hashlib.sha256(token.encode()).hexdigest(), "budi")]
    assert auth.user_for_web_session(people, token).username == "budi"
    assert auth.user_for_web_session(people, token + "x") is None
    assert auth.user_for_web_session(people, "") is None
    auth.end_web_session(people, token)
    assert auth.user_for_web_session(people, token) is None


def test_idle_sessions_end_and_use_keeps_them_alive(people, monkeypatch):
    monkeypatch.setenv("WARROOM_NOW", "2026-11-28T08:00:00+08:00")
    token = auth.start_web_session(people, "budi")
    assert THRESHOLDS.session_idle_minutes == 480
    monkeypatch.setenv("WARROOM_NOW", "2026-11-28T15:59:00+08:00")    # 7 h 59 min unused: alive
    assert auth.user_for_web_session(people, token).username == "budi"
    monkeypatch.setenv("WARROOM_NOW", "2026-11-28T23:58:00+08:00")    # used at 15:59, so still alive
    assert auth.user_for_web_session(people, token).username == "budi"
    monkeypatch.setenv("WARROOM_NOW", "2026-11-29T08:00:00+08:00")    # over 8 h since 23:58
    assert auth.user_for_web_session(people, token) is None
    monkeypatch.setattr(auth, "THRESHOLDS", dataclasses.replace(THRESHOLDS, session_idle_minutes=60 * 24))
    assert auth.user_for_web_session(people, token).username == "budi"


def test_disable_and_password_reset_revoke_browser_sessions(people):
    first, second = auth.start_web_session(people, "budi"), auth.start_web_session(people, "budi")
    other = auth.start_web_session(people, "ani")
    auth.set_disabled(people, "budi", True, by="ani")
    auth.set_disabled(people, "budi", False, by="ani")
    assert auth.user_for_web_session(people, first) is None and auth.user_for_web_session(people, second) is None
    again = auth.start_web_session(people, "budi")
    auth.reset_password(people, "budi", "Sandi-Baru-Sekali-9", by="ani")
    assert auth.user_for_web_session(people, again) is None
    assert auth.user_for_web_session(people, other).username == "ani"


def test_one_time_codes(monkeypatch):
    code = auth.issue_signin_code("budi")
    assert auth.redeem_signin_code(code) == "budi"
    assert auth.redeem_signin_code(code) is None                        # once only
    monkeypatch.setenv("WARROOM_NOW", "2026-11-28T10:00:00+08:00")
    late = auth.issue_signin_code("budi")
    monkeypatch.setenv("WARROOM_NOW", "2026-11-28T10:02:01+08:00")    # CODE_SECONDS (120) later
    assert auth.redeem_signin_code(late) is None
    assert auth.redeem_signin_code("geraten") is None


def call(endpoint, query: str = "", cookie: str | None = None):
    headers = [(b"cookie", f"{auth.COOKIE_NAME}={cookie}".encode())] if cookie else []
    scope = {"type": "http", "method": "POST", "path": "/", "headers": headers, "query_string": query.encode(),
             "scheme": "http", "server": ("127.0.0.1", 8501)}
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, endpoint(Request(scope))).result()


def set_cookie_header(resp) -> str:
    return next(v.decode() for k, v in resp.raw_headers if k == b"set-cookie")


def test_routes_set_and_clear_the_cookie(people, monkeypatch):
    monkeypatch.setattr(data, "connection", lambda path=None: people)
    code = auth.issue_signin_code("budi")
    resp = call(api.session_start, f"code={code}")
    assert resp.status_code == 200
    header = set_cookie_header(resp)
    token = header.split(";")[0].split("=", 1)[1]
    assert header == f"{auth.COOKIE_NAME}={token}; HttpOnly; Path=/; SameSite=strict"
    assert resp.headers["cache-control"] == "no-store"
    assert auth.user_for_web_session(people, token).username == "budi"
    # The code is spent; a guessed code sets nothing and clears whatever was there.
    for query in (f"code={code}", "code=geraten", ""):
        refused = call(api.session_start, query)
        assert refused.status_code == 403
        assert set_cookie_header(refused).startswith(f'{auth.COOKIE_NAME}=""; expires=')
    ended = call(api.session_end, cookie=token)
    assert ended.status_code == 200
    assert set_cookie_header(ended).startswith(f'{auth.COOKIE_NAME}=""; expires=')
    assert auth.user_for_web_session(people, token) is None
    assert people.execute("SELECT count(*) FROM web_sessions WHERE revoked_at IS NOT NULL").fetchone()[0] == 1
