"""What every page does first: language, database check, access check, demo marker.

Every page calls `setup("key")` at its top. A live server runs `pages/x.py` for `/x`
even when the navigation does not list it for this user, so the check lives here, in
the page itself, not only in the navigation.
"""
from __future__ import annotations

import logging
import os
from dataclasses import dataclass

import streamlit as st

from warroom import access, db
from warroom.i18n import t
from warroom.ui import data, shell
from warroom.ui.session import current_lang, current_user

log = logging.getLogger("warroom")

# What the app's error handler (server.py, `on_script_error`) shows instead of Streamlit's
# exception box; the browser tests look for it, and for "page error" in the server log.
PAGE_ERROR_TEXT = ("Terjadi gangguan saat menampilkan bagian ini; mencoba lagi otomatis. "
                   "(A part of this page could not be shown; retrying.)")
# Test-only: a page whose key this names (comma-separated) raises after its access check, so the browser
# suite can prove that its checks catch a crashing page (tests/browser/test_error_checks.py).
TEST_PAGE_ERROR_ENV = "WARROOM_TEST_PAGE_ERROR"


@dataclass(frozen=True)
class PageContext:
    key: str
    lang: str
    username: str | None
    role: str            # admin | pimpinan | staf_opd | anonim
    kode_opd: str | None

    @property
    def anonymous(self) -> bool:
        return self.role == access.ANONYMOUS

    def t(self, key: str, **kwargs) -> str:
        return t(key, self.lang, **kwargs)


def database_error(exc: db.DatabaseUnavailable, lang: str) -> None:
    log.error("database unavailable: %s (%s)", exc.path, exc.detail or exc.reason)
    st.error(f"{exc.message(lang)}\n\n{exc.hint(lang)}", icon=":material/database:")
    st.stop()


def setup(key: str, *, demo_marker: bool = True) -> PageContext:
    from warroom.ui import theme
    theme.inject()
    lang = current_lang()
    try:
        data.connection()
        username, role, kode_opd = current_user()
    except db.DatabaseUnavailable as exc:
        database_error(exc, lang)
    ctx = PageContext(key, lang, username, role, kode_opd)
    from warroom.ui import signin
    signin.hand_over_cookie()
    shell.sidebar(lang, username, role)
    if not access.may_open(key, role):
        from warroom.ui import signin
        signin.prompt(ctx)
        st.stop()
    if key in os.environ.get(TEST_PAGE_ERROR_ENV, "").split(","):
        raise RuntimeError(f"{TEST_PAGE_ERROR_ENV}: page {key} raises on purpose")
    if demo_marker and data.is_demo():
        show_demo_marker(lang)
    return ctx


def show_demo_marker(lang: str) -> None:
    st.markdown(
        f"<div class='wr-demo' role='note' title='{t('app.demo_note', lang)}'>"
        f"⚠ {t('app.demo_marker', lang)}</div>", unsafe_allow_html=True)
