"""Tables of the Kinerja OPD page: what the screen shows (Indonesian formats, band colour with
its symbol and word) and what the downloads carry (the plain numbers)."""
from __future__ import annotations

import pandas as pd

from warroom import fmt, kinerja
from warroom.config import THRESHOLDS
from warroom.i18n import t
from warroom.ui.charts import cached_figure


def figure(value, lang: str, decimals: int = 2) -> str:
    """A capaian or score as published: rounded half away from zero (babel alone would round
    half to even, and 0.125 would show as 0,12 on screen but 0.13 in the export)."""
    return fmt.number(kinerja.round_half_away(value, decimals), lang, decimals)


def band_label(kategori, lang: str, n_indikator: int = 1) -> str:
    state = kinerja.cell_state(n_indikator, None if fmt.is_missing(kategori) else kategori)
    return f"{kinerja.BAND_STYLE[state][2]} {t(f'kinerja.band.{state}', lang)}"


def indicator_band(kategori, realisasi, lang: str) -> str:
    """An indicator's band; 'belum lapor' without a realisation, 'tidak tersedia' when target is 0."""
    if not fmt.is_missing(kategori):
        return band_label(kategori, lang)
    if fmt.is_missing(realisasi):
        return band_label(None, lang, n_indikator=1)
    return f"{kinerja.BAND_STYLE[kinerja.NOT_AVAILABLE][2]} {t('fmt.na', lang)}"


def trend_label(tren, selisih, lang: str) -> str:
    if fmt.is_missing(tren):
        return t("fmt.na", lang)
    sign = "+" if selisih > 0 else ""
    return f"{kinerja.TREND_SYMBOL[tren]} {t(f'kinerja.trend.{tren}', lang)} ({sign}{figure(selisih, lang)})"


def height(rows: int, most: int = 25) -> int:
    """Pixel height showing up to `most` rows without an inner scrollbar."""
    return 35 * (min(rows, most) + 1) + 3


def band_colours(column: pd.Series) -> list[str]:
    """Styler callback: each band cell in its Okabe-Ito colour (the text says the band too)."""
    out = []
    for label in column:
        state = next((s for s, (_, _, sym) in kinerja.BAND_STYLE.items() if str(label).startswith(sym + " ")),
                     kinerja.NOT_AVAILABLE)
        bg, fg, _ = kinerja.BAND_STYLE[state]
        out.append(f"background-color: {bg}; color: {fg}; font-weight: 700")
    return out


def ranking(scores: pd.DataFrame, lang: str) -> pd.DataFrame:
    c = lambda key: t(f"kinerja.col.{key}", lang)  # noqa: E731
    return pd.DataFrame({
        c("rank"): ["–" if fmt.is_missing(v) else str(int(v)) for v in scores["peringkat"]],
        c("agency"): scores["nama_opd"].fillna(scores["kode_opd"]).tolist(),
        c("score"): [figure(v, lang) for v in scores["skor"]],
        c("band"): [band_label(k, lang, n) for k, n in zip(scores["kategori"], scores["n_indikator"])],
        c("trend"): [trend_label(tr, d, lang) for tr, d in zip(scores["tren"], scores["selisih"])],
        c("indicators"): [t("kinerja.reported_of", lang, n=a, total=b)
                          for a, b in zip(scores["n_tersedia"], scores["n_indikator"])],
    })


@cached_figure
def ranking_chart(scores: pd.DataFrame, lang: str):
    """Horizontal bars of the agencies' scores for one month, best on top, each bar in its band's
    colour and labelled with symbol, score and band word; agencies without a score are left
    out here (the table lists them as 'tidak tersedia')."""
    import plotly.graph_objects as go
    rows = scores[scores["skor"].notna()].iloc[::-1]
    styles = [kinerja.BAND_STYLE[k] for k in rows["kategori"]]
    labels = [f"{sym} {figure(v, lang)} · {t(f'kinerja.band.{k}', lang)}"
              for (_, _, sym), v, k in zip(styles, rows["skor"], rows["kategori"])]
    fig = go.Figure(go.Bar(
        x=[min(max(float(v), 0), 120) for v in rows["skor"]], y=rows["singkatan"].tolist(), orientation="h",
        marker_color=[bg for bg, _, _ in styles], text=labels, textposition="inside", insidetextanchor="start",
        textfont=dict(color=[fg for _, fg, _ in styles], size=15), hoverinfo="skip"))
    for bound in (b for _, b in THRESHOLDS.kinerja_bands if b != float("-inf")):
        fig.add_vline(x=bound, line=dict(color="#c9d1e0", width=1, dash="dot"))
    fig.update_layout(height=60 + 30 * len(rows), margin=dict(l=10, r=10, t=10, b=30),
                      xaxis=dict(range=[0, 121], title=t("kinerja.col.score", lang)), bargap=0.15,
                      paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)", font=dict(size=14))
    return fig


def ranking_download(scores: pd.DataFrame) -> pd.DataFrame:
    out = scores[["peringkat", "kode_opd", "nama_opd", "bulan", "skor", "kategori", "skor_sebelumnya",
                  "selisih", "tren", "n_indikator", "n_tersedia"]].copy()
    for col in ("skor", "skor_sebelumnya", "selisih"):
        out[col] = [kinerja.round_half_away(v) for v in out[col]]
    return out


def grid_download(rows: list[dict], months: list[str]) -> pd.DataFrame:
    records = []
    for row in rows:
        for month, (state, skor) in zip(months, row["cells"]):
            records.append({"kode_opd": row["kode_opd"], "bulan": month, "skor": kinerja.round_half_away(skor),
                            "kategori": state})
    return pd.DataFrame(records, columns=["kode_opd", "bulan", "skor", "kategori"])


def indicators(capaian: pd.DataFrame, month: str, lang: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(screen, download) for one agency's rows entering `month`, with a 24-month sparkline each."""
    rows = capaian[capaian["bulan"] == month]
    c = lambda key: t(f"kinerja.col.{key}", lang)  # noqa: E731
    screen = pd.DataFrame({
        c("code"): rows["kode_indikator"].tolist(),
        c("indicator"): rows["nama_indikator"].tolist(),
        c("unit"): rows["satuan"].tolist(),
        c("direction"): [t(f"kinerja.arah.{a}", lang) for a in rows["arah"]],
        c("period"): rows["periode"].tolist(),
        c("target"): [fmt.number(v, lang, 2) for v in rows["target"]],
        c("realisation"): [fmt.number(v, lang, 2) for v in rows["realisasi"]],
        c("achievement"): [figure(v, lang) for v in rows["capaian_persen"]],
        c("band"): [indicator_band(k, r, lang) for k, r in zip(rows["kategori"], rows["realisasi"])],
        c("sparkline"): [kinerja.sparkline(capaian, code, month, 24) for code in rows["kode_indikator"]],
    })
    download = rows[["kode_opd", "kode_indikator", "nama_indikator", "satuan", "arah", "periode", "target",
                     "realisasi", "capaian_persen", "kategori"]].copy()
    download["capaian_persen"] = [kinerja.round_half_away(v) for v in download["capaian_persen"]]
    return screen, download


def late(reporting: pd.DataFrame, lang: str) -> pd.DataFrame:
    rows = reporting[reporting["n_belum"] > 0]
    c = lambda key: t(f"kinerja.col.{key}", lang)  # noqa: E731
    return pd.DataFrame({
        c("agency"): rows["nama_opd"].fillna(rows["kode_opd"]).tolist(),
        c("missing"): [t("kinerja.reported_of", lang, n=int(a), total=int(b))
                       for a, b in zip(rows["n_belum"], rows["n_wajib"])],
        c("missing_codes"): rows["indikator_belum"].tolist(),
        c("due_date"): [fmt.long_date(d, lang) for d in rows["jatuh_tempo"]],
        c("days_late"): [fmt.number(v, lang) for v in rows["hari_lewat"]],
    })


def problems(rows: pd.DataFrame, lang: str) -> pd.DataFrame:
    c = lambda key: t(f"kinerja.col.{key}", lang)  # noqa: E731
    return pd.DataFrame({
        c("code"): rows["kode_indikator"].tolist(),
        c("problem"): [f"⚠ {t(f'kinerja.problem.{k}', lang)}" for k in rows["kolom"]],
        c("value"): rows["nilai"].tolist(),
        c("rows"): [fmt.number(v, lang) for v in rows["baris"]],
        c("periods"): [a if a == b else f"{a} – {b}" for a, b in zip(rows["periode_pertama"], rows["periode_terakhir"])],
        c("senders"): rows["pengirim"].tolist(),
    })


def apps(rows: pd.DataFrame, lang: str) -> pd.DataFrame:
    minimum = fmt.number(THRESHOLDS.app_availability_min, lang)
    c = lambda key: t(f"aplikasi.col.{key}", lang)  # noqa: E731
    return pd.DataFrame({
        c("alert"): [t("aplikasi.alert.none", lang) if fmt.is_missing(p) else t(f"aplikasi.alert.{p}", lang, min=minimum)
                     for p in rows["peringatan"]],
        c("app"): rows["nama_aplikasi"].tolist(),
        t("kinerja.col.agency", lang): rows["nama_opd"].fillna(rows["kode_opd"]).tolist(),
        c("status"): [t(f"aplikasi.status.{s}", lang) for s in rows["status"]],
        c("availability"): [fmt.number(v, lang, 2) for v in rows["ketersediaan_persen"]],
        c("checked"): [fmt.long_date(d, lang) for d in rows["tanggal_cek"]],
    })


def alert_colours(column: pd.Series) -> list[str]:
    styles = {"✖": "background-color: #D55E00; color: #000000; font-weight: 700",
              "▼": "background-color: #E69F00; color: #000000; font-weight: 700"}
    return [styles.get(str(v)[:1], "") for v in column]


def apps_per_agency(rows: pd.DataFrame, lang: str) -> pd.DataFrame:
    c = lambda key: t(f"aplikasi.col.{key}", lang)  # noqa: E731
    return pd.DataFrame({
        t("kinerja.col.agency", lang): rows["nama_opd"].fillna(rows["kode_opd"]).tolist(),
        c("count"): rows["n_aplikasi"].astype(int).tolist(),
        t("aplikasi.active", lang): rows["n_aktif"].astype(int).tolist(),
        t("aplikasi.down", lang): rows["n_nonaktif"].astype(int).tolist(),
        c("development"): rows["n_pengembangan"].astype(int).tolist(),
        c("attention"): [("⚠ " if n else "") + fmt.number(n, lang) for n in rows["n_perlu_perhatian"]],
        c("mean_availability"): [fmt.number(v, lang, 2) for v in rows["rata_ketersediaan"]],
    })
