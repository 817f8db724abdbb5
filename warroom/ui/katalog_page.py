"""Katalog page: every dataset and its freshness, pull sources, schemas and templates, open
conflicts (resolved by the walidata), the audit log, and every export in both forms."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from warroom import conflicts, datasets, exports, katalog, upload_service
from warroom.config import today
from warroom.ui import data, signin, sources_panel, url, widgets


@st.cache_data(show_spinner=False, max_entries=20)
def overview(lang: str, version: int, on) -> list[dict]:
    return katalog.dataset_overview(data.cursor(), lang, on)


@st.cache_data(show_spinner=False, max_entries=5)
def open_conflicts(version: int) -> list[dict]:
    return conflicts.open_conflicts(data.cursor())


def render(ctx) -> None:
    dataset_table(ctx)
    sources_panel.katalog(ctx)   # sources the app pulls by itself; "Jalankan sekarang" (admin)
    schema(ctx)
    conflict_section(ctx)
    audit(ctx)
    export_section(ctx)
    with st.expander(ctx.t("auth.change_password")):
        signin.password_form(ctx)


def dataset_table(ctx) -> None:
    """Every dataset: producer, frequency, size, last upload, freshness."""
    t = ctx.t
    # 1. Every dataset: producer, frequency, size, last upload, freshness (colour + symbol + word).
    st.subheader(t("katalog.datasets"))
    rows = overview(ctx.lang, data.data_version(), today())
    table = pd.DataFrame([{
        t("katalog.col.dataset"): r["title"], t("katalog.col.freshness"): katalog.status_text(r["status"], ctx.lang),
        t("katalog.col.newest"): r["newest"] or t("fmt.na"), t("katalog.col.frequency"): r["frequency"],
        t("katalog.col.producer"): r["producer"], t("katalog.col.cosenders"): r["cosenders"],
        t("katalog.col.rows"): r["rows"], t("katalog.col.last_upload"): r["last_upload"] or t("fmt.na"),
        t("katalog.col.by"): r["by"] or "", t("katalog.col.name"): r["dataset"]} for r in rows])
    colours = [katalog.status_colour(r["status"]) for r in rows]
    styled = table.style.apply(
        lambda col: [f"background-color: {c}; color: #000; font-weight: 700" for c in colours],
        subset=[t("katalog.col.freshness")])
    st.dataframe(styled, hide_index=True, width="stretch")
    widgets.downloads(table, "katalog_dataset", ctx.lang, key="katalog_datasets")


def schema(ctx) -> None:
    """The schema of one dataset, with its template."""
    t = ctx.t
    # 2. The schema of one dataset, with its template.
    st.subheader(t("katalog.schema"))
    chosen = st.selectbox(t("katalog.schema_of"), datasets.ALL, key="katalog_schema",
                          format_func=lambda name: f"{datasets.get(name).title} ({name})")
    st.caption(t("katalog.key", cols=", ".join(datasets.get(chosen).key)))
    st.dataframe(pd.DataFrame(upload_service.schema_rows(chosen, ctx.lang)), hide_index=True, width="stretch")
    st.download_button(t("unggah.template", dataset=chosen), upload_service.template_csv(chosen, ctx.kode_opd),
                       f"templat_{chosen}.csv", "text/csv", icon=":material/download:", key="katalog_template")


def conflict_section(ctx) -> None:
    """Open conflicts with both values; the walidata resolves them."""
    t = ctx.t
    # 3. Open conflicts: both values; the walidata resolves them (who, when, why).
    st.subheader(t("katalog.conflicts"))
    found = open_conflicts(data.data_version())
    if not found:
        st.success(t("katalog.conflicts_none"), icon=":material/verified:")
    else:
        st.warning(t("katalog.conflicts_count", n=len(found)), icon=":material/compare_arrows:")
        shown = found[:500]
        conflict_df = pd.DataFrame(katalog.conflict_table(shown, ctx.lang))
        st.dataframe(conflict_df, hide_index=True, width="stretch")
        if len(found) > len(shown):
            st.caption(t("katalog.conflicts_more", shown=len(shown), total=len(found)))
        widgets.downloads(pd.DataFrame(katalog.conflict_table(found, ctx.lang)), "konflik_terbuka", ctx.lang,
                          key="katalog_conflicts")
        if ctx.role == "admin":
            with st.form("katalog_resolve"):
                st.markdown(f"**{t('katalog.resolve')}**")
                by_key = {c["conflict_key"]: c for c in shown}
                key = st.selectbox(t("katalog.resolve_pick"), list(by_key),
                                   format_func=lambda k: katalog.conflict_label(by_key[k]))
                reason = st.text_area(t("katalog.resolve_reason"), max_chars=500)
                if st.form_submit_button(t("katalog.resolve_button"), type="primary"):
                    try:
                        katalog.resolve_conflict(data.cursor(), ctx.username, key, reason)
                    except katalog.NotAllowed as exc:
                        st.error(t(exc.key))
                    else:
                        st.session_state["katalog_resolved"] = t("katalog.resolved", user=ctx.username)
                        st.rerun()
    if st.session_state.get("katalog_resolved"):
        st.success(st.session_state.pop("katalog_resolved"))
    resolved = katalog.resolution_table(data.cursor(), ctx.lang)
    if resolved:
        with st.expander(t("katalog.resolutions")):
            st.dataframe(pd.DataFrame(resolved), hide_index=True, width="stretch")


def audit(ctx) -> None:
    """The audit log, filters kept in the URL; agency staff see their own entries only."""
    t = ctx.t
    # 4. The audit log, filterable (filters kept in the URL); agency staff see their own entries only.
    st.subheader(t("katalog.audit"))
    cur = data.cursor()
    wanted = katalog.audit_filter_from_url(url.everything(), katalog.audit_actions(cur), today())
    left, mid, right, far = st.columns([2, 1, 1, 1])
    actions = left.multiselect(t("katalog.audit_action"), katalog.audit_actions(cur), default=list(wanted.actions),
                               key="katalog_audit_actions", format_func=lambda a: katalog.action_label(a, ctx.lang))
    if ctx.role == "staf_opd":
        who = ctx.username
        mid.text_input(t("katalog.audit_user"), who, disabled=True, help=t("katalog.audit_own_only"))
    else:
        who = mid.text_input(t("katalog.audit_user"), wanted.username, key="katalog_audit_user")
    since = right.date_input(t("katalog.audit_from"), wanted.date_from, key="katalog_audit_from")
    until = far.date_input(t("katalog.audit_to"), wanted.date_to, key="katalog_audit_to")
    flt = katalog.AuditFilter(tuple(actions), who, since, until)
    for name, value in katalog.audit_filter_to_url(flt, staff=ctx.role == "staf_opd").items():
        url.put(name, value)
    entries = katalog.audit_entries(cur, flt, ctx.lang, exact_user=ctx.role == "staf_opd")
    if entries:
        total = katalog.audit_count(cur, flt, exact_user=ctx.role == "staf_opd")
        st.caption(t("katalog.audit_count", n=total, limit=katalog.AUDIT_LIMIT))
        audit_df = pd.DataFrame([{t("katalog.col.when"): e["when"], t("katalog.col.user"): e["username"] or t("katalog.audit_system"),
                                  t("katalog.col.action"): e["action_label"], t("katalog.col.detail"): e["detail"]}
                                 for e in entries])
        st.dataframe(audit_df, hide_index=True, width="stretch")
        widgets.downloads(audit_df, "log_audit", ctx.lang, key="katalog_audit")
    else:
        st.info(t("katalog.audit_empty"))


def export_section(ctx) -> None:
    """Every export in both forms, through the one writer."""
    t = ctx.t
    # 5. Every export (datasets and derived figures) in both forms: the same bytes as
    # `python -m warroom export NAME [--format excel-id]` (one writer, warroom.export_csv).
    st.subheader(t("katalog.exports"))
    export_name = st.selectbox(t("katalog.export_of"), exports.names(), key="katalog_export")
    st.caption(t("katalog.export_help", name=export_name))
    export_con = data.connection()   # taken now: the file is written later, when the button is clicked

    def export_file(form: str) -> bytes:
        cur = export_con.cursor()   # its own cursor: the click is served outside this script run
        try:
            return exports.to_bytes(cur, export_name, form, viewer=True)   # no stored secret leaves
        finally:
            cur.close()

    widgets.files(lambda: export_file("csv"), lambda: export_file("excel-id"),
                  f"ekspor_{export_name}", ctx.lang, key=f"katalog_export_{export_name}")
