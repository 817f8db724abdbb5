"""Numbers, dates and times the way Indonesians write them (babel), and "tidak tersedia".

A figure that cannot be computed is None/NaN and shows as "tidak tersedia", never 0.
"""
from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_date as _babel_date
from babel.dates import format_datetime as _babel_datetime
from babel.numbers import format_decimal as _babel_decimal

from warroom.config import THRESHOLDS, city
from warroom.i18n import normalise_lang, t
from warroom.missing import is_missing  # noqa: F401  (fmt.is_missing: the one test, see warroom/missing.py)

LOCALES = {"id": "id_ID", "en": "en_GB"}


def number(value, lang: str = "id", decimals: int = 0) -> str:
    """1234.5 -> '1.234,5' (id) or '1,234.5' (en); missing -> 'tidak tersedia'."""
    if is_missing(value):
        return t("fmt.na", lang)
    fmt = "#,##0" + ("." + "0" * decimals if decimals else "")
    return _babel_decimal(value, format=fmt, locale=LOCALES[normalise_lang(lang)])


def measure(value, lang: str = "id", places: int = 2) -> str:
    """A measure as every path shows it (table, chart hover, card, download): rounded half away
    from zero to `places` decimals like the downloads (warroom.export_csv), then written in
    the viewer's language: 337.925 -> '337,93' (id) or '337.93' (en)."""
    if is_missing(value):
        return t("fmt.na", lang)
    from warroom.export_csv import round_half_away
    fixed = abs(round_half_away(value, places)) if round_half_away(value, places) == 0 else round_half_away(value, places)
    return _babel_decimal(fixed, format="#,##0." + "0" * places if places else "#,##0",
                          locale=LOCALES[normalise_lang(lang)], decimal_quantization=False)


def percent(value, lang: str = "id", decimals: int = 1) -> str:
    if is_missing(value):
        return t("fmt.na", lang)
    return number(value, lang, decimals) + " %"


def count_for_viewer(value, *, tingkat: str, anonymous: bool, lang: str = "id") -> str:
    """Kelurahan counts 1..threshold-1 are shown as '<5' to anonymous viewers only."""
    if is_missing(value):
        return t("fmt.na", lang)
    limit = THRESHOLDS.suppress_below
    if anonymous and tingkat == "kelurahan" and 0 < value < limit:
        return t("fmt.suppressed", lang, n=limit)
    return number(value, lang)


def long_date(value: date, lang: str = "id") -> str:
    """28 November 2026."""
    if is_missing(value):
        return t("fmt.na", lang)
    return _babel_date(value, format="d MMMM y", locale=LOCALES[normalise_lang(lang)])


def short_date(value: date, lang: str = "id") -> str:
    if is_missing(value):
        return t("fmt.na", lang)
    return _babel_date(value, format="d MMM y", locale=LOCALES[normalise_lang(lang)])


def month_year(value: date, lang: str = "id") -> str:
    """'Agu 2026' (id) / 'Aug 2026' (en): a chart axis tick."""
    return _babel_date(value, format="MMM y", locale=LOCALES[normalise_lang(lang)])


def day_month(value: date, lang: str = "id") -> str:
    """'5 Nov': a chart axis tick over a few weeks."""
    return _babel_date(value, format="d MMM", locale=LOCALES[normalise_lang(lang)])


def datetime_local(value: datetime, lang: str = "id") -> str:
    """A moment in the city's time zone: '28 November 2026 14.05 WITA'."""
    if is_missing(value):
        return t("fmt.na", lang)
    if value.tzinfo is None:
        value = value.replace(tzinfo=city().tz)
    local = value.astimezone(city().tz)
    pattern = "d MMMM y HH.mm" if normalise_lang(lang) == "id" else "d MMMM y HH:mm"
    return f"{_babel_datetime(local, format=pattern, locale=LOCALES[normalise_lang(lang)])} {city().zona}"
