"""The sign-in prompt shown by any page the viewer may not open."""
from __future__ import annotations

import json

import streamlit as st

from warroom import auth
from warroom.db import WRITE_LOCK
from warroom.ui import data


def client_address() -> str | None:
    """The browser's address as the server saw it (None in tests without a browser): the
    sign-in back-off is kept per user name and client."""
    try:
        address = st.context.ip_address
    except Exception:  # no request behind this run (AppTest)
        return None
    return address if isinstance(address, str) else None


def prompt(ctx, warn: bool = True) -> None:
    if warn:
        st.warning(ctx.t("access.denied"), icon=":material/lock:")
    with st.form("signin", border=True):
        st.subheader(ctx.t("auth.signin"))
        username = st.text_input(ctx.t("auth.username"))
        password = st.text_input(ctx.t("auth.password"), type="password")
        submitted = st.form_submit_button(ctx.t("auth.signin"), type="primary")
    if submitted:
        try:
            # Autocommit, so a refused attempt still counts towards the back-off.
            with WRITE_LOCK:
                user = auth.authenticate(data.cursor(), username.strip(), password, client=client_address())
        except auth.AuthError as exc:
            st.error(ctx.t(exc.key, **exc.kwargs))
            return
        st.session_state["auth_token"] = auth.start_session(user.username)
        # The next run hands the browser a one-time code for its session cookie (see below).
        st.session_state["auth_cookie_code"] = auth.issue_signin_code(user.username)
        st.rerun()


def password_form(ctx) -> None:
    """A signed-in user changes their own password (the current one is checked, and counts
    towards the back-off like any sign-in)."""
    with st.form("own_password", clear_on_submit=True):
        st.markdown(f"**{ctx.t('auth.change_password')}**")
        old = st.text_input(ctx.t("auth.old_password"), type="password")
        new = st.text_input(ctx.t("auth.new_password"), type="password")
        again = st.text_input(ctx.t("auth.new_password_again"), type="password")
        submitted = st.form_submit_button(ctx.t("auth.change_password"))
    if not submitted:
        return
    if new != again:
        st.error(ctx.t("auth.password_mismatch"))
        return
    try:
        with WRITE_LOCK:
            auth.change_own_password(data.cursor(), ctx.username, old, new)
    except auth.AuthError as exc:
        st.error(ctx.t(exc.key, **exc.kwargs))
        return
    st.success(ctx.t("auth.password_changed"))


# --- staying signed in across reloads (issue 15, item 15) ----------------------------------------
# A page cannot set cookies (st.context.cookies is read-only), so the browser itself posts to the
# app's own routes (warroom.api): /api/session/start with a one-time code after a sign-in sets
# the HttpOnly, SameSite=Strict cookie; /api/session/end clears it at sign-out (revoked before).


def _post_from_browser(path: str) -> None:
    st.html(f"<script>fetch({json.dumps(path)}, {{method: 'POST', credentials: 'same-origin'}});</script>",
            unsafe_allow_javascript=True)


def session_cookie() -> str | None:
    """The session cookie the browser sent when this session connected (None in AppTest)."""
    try:
        value = st.context.cookies.get(auth.COOKIE_NAME)
    except Exception:  # no request behind this run
        return None
    return value if isinstance(value, str) and value else None


def restore_from_cookie() -> None:
    """Called on every page run before the account is read: a browser that reloaded has a new
    Streamlit session but still its cookie; a session that came from a cookie ends as soon as
    the cookie is revoked (signed out elsewhere, disabled, idle)."""
    cookie = session_cookie()
    via = st.session_state.get("auth_via_cookie")
    if via and via != cookie:
        via = None
    if st.session_state.get("auth_token") and not via:
        return
    if cookie is None or st.session_state.get("auth_signed_out") == cookie:
        return
    user = auth.user_for_web_session(data.cursor(), cookie)   # a read; it takes the write lock only if free
    token = st.session_state.get("auth_token")
    if user is None:
        if token:
            auth.end_session(token)
            st.session_state.pop("auth_token", None)
        st.session_state.pop("auth_via_cookie", None)
        return
    if not token or auth.user_for_session(data.cursor(), token) is None:
        st.session_state["auth_token"] = auth.start_session(user.username)
    st.session_state["auth_via_cookie"] = cookie


def hand_over_cookie() -> None:
    """After a sign-in (or sign-out), the browser talks to the session routes once."""
    code = st.session_state.pop("auth_cookie_code", None)
    if code:
        _post_from_browser(f"/api/session/start?code={code}")
    if st.session_state.pop("auth_cookie_clear", False):
        _post_from_browser("/api/session/end")


def sign_out() -> None:
    """End this session now, revoke the browser's cookie in the database (so a reload before the
    browser clears it signs nobody in), then have the browser clear it."""
    auth.end_session(st.session_state.pop("auth_token", ""))
    cookie = session_cookie()
    if cookie:
        with WRITE_LOCK:
            auth.end_web_session(data.cursor(), cookie)
        st.session_state["auth_signed_out"] = cookie
    st.session_state.pop("auth_via_cookie", None)
    st.session_state["auth_cookie_clear"] = True
