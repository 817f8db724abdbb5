"""Drop files, preview them (dry run), confirm, store: shared by Unggah and Admin (reference data).

Nothing is stored before the user presses the confirm button; the confirm step sends the
very bytes that were checked (matched by checksum) and re-checks the sender's rights,
read from the database, in upload_service.
"""
from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from warroom import datasets, lineage, upload_service
from warroom.config import today
from warroom.ui import data

PREVIEW_ROWS = 200
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#!|<>~$:])")


def plain(text: str) -> str:
    """Text from a file, shown literally inside a Streamlit message (which reads markdown):
    every markdown character escaped, line breaks folded."""
    return _MARKDOWN.sub(r"\\\1", " ".join(str(text).split()))


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


def _css_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ").replace("\n", " ")


def uploader_css(ctx, key: str) -> str:
    """Streamlit's drop zone writes its own English texts ("Upload", "200MB per file", its own
    cap, higher on purpose so a big file gets our message): replaced by the page language's,
    with the one limit (THRESHOLDS.upload_max_mb)."""
    button = _css_text(ctx.t("unggah.uploader.button"))
    limit = _css_text(ctx.t("unggah.uploader.limit", limit=upload_service.MAX_UPLOAD_MB))
    drop = _css_text(ctx.t("unggah.uploader.drop"))
    map_limit = _css_text(ctx.t("unggah.uploader.mapping_limit", kb=MAX_MAPPING_BYTES // 1000))
    zone = '[data-testid="stFileUploaderDropzone"]'
    hints = '[data-testid="stFileUploaderDropzoneInstructions"]'
    # Each box says its own limit: the data files' and the mapping file's.
    data_box, map_box = f'[class*="st-key-{key}_files_"]', f'.st-key-{key}_mapfile'
    # The overlay shown while a file is dragged over the box has no test id; `euud7oh2` is its
    # component class in Streamlit 1.67 (another version simply shows its English text again).
    return ("<style>"
            f"{zone} span.euud7oh2 {{font-size: 0;}}"
            f'{zone} span.euud7oh2::after {{content: "{drop}"; font-size: 1rem;}}'
            f'{zone} button [data-testid="stMarkdownContainer"] {{display: none;}}'
            f'{zone} button:has([data-testid="stMarkdownContainer"])::after {{content: "{button}";}}'
            f"{zone} {hints} > * {{display: none;}}"
            f"{zone} {hints}::after {{font-size: 0.875rem; opacity: 0.75;}}"
            f'{data_box} {zone} {hints}::after {{content: "{limit}";}}'
            f'{map_box} {zone} {hints}::after {{content: "{map_limit}";}}'
            "</style>")


def _file_key(dataset: str, sender_opd: str | None, name: str, blob: bytes, lang: str) -> str:
    # The language is part of the key: the report is written in it.
    return f"{dataset}|{sender_opd or ''}|{lang}|{name}|{lineage.sha256_bytes(blob)}"


def render(ctx, dataset: str, sender_opd: str | None, key: str) -> None:
    """The drop zone, the previews, the confirm button and the saved results for one dataset."""
    t = ctx.t
    round_ = st.session_state.get(f"{key}_round", 0)
    # No `type=` filter: Streamlit would refuse other files with its own English message (or an
    # exception); upload_service.check_file answers in the user's language instead.
    st.markdown(uploader_css(ctx, key), unsafe_allow_html=True)
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
        previews[fkey]["key"] = f"{key}_{len(fkey)}_{fkey[-12:]}"
        _show_preview(ctx, dataset, name, blob, previews[fkey], previews[fkey]["key"])
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
        preview["report_csv"] = upload_service.report_csv(result, ctx.lang, blob, dataset)
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
        st.info(t("unggah.preview_ok", name=plain(name), total=result.rows_total, inserted=result.rows_inserted,
                  updated=result.rows_updated, unchanged=result.rows_unchanged), icon=":material/fact_check:")
        _show_meaning(ctx, result, key)
    else:
        st.error(t("unggah.preview_refused", name=plain(name), n=result.problems_total), icon=":material/block:")
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
                st.markdown(f"- {plain(note)}")


def _level_name(ctx, level: str) -> str:
    return ctx.t(f"unggah.level.{level}") if level in ("kelurahan", "kecamatan", "kota", "provinsi") else level


def mixed_level_text(ctx, result) -> tuple[str, str] | None:
    """(warning, confirmation label) when the file's rows mix region levels, naming the rows
    that are not at the file's main level; None otherwise. Plain text (shown escaped)."""
    if not result.odd_level_rows:
        return None
    counts = result.level_counts
    main = max(counts, key=lambda level: (counts[level], level))
    count_text = ", ".join(ctx.t("unggah.mixed.count", n=n, level=_level_name(ctx, level))
                           for level, n in sorted(counts.items(), key=lambda kv: -kv[1]))
    rows = "; ".join(ctx.t("unggah.mixed.row", row=r["row"], value=r["value"], level=_level_name(ctx, r["level"]),
                           code=r["code"], name=r["name"]) for r in result.odd_level_rows)
    odd_levels = sorted({_level_name(ctx, r["level"]) for r in result.odd_level_rows})
    numbers = ctx.t("unggah.mixed.rows", rows=", ".join(str(r["row"]) for r in result.odd_level_rows))
    return (ctx.t("unggah.mixed", counts=count_text, main=_level_name(ctx, main), rows=rows),
            ctx.t("unggah.mixed.confirm", rows=numbers, levels="/".join(odd_levels)))


def _show_meaning(ctx, result, key: str) -> None:
    """What the file will mean once stored: names -> code and level, rows at another level
    (to confirm), and old -> new values of the rows it replaces."""
    t = ctx.t
    if result.resolved_names:
        st.markdown(t("unggah.names"))
        st.dataframe(pd.DataFrame([{t("unggah.names.value"): r["value"], t("unggah.names.code"): r["code"],
                                    t("unggah.names.level"): _level_name(ctx, r["level"]),
                                    t("unggah.names.official"): r.get("name", "")}
                                   for r in result.resolved_names]),
                     hide_index=True, width="stretch", key=f"{key}_names")
    mixed = mixed_level_text(ctx, result)
    if mixed:
        st.warning(plain(mixed[0]), icon=":material/warning:")
        st.checkbox(mixed[1], key=f"{key}_levels_ok")
    if result.changes:
        st.markdown(t("unggah.changes"))
        st.dataframe(pd.DataFrame([{t("unggah.changes.key"): c["key"], t("unggah.changes.column"): d["column"],
                                    t("unggah.changes.old"): d["old"], t("unggah.changes.new"): d["new"]}
                                   for c in result.changes for d in c["changes"]]),
                     hide_index=True, width="stretch", key=f"{key}_changes")
        if result.rows_updated > len(result.changes):
            st.caption(t("unggah.changes.more", shown=len(result.changes), total=result.rows_updated))


def _confirm(ctx, key: str, current: list, previews: dict) -> None:
    t = ctx.t
    ready = [(fkey, name, blob) for fkey, name, blob in current
             if "result" in previews[fkey] and previews[fkey]["result"].accepted]
    if len(ready) != len(current):
        st.caption(t("unggah.blocked"))
        return
    unconfirmed = [fkey for fkey, name, blob in ready if previews[fkey]["result"].odd_level_rows
                   and not st.session_state.get(f"{previews[fkey]['key']}_levels_ok")]
    if unconfirmed:
        st.caption(t("unggah.mixed.blocked"))
        st.button(t("unggah.confirm", n=len(ready)), type="primary", key=f"{key}_confirm", disabled=True,
                  icon=":material/save:")
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
            saved.append(("ok", t("unggah.saved", name=plain(name), upload_id=result.upload_id,
                                  inserted=result.rows_inserted, updated=result.rows_updated,
                                  unchanged=result.rows_unchanged)))
        else:
            saved.append(("refused", t("unggah.save_refused", name=plain(name), upload_id=result.upload_id)))
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
