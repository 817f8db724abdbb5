import pandas as pd
import streamlit as st

from warroom import datasets, katalog, upload_service
from warroom.ui import data, page, upload_flow

# Wide: tables of reports, datasets and users need the room (also when opened by direct URL).
st.set_page_config(layout="wide")
ctx = page.setup("unggah")
st.title(ctx.t("nav.unggah"))
st.caption(ctx.t("unggah.intro"))

# Only what this account may send; the service checks again, from the database, on every send.
choices = upload_service.sendable(ctx.role, ctx.kode_opd)
if not choices:
    st.info(ctx.t("unggah.no_datasets"))
    st.stop()

left, right = st.columns([2, 1])
dataset = left.selectbox(ctx.t("unggah.dataset"), choices, key="unggah_dataset",
                         format_func=lambda name: f"{datasets.get(name).title} ({name})")
if dataset not in choices:  # a tampered widget value
    st.error(ctx.t("unggah.refused.rights", dataset=dataset, opd=ctx.kode_opd or "-"))
    st.stop()
sender_opd = None
if ctx.role == "admin":
    opds = katalog.opd_codes(data.cursor())
    default = upload_service.default_sender_opd(dataset)
    sender_opd = right.selectbox(ctx.t("unggah.on_behalf"), opds, index=opds.index(default) if default in opds else 0,
                                 key=f"unggah_opd_{dataset}")
else:
    right.text_input(ctx.t("unggah.col.opd"), ctx.kode_opd, disabled=True)

st.download_button(ctx.t("unggah.template", dataset=dataset), upload_service.template_csv(dataset, ctx.kode_opd),
                   f"templat_{dataset}.csv", "text/csv", icon=":material/download:", key="unggah_template")
with st.expander(ctx.t("unggah.schema")):
    st.dataframe(pd.DataFrame(upload_service.schema_rows(dataset, ctx.lang)), hide_index=True, width="stretch")

upload_flow.render(ctx, dataset, sender_opd, key="unggah")

st.subheader(ctx.t("unggah.recent" if ctx.role != "admin" else "unggah.recent_all"))
recent = katalog.uploads(data.cursor(), username="" if ctx.role == "admin" else ctx.username, limit=20)
if recent:
    st.dataframe(pd.DataFrame(katalog.upload_table(recent, ctx.lang)), hide_index=True, width="stretch",
                 key="unggah_recent")
else:
    st.caption(ctx.t("unggah.none_yet"))
