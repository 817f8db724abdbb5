"""Admin page (walidata): accounts, reference data, rollback of an upload, own password, pull sources."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from warroom import admin_desk, auth, datasets, katalog, rollback
from warroom.access import ROLES
from warroom.katalog import NotAllowed
from warroom.ui import data, signin, sources_panel, upload_flow


def render(ctx) -> None:
    t = ctx.t
    users_tab, reference_tab, rollback_tab, password_tab, sources_tab = st.tabs(
        [t("admin.tab.users"), t("admin.tab.reference"), t("admin.tab.rollback"), t("admin.tab.password"),
         t("sumber.admin.tab")])
    if st.session_state.get("admin_done"):
        st.toast(st.session_state.pop("admin_done"), icon=":material/check:")
    with users_tab:
        users(ctx)
    with reference_tab:
        reference_data(ctx)
    with rollback_tab:
        rollback_upload(ctx)
    with password_tab:
        signin.password_form(ctx)
    with sources_tab:
        sources_panel.admin(ctx, katalog.opd_codes(data.cursor()))


def act(ctx, action, *args) -> bool:
    """Run one desk action; show its refusal in the user's language. True when done."""
    try:
        action(data.cursor(), ctx.username, *args)
    except (auth.AuthError, NotAllowed) as exc:
        st.error(ctx.t(exc.key, **getattr(exc, "kwargs", {})))
        return False
    st.session_state["admin_done"] = ctx.t("admin.done")
    st.rerun()


def users(ctx) -> None:
    t = ctx.t
    people = katalog.users(data.cursor())
    st.dataframe(pd.DataFrame([{
        t("admin.col.username"): u["username"], t("admin.col.role"): t(f"role.{u['role']}"),
        t("admin.col.opd"): u["kode_opd"] or "", t("admin.col.state"): t(
            "admin.state.disabled" if u["disabled"] else "admin.state.active"),
        t("admin.col.locked"): u["locked_until"].strftime("%Y-%m-%d %H:%M") if u["locked_until"] else ""}
        for u in people]), hide_index=True, width="stretch")
    opds = [""] + katalog.opd_codes(data.cursor())
    role_label = {r: t(f"role.{r}") for r in ROLES}

    def opd_label(code: str) -> str:
        return code or t("admin.no_opd")

    with st.form("admin_add", clear_on_submit=True):
        st.markdown(f"**{t('admin.add')}**")
        left, right = st.columns(2)
        name = left.text_input(t("admin.col.username"), key="admin_add_name")
        role = right.selectbox(t("admin.col.role"), ROLES, format_func=role_label.get, key="admin_add_role")
        opd = left.selectbox(t("admin.opd_for_staff"), opds, key="admin_add_opd", format_func=opd_label)
        password = right.text_input(t("auth.password"), type="password", key="admin_add_pw")
        again = right.text_input(t("auth.new_password_again"), type="password", key="admin_add_again")
        if st.form_submit_button(t("admin.add_button"), type="primary"):
            act(ctx, admin_desk.add_user, name, password, again, role, opd)

    names = [u["username"] for u in people]
    if names:
        with st.form("admin_state"):
            st.markdown(f"**{t('admin.edit')}**")
            who = st.selectbox(t("admin.pick_user"), names, key="admin_state_user")
            left, right = st.columns(2)
            if left.form_submit_button(t("admin.disable")):
                act(ctx, admin_desk.set_disabled, who, True)
            if right.form_submit_button(t("admin.enable")):
                act(ctx, admin_desk.set_disabled, who, False)
        with st.form("admin_role"):
            st.markdown(f"**{t('admin.set_role')}**")
            who = st.selectbox(t("admin.pick_user"), names, key="admin_role_user")
            left, right = st.columns(2)
            role = left.selectbox(t("admin.col.role"), ROLES, format_func=role_label.get, key="admin_role_role")
            opd = right.selectbox(t("admin.opd_for_staff"), opds, key="admin_role_opd", format_func=opd_label)
            if st.form_submit_button(t("admin.set_role")):
                act(ctx, admin_desk.set_role, who, role, opd)
        with st.form("admin_reset", clear_on_submit=True):
            st.markdown(f"**{t('admin.reset')}**")
            who = st.selectbox(t("admin.pick_user"), names, key="admin_reset_user")
            password = st.text_input(t("auth.new_password"), type="password", key="admin_reset_pw")
            again = st.text_input(t("auth.new_password_again"), type="password", key="admin_reset_again")
            if st.form_submit_button(t("admin.reset")):
                act(ctx, admin_desk.reset_password, who, password, again)


def reference_data(ctx) -> None:
    t = ctx.t
    st.caption(t("admin.reference_intro"))
    reference = st.radio(t("admin.reference_dataset"), datasets.REFERENCE, horizontal=True, key="admin_ref_dataset",
                         format_func=lambda name: f"{datasets.get(name).title} ({name})")
    upload_flow.render(ctx, reference, None, key=f"admin_ref_{reference}")


def rollback_upload(ctx) -> None:
    t = ctx.t
    st.caption(t("admin.rollback_intro"))
    done = st.session_state.pop("admin_rolled_back", None)
    if done:
        st.success(done)
    accepted = [u for u in katalog.uploads(data.cursor(), limit=200) if u["status"] == "accepted"]
    if not accepted:
        st.info(t("admin.no_uploads"))
    else:
        by_id = {u["upload_id"]: u for u in accepted}
        chosen = st.selectbox(t("admin.pick_upload"), list(by_id), key="admin_rollback_upload",
                              format_func=lambda i: t("admin.upload_label", upload_id=i, dataset=by_id[i]["dataset"],
                                                      opd=by_id[i]["kode_opd"], user=by_id[i]["username"],
                                                      when=by_id[i]["when"].strftime("%Y-%m-%d %H:%M"),
                                                      rows=by_id[i]["rows_total"]))
        plan = katalog.rollback_plan(data.cursor(), chosen)
        st.info(t("admin.plan", upload_id=plan.upload_id, dataset=plan.dataset, opd=plan.kode_opd, user=plan.username,
                  when=plan.when, removed=plan.removed, restored=plan.restored))
        if plan.removed_sample:
            st.caption(t("admin.plan_sample"))
            st.dataframe(pd.DataFrame(plan.removed_sample), hide_index=True, width="stretch")
        if plan.restored_sample:
            st.caption(t("admin.plan_restore_sample"))
            st.dataframe(pd.DataFrame(plan.restored_sample), hide_index=True, width="stretch")
        if plan.later:
            st.warning(t("admin.plan_blocked", later=", ".join(f"#{i}" for i in plan.later)))
        else:
            sure = st.checkbox(t("admin.confirm_rollback", upload_id=chosen), key=f"admin_rollback_sure_{chosen}")
            if st.button(t("admin.rollback_button"), type="primary", disabled=not sure, key="admin_rollback_go"):
                try:
                    summary = admin_desk.rollback_upload(data.cursor(), ctx.username, chosen)
                except rollback.RollbackRefused as exc:
                    if exc.later_upload_ids:
                        st.error(t("admin.rollback_refused", later=", ".join(f"#{i}" for i in exc.later_upload_ids)))
                    else:
                        st.error(t(f"admin.rollback_{exc.reason}"))
                except NotAllowed as exc:
                    st.error(t(exc.key))
                else:
                    st.session_state["admin_rolled_back"] = t("admin.rolled_back", upload_id=summary.upload_id)
                    st.rerun()
