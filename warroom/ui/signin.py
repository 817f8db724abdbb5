"""The sign-in prompt shown by any page the viewer may not open."""
from __future__ import annotations

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
