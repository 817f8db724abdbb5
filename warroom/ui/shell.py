"""The navigation: sections and pages, depending on the signed-in role."""
from __future__ import annotations

import streamlit as st
from streamlit.errors import StreamlitAPIException

from warroom import access
from warroom.i18n import LANGS, t
from warroom.ui import session

# (section, page key, material icon). The file is pages/<key>.py and the URL /<key>.
LAYOUT = [
    ("nav.section.warroom", "ringkasan", ":material/dashboard:"),
    ("nav.section.warroom", "peta", ":material/map:"),
    ("nav.section.warroom", "covid", ":material/coronavirus:"),
    ("nav.section.warroom", "kinerja", ":material/trending_up:"),
    ("nav.section.warroom", "cctv", ":material/videocam:"),
    ("nav.section.warroom", "peringatan", ":material/notifications_active:"),
    ("nav.section.warroom", "layar", ":material/tv:"),
    ("nav.section.data", "unggah", ":material/upload_file:"),
    ("nav.section.data", "katalog", ":material/dataset:"),
    ("nav.section.admin", "admin", ":material/admin_panel_settings:"),
    ("nav.section.account", "masuk", ":material/login:"),
]


def page_specs(role: str) -> list[tuple[str, str, str, bool]]:
    """(section label key, page key, icon, visible in the menu) for this role. Every page is
    registered, so a direct URL reaches the page's own access check; the ones this role
    may not open are hidden from the menu."""
    return [(section, key, icon, access.may_open(key, role)) for section, key, icon in LAYOUT]


def navigation(lang: str, role: str) -> dict[str, list[st.Page]]:
    sections: dict[str, list[st.Page]] = {}
    for section, key, icon, visible in page_specs(role):
        sections.setdefault(t(section, lang), []).append(st.Page(
            f"pages/{key}.py", title=t(f"nav.{key}", lang), icon=icon, url_path=key,
            default=(key == "ringkasan"), visibility="visible" if visible else "hidden"))
    return sections


def sidebar(lang: str, username: str | None, role: str) -> None:
    """Our own menu (Streamlit's automatic one is off in config.toml: before any session has
    run app.py, a direct URL runs pages/x.py alone and would list raw file names)."""
    with st.sidebar:
        st.markdown(f"**{t('app.title', lang)}**")
        section_shown = None
        for section, key, icon, visible in page_specs(role):
            if not visible:
                continue
            if section != section_shown:
                st.caption(t(section, lang).upper())
                section_shown = section
            try:
                st.page_link(f"pages/{key}.py", label=t(f"nav.{key}", lang), icon=icon)
            except StreamlitAPIException:
                break  # a page run as its own entry point (AppTest) has no siblings to link to
        st.divider()
        # The selector follows the language in force (a ?lang= in the URL may have changed it).
        st.session_state["lang_select"] = lang
        st.selectbox(t("app.language", lang), LANGS, key="lang_select", on_change=_language_chosen,
                     format_func=lambda code: {"id": "Bahasa Indonesia", "en": "English"}[code])
        if username:
            st.caption(t("app.signed_in_as", lang, user=username, role=t(f"role.{role}", lang)))
            if st.button(t("auth.signout", lang), key="signout"):
                from warroom.ui import signin
                signin.sign_out()
                st.rerun()
        else:
            st.caption(t("app.anonymous", lang))


def _language_chosen() -> None:
    choice = st.session_state["lang_select"]
    st.session_state["lang"] = choice
    if "lang" in st.query_params:
        st.query_params["lang"] = choice


def run() -> None:
    """app.py: register every page (menu hidden; page.setup draws ours) and run the current one."""
    lang = session.current_lang()
    try:
        _, role, _ = session.current_user()
    except Exception:  # database unavailable: the page itself explains it
        role = access.ANONYMOUS
    st.navigation(navigation(lang, role), position="hidden").run()
