"""Peringatan page: what fires now and what fired, with filters; acknowledging (signed in);
a test message per webhook (admin)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from warroom import fmt
from warroom.alerts import deliver, rules
from warroom.alerts.rules import SEVERITIES
from warroom.config import now, today
from warroom.i18n import catalogue
from warroom.ui import data, widgets
from warroom.ui.panels import peringatan as panel


def rule_word(ctx, name: str) -> str:
    """A rule's name in the page language (a rule without a translation keeps its own name)."""
    return ctx.t(f"alerts.rule.{name}") if f"alerts.rule.{name}" in catalogue() else name


def render(ctx) -> None:
    try:
        config = rules.load_config()
    except rules.AlertsConfigError as exc:
        st.error(exc.text(ctx.lang), icon=":material/error:")
        config = None
    if config is not None:
        st.caption(ctx.t("alerts.page.caption", path=config.path.name))   # the file's name, not where it lives

    all_rows = panel.history()
    rule_names = sorted({r["rule"] for r in all_rows} | ({r.name for r in config.rules} if config else set()))
    left, mid, right, search_col = st.columns([3, 2, 2, 3])
    ALL = ctx.t("alerts.page.filter.all")


    chosen_rules = left.multiselect(ctx.t("alerts.page.filter.rule"), rule_names, key="al_rule", placeholder=ALL,
                                    format_func=lambda name: rule_word(ctx, name))
    chosen_sev = mid.multiselect(ctx.t("alerts.page.filter.severity"), list(SEVERITIES), key="al_sev", placeholder=ALL,
                                 format_func=lambda s: ctx.t(f"alerts.severity.{s}"))
    chosen_state = right.multiselect(ctx.t("alerts.page.filter.state"), ["firing", "resolved"], key="al_state",
                                     placeholder=ALL, format_func=lambda s: ctx.t(f"alerts.state.{s}"))
    search = search_col.text_input(ctx.t("alerts.page.filter.search"), key="al_search")

    rows = panel.filtered(all_rows, rules_=chosen_rules, severities=chosen_sev, states=chosen_state, search=search)
    order = {s: i for i, s in enumerate(SEVERITIES)}
    firing = sorted((r for r in rows if r["state"] == "firing"),
                    key=lambda r: (order.get(r["severity"], 9), r["rule"], r["object"]))

    st.subheader(f"{ctx.t('alerts.page.firing')} · {fmt.number(len(firing), ctx.lang)}")
    if firing:
        st.dataframe(pd.DataFrame(panel.table_rows(firing, ctx.lang)), hide_index=True, width="stretch")
    else:
        st.info(ctx.t("alerts.page.none"))

    st.subheader(ctx.t("alerts.page.history"))
    table = pd.DataFrame(panel.table_rows(rows, ctx.lang))
    st.dataframe(table, hide_index=True, width="stretch")
    if len(table):
        widgets.downloads(table, f"peringatan_{today()}", ctx.lang, "alerts_history")

    st.subheader(ctx.t("alerts.ack.title"))
    if ctx.anonymous:
        st.caption(ctx.t("alerts.ack.signin"))
    elif firing:
        with st.form("alert_ack"):
            names = {r["alert_id"]: f"#{r['alert_id']} · {rule_word(ctx, r['rule'])} · {r['object']} · {r['label']}"
                     for r in firing}
            choice = st.selectbox(ctx.t("alerts.ack.which"), list(names), key="al_ack_id", format_func=names.get)
            note = st.text_input(ctx.t("alerts.ack.note"), max_chars=500, key="al_ack_note")
            if st.form_submit_button(ctx.t("alerts.ack.submit")):
                if panel.acknowledge(int(choice), ctx.username, note):
                    st.success(ctx.t("alerts.ack.done", id=choice, user=ctx.username))

    if ctx.role == "admin" and config is not None:
        st.subheader(ctx.t("alerts.webhooks.title"))
        if not config.webhooks:
            st.caption(ctx.t("alerts.webhooks.none", path=config.path.name))
        for hook in config.webhooks:
            # the address is not shown: it may carry a bot token
            if st.button(ctx.t("alerts.webhooks.test", name=hook.name), key=f"al_test_{hook.name}"):
                attempts, error = deliver.send_test(data.cursor(), hook, now(), lang=ctx.lang)
                if error is None:
                    st.success(ctx.t("alerts.webhooks.sent", name=hook.name, attempts=attempts))
                else:
                    st.error(ctx.t("alerts.webhooks.failed", name=hook.name, error=error))
