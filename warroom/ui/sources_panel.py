"""The pulled sources on Katalog (status, history, "Jalankan sekarang") and Admin (add, remove).

Source names, errors and report text are data: shown in tables and plain text, never as
markdown. Not cached: a run changes a source's state without changing the data version.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from warroom import datasets
from warroom.katalog import NotAllowed
from warroom.pull import desk, run, sources
from warroom.ui import data

MARKDOWN = str.maketrans({c: "\\" + c for c in "\\`*_[]()<>#|~$!{}"})


def _message(ctx, exc) -> str:
    """A refusal's message; the values in it were typed by someone, so markdown in them is
    escaped (st.error renders markdown)."""
    return ctx.t(exc.key, **{k: str(v).translate(MARKDOWN) for k, v in getattr(exc, "kwargs", {}).items()})


OK_COLOUR, FAIL_COLOUR, NONE_COLOUR = "#009E73", "#D55E00", "#999999"   # Okabe-Ito, with a symbol and a word


def katalog(ctx) -> None:
    t = ctx.t
    st.subheader(t("sumber.katalog.title"))
    st.caption(t("sumber.katalog.intro"))
    done = st.session_state.pop("sumber_ran", None)
    if done:
        (st.success if done[1] else st.error)(done[0])
    rows = desk.status_rows(data.cursor(), ctx.lang)
    if not rows:
        st.caption(t("sumber.katalog.none"))
        return
    colours = [NONE_COLOUR if r["result"] is None else FAIL_COLOUR if r["failing"] else OK_COLOUR for r in rows]
    table = pd.DataFrame([{k: v for k, v in r.items() if k not in ("name", "result", "failing")} for r in rows])
    styled = table.style.apply(lambda col: [f"background-color: {c}; color: #000; font-weight: 700" for c in colours],
                               subset=[t("sumber.col.result")])
    st.dataframe(styled, hide_index=True, width="stretch", key="sumber_status")
    names = [r["name"] for r in rows]
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    chosen = left.selectbox(t("sumber.pick"), names, key="sumber_pick")
    if ctx.role == "admin" and right.button(t("sumber.run_now"), icon=":material/sync:", key="sumber_run_now"):
        with st.spinner(t("sumber.run_now")):
            try:
                outcome = desk.run_now(data.cursor(), ctx.username, chosen, ctx.lang)
            except (NotAllowed, sources.SourceError) as exc:
                st.session_state["sumber_ran"] = (_message(ctx, exc), False)
            else:
                st.session_state["sumber_ran"] = (_ran_text(outcome, ctx), outcome.ok)
        st.rerun()
    history = desk.history_rows(data.cursor(), chosen, ctx.lang)
    st.caption(t("sumber.history", name=chosen))
    st.dataframe(pd.DataFrame(history), hide_index=True, width="stretch", key="sumber_history")


def _ran_text(outcome: run.RunOutcome, ctx) -> str:
    text = desk.result_text(outcome.outcome, ctx.lang)
    if outcome.error:
        text += f": {run.error_text(outcome.error, ctx.lang)}"
    if outcome.upload_id is not None:
        text += f" (#{outcome.upload_id})"
    return ctx.t("sumber.ran", name=outcome.source, result=text)


def admin(ctx, opds: list[str]) -> None:
    t = ctx.t
    st.caption(t("sumber.admin.intro"))
    listed = desk.registry_rows(data.cursor(), ctx.lang)
    if listed:
        st.dataframe(pd.DataFrame(listed), hide_index=True, width="stretch", key="sumber_admin_list")
    else:
        st.caption(t("sumber.katalog.none"))
    with st.form("sumber_add", clear_on_submit=False):
        st.markdown(f"**{t('sumber.admin.add')}**")
        left, right = st.columns(2)
        name = left.text_input(t("sumber.col.name"), key="sumber_add_name", max_chars=64)
        dataset = right.selectbox(t("sumber.col.dataset"), datasets.ALL, key="sumber_add_dataset")
        opd = left.selectbox(t("sumber.col.opd"), [o for o in opds if o], key="sumber_add_opd")
        url = right.text_input(t("sumber.col.url"), key="sumber_add_url", max_chars=2000)
        every = left.number_input(t("sumber.admin.every"), min_value=1, max_value=sources.MAX_EVERY_MINUTES,
                                  value=sources.DEFAULT_EVERY_MINUTES, key="sumber_add_every")
        daily = right.text_input(t("sumber.admin.daily"), key="sumber_add_daily", max_chars=5)
        fmt_choice = left.selectbox(t("sumber.col.format"), ["", *sources.FORMATS], key="sumber_add_format",
                                    format_func=lambda f: f or t("sumber.format.auto"))
        json_path = right.text_input(t("sumber.admin.json_path"), key="sumber_add_json_path", max_chars=200)
        mapping_text = left.text_area(t("sumber.admin.mapping"), key="sumber_add_mapping", max_chars=20000)
        constants_text = right.text_area(t("sumber.admin.constants"), key="sumber_add_constants", max_chars=5000)
        header = st.text_input(t("sumber.admin.header"), type="password", key="sumber_add_header", max_chars=4000)
        if st.form_submit_button(t("sumber.admin.add_button"), type="primary"):
            try:
                desk.add_source(data.cursor(), ctx.username, name=name, dataset=dataset, kode_opd=opd, url=url,
                                every=int(every), daily=daily, fmt_choice=fmt_choice, json_path=json_path,
                                mapping_text=mapping_text, constants_text=constants_text, auth_header=header)
            except (NotAllowed, sources.SourceError) as exc:
                st.error(_message(ctx, exc))
            else:
                st.session_state["admin_done"] = t("sumber.cli.added", name=name.strip())
                st.rerun()
    names = [s.name for s in sources.list_sources(data.cursor())]
    if names:
        with st.form("sumber_remove"):
            st.markdown(f"**{t('sumber.admin.remove')}**")
            who = st.selectbox(t("sumber.pick"), names, key="sumber_remove_name")
            sure = st.checkbox(t("sumber.admin.remove_confirm"), key="sumber_remove_sure")
            if st.form_submit_button(t("sumber.admin.remove_button")) and sure:
                try:
                    desk.remove_source(data.cursor(), ctx.username, who)
                except (NotAllowed, sources.SourceError) as exc:
                    st.error(_message(ctx, exc))
                else:
                    st.session_state["admin_done"] = t("sumber.cli.removed", name=who)
                    st.rerun()
