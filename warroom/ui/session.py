"""Who is looking and in which language: read on every script run, by the page set-up
(warroom/ui/page.py), the navigation (warroom/ui/shell.py) and the wall."""
from __future__ import annotations

import streamlit as st

from warroom import access
from warroom.i18n import normalise_lang
from warroom.ui import data


def current_lang() -> str:
    """?lang=en in the URL wins; then the sidebar choice; Indonesian by default."""
    from_url = st.query_params.get("lang")
    if from_url:
        st.session_state["lang"] = normalise_lang(from_url)
    return normalise_lang(st.session_state.get("lang"))


def current_user() -> tuple[str | None, str, str | None]:
    """(username, role, kode_opd) checked against the users table on every run,
    so a crafted session state cannot grant more than the account has."""
    from warroom import auth
    from warroom.ui import signin
    signin.restore_from_cookie()   # a reload keeps the sign-in (HttpOnly cookie, checked here)
    token = st.session_state.get("auth_token")
    if not token:
        return None, access.ANONYMOUS, None
    user = auth.user_for_session(data.cursor(), token)
    if user is None:
        st.session_state.pop("auth_token", None)
        return None, access.ANONYMOUS, None
    return user.username, user.role, user.kode_opd
