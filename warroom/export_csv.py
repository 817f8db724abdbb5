"""CSV bytes for downloads: standard (comma, dot decimal, UTF-8) and Excel-Indonesia
(semicolon, decimal comma, UTF-8 with BOM so Excel detects the encoding)."""
from __future__ import annotations

import pandas as pd


def standard(df: pd.DataFrame) -> bytes:
    return df.to_csv(index=False, lineterminator="\n").encode("utf-8")


def excel_indonesia(df: pd.DataFrame) -> bytes:
    return df.to_csv(index=False, sep=";", decimal=",", lineterminator="\r\n").encode("utf-8-sig")
