"""Drop files, preview them (dry run), confirm, store: shared by Unggah and Admin (reference data).

Nothing is stored before the user presses the confirm button; the confirm step sends the
very bytes that were checked (matched by checksum) and re-checks the sender's rights,
read from the database, in upload_service.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from warroom import datasets, lineage, upload_service
from warroom.config import today
from warroom.ui import data

PREVIEW_ROWS = 200


def _progress_callback(bar, label: str):
    """The engine's progress (a fraction, or done/total) drawn on a Streamlit progress bar."""
    def report(*args, **kwargs):
        if len(args) >= 2 and args[1]:
            fraction = args[0] / args[1]
        elif args:
            fraction = float(args[0])
        else:
            fraction = float(kwargs.get("fraction", 0))
        bar.progress(min(max(fraction, 0.0), 1.0), text=label)
    return report


def _file_key(dataset: str, sender_opd: str | None, name: str, blob: bytes, lang: str) -> str:
    # The language is part of the key: the report is written in it.
    return f"{dataset}|{sender_opd or ''}|{lang}|{name}|{lineage.sha256_bytes(blob)}"


def render(ctx, dataset: str, sender_opd: str | None, key: str) -> None:
    """The drop zone, the previews, the confirm button and the saved results for one dataset."""
    t = ctx.t
    round_ = st.session_state.get(f"{key}_round", 0)
    # No `type=` filter: Streamlit would refuse other files with its own English message (or an
    # exception); upload_service.check_file answers in the user's language instead.
    files = st.file_uploader(t("unggah.files", limit=upload_service.MAX_UPLOAD_MB),
                             accept_multiple_files=True, key=f"{key}_files_{round_}")
    mapping = _mapping_input(ctx, dataset, key)
    previews: dict = st.session_state.setdefault(f"{key}_previews", {})
    current = []
    for f in files or []:
        blob = f.getvalue()
        fkey = _file_key(dataset, sender_opd, f.name, blob, ctx.lang) + "|" + _mapping_key(mapping)
        current.append((fkey, f.name, blob))
        if fkey not in previews:
            previews[fkey] = _check(ctx, dataset, sender_opd, f.name, blob, mapping)
    for stale in set(previews) - {k for k, _, _ in current}:
        del previews[stale]
    for fkey, name, blob in current:
        _show_preview(ctx, dataset, name, blob, previews[fkey], f"{key}_{len(fkey)}_{fkey[-12:]}")
    _date_input(ctx, dataset, key, [previews[k] for k, _, _ in current])
    if current:
        _confirm(ctx, key, current, previews)
    for line in st.session_state.get(f"{key}_saved", []):
        (st.success if line[0] == "ok" else st.error)(line[1], icon=":material/task_alt:" if line[0] == "ok" else None)


def _check(ctx, dataset: str, sender_opd: str | None, name: str, blob: bytes, mapping: dict | None = None) -> dict:
    """The dry run of one file: {'refused': message} before the engine, else {'result': IngestResult}."""
    bar = st.progress(0.0, text=ctx.t("unggah.checking", name=name))
    try:
        result = upload_service.ingest(data.cursor(), ctx.username, dataset, name, blob, dry_run=True,
                                       lang=ctx.lang, on_behalf_of=sender_opd, mapping=mapping,
                                       progress=_progress_callback(bar, ctx.t("unggah.checking", name=name)))
    except upload_service.UploadRefused as exc:
        return {"refused": exc.message(ctx.lang)}
    finally:
        bar.empty()
    preview = {"result": result}
    if not result.accepted:
        # Made once per file, not on every rerun (200,000 rows take seconds).
        preview["report_csv"] = upload_service.report_csv(result, ctx.lang)
        preview["marked_csv"] = upload_service.file_with_errors_csv(blob, dataset, result, ctx.lang)
        preview["looks_like"] = (upload_service.guess_dataset(blob, dataset)
                                 if upload_service.wrong_dataset_hint(result) else None)
    return preview


def _show_preview(ctx, dataset: str, name: str, blob: bytes, preview: dict, key: str) -> None:
    t = ctx.t
    if "refused" in preview:
        st.error(preview["refused"], icon=":material/block:")
        return
    result = preview["result"]
    if result.accepted:
        st.info(t("unggah.preview_ok", name=name, total=result.rows_total, inserted=result.rows_inserted,
                  updated=result.rows_updated, unchanged=result.rows_unchanged), icon=":material/fact_check:")
    else:
        st.error(t("unggah.preview_refused", name=name, n=result.problems_total), icon=":material/block:")
        if upload_service.wrong_dataset_hint(result):
            other = preview["looks_like"]
            st.warning(t("unggah.wrong_dataset", dataset=datasets.get(dataset).title)
                       + (" " + t("unggah.looks_like", other=f"{datasets.get(other).title} ({other})") if other else ""))
        table = pd.DataFrame(upload_service.report_table(result, ctx.lang))
        st.dataframe(table.head(PREVIEW_ROWS), hide_index=True, width="stretch", key=f"{key}_report")
        if len(result.problems) > PREVIEW_ROWS or result.problems_total > len(result.problems):
            st.caption(t("unggah.more_problems", shown=min(PREVIEW_ROWS, len(result.problems)),
                         total=result.problems_total))
        stem = name.rsplit(".", 1)[0]
        left, right = st.columns(2)
        left.download_button(t("unggah.download_report"), preview["report_csv"],
                             f"{stem}_laporan_kesalahan.csv", "text/csv", key=f"{key}_dl_report",
                             icon=":material/download:")
        marked = preview["marked_csv"]
        if marked is not None:
            right.download_button(t("unggah.download_marked"), marked, f"{stem}_dengan_kesalahan.csv", "text/csv",
                                  key=f"{key}_dl_marked", icon=":material/download:")
    if result.notes:
        with st.expander(t("unggah.notes")):
            for note in result.notes:
                st.markdown(f"- {note}")


def _confirm(ctx, key: str, current: list, previews: dict) -> None:
    t = ctx.t
    ready = [(fkey, name, blob) for fkey, name, blob in current
             if "result" in previews[fkey] and previews[fkey]["result"].accepted]
    if len(ready) != len(current):
        st.caption(t("unggah.blocked"))
        return
    if not st.button(t("unggah.confirm", n=len(ready)), type="primary", key=f"{key}_confirm",
                     help=t("unggah.confirm_help"), icon=":material/save:"):
        return
    saved = []
    for fkey, name, blob in ready:
        dataset, sender_opd = fkey.split("|")[0], fkey.split("|")[1] or None
        bar = st.progress(0.0, text=t("unggah.saving", name=name))
        try:
            result = upload_service.ingest(data.cursor(), ctx.username, dataset, name, blob, dry_run=False,
                                           lang=ctx.lang, on_behalf_of=sender_opd,
                                           mapping=st.session_state.get(f"{key}_mapping"),
                                           progress=_progress_callback(bar, t("unggah.saving", name=name)))
        except upload_service.UploadRefused as exc:
            saved.append(("refused", exc.message(ctx.lang)))
            continue
        finally:
            bar.empty()
        if result.accepted:
            saved.append(("ok", t("unggah.saved", name=name, upload_id=result.upload_id,
                                  inserted=result.rows_inserted, updated=result.rows_updated,
                                  unchanged=result.rows_unchanged)))
        else:
            saved.append(("refused", t("unggah.save_refused", name=name, upload_id=result.upload_id)))
    st.session_state[f"{key}_saved"] = saved
    previews.clear()
    # A new uploader key empties the drop zone, so the same file is not sent twice.
    st.session_state[f"{key}_round"] = st.session_state.get(f"{key}_round", 0) + 1
    st.rerun()


# --- a mapping file and a date for every row (files as other systems publish them) ------------

MAX_MAPPING_BYTES = 100_000


def _mapping_input(ctx, dataset: str, key: str) -> dict | None:
    """The optional mapping file (docs/mapping.md) and the date the user gave for every row;
    kept in the session for the save step."""
    import json

    from warroom.ingest import mapping as mapping_mod
    mapping = None
    with st.expander(ctx.t("unggah.mapping.title")):
        st.caption(ctx.t("unggah.mapping.help"))
        up = st.file_uploader(ctx.t("unggah.mapping.file"), key=f"{key}_mapfile")
        if up is not None:
            raw = up.getvalue()
            try:
                if len(raw) > MAX_MAPPING_BYTES:
                    raise mapping_mod.MappingError(f"> {MAX_MAPPING_BYTES // 1000} KB")
                mapping = json.loads(raw.decode("utf-8-sig"))
                mapping_mod.parse(mapping)
                st.caption(ctx.t("unggah.mapping.loaded", name=_plain(up.name)))
            except (ValueError, UnicodeDecodeError) as exc:
                mapping = None
                st.error(ctx.t("unggah.mapping.invalid", name=_plain(up.name), detail=_plain(str(exc)[:200])))
    tanggal = st.session_state.get(f"{key}_tanggal")
    if tanggal and "tanggal" in datasets.get(dataset).columns:
        mapping = mapping_mod.with_constants(mapping, {"tanggal": tanggal.isoformat()})
    st.session_state[f"{key}_mapping"] = mapping
    return mapping


def _plain(text: str) -> str:
    """Text from an upload shown literally: every markdown character escaped."""
    import re
    return re.sub(r"([\\`*_{}\[\]()#+\-.!<>|~$])", r"\\\1", text)


def _mapping_key(mapping: dict | None) -> str:
    import json
    return lineage.sha256_bytes(json.dumps(mapping, sort_keys=True, default=str).encode())[:16] if mapping else ""


def _date_input(ctx, dataset: str, key: str, previews: list[dict]) -> None:
    """Asks for the date when a file lacks one (e.g. it is only in the file name)."""
    if "tanggal" not in datasets.get(dataset).columns:
        return
    missing = any(p.code == "header.missing" and p.column == "tanggal"
                  for pv in previews if "result" in pv for p in pv["result"].problems)
    if missing or st.session_state.get(f"{key}_tanggal"):
        if missing:
            st.warning(ctx.t("unggah.date_missing"), icon=":material/event:")
        st.date_input(ctx.t("unggah.date_for_all"), value=None, max_value=today(), key=f"{key}_tanggal",
                      format="YYYY-MM-DD")
