"""Masuk: sign in (anonymous viewers) or see one's account and change the password."""
import streamlit as st

from warroom.ui import page, signin

st.set_page_config(layout="wide")
ctx = page.setup("masuk")
st.title(ctx.t("nav.masuk"))

if ctx.anonymous:
    signin.prompt(ctx, warn=False)
else:
    opd = f", {ctx.kode_opd}" if ctx.kode_opd else ""
    st.markdown(ctx.t("account.signed_in", user=ctx.username, role=ctx.t(f"role.{ctx.role}"), opd=opd))
    signin.password_form(ctx)
