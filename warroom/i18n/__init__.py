"""The one label catalogue, Indonesian first, English second.

Each area of the product keeps its labels in a module of this package
(`MESSAGES = {key: (indonesian, english)}`); they are merged here into one catalogue,
and a test checks that no key is defined twice and that both languages are filled.
"""
from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache

LANGS = ("id", "en")
DEFAULT_LANG = "id"


@lru_cache(maxsize=None)
def catalogue() -> dict[str, tuple[str, str]]:
    merged: dict[str, tuple[str, str]] = {}
    for mod in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        messages = importlib.import_module(f"{__name__}.{mod.name}").MESSAGES
        dup = merged.keys() & messages.keys()
        if dup:
            raise ValueError(f"label keys defined twice: {sorted(dup)}")
        merged.update(messages)
    return merged


def normalise_lang(lang: str | None) -> str:
    return lang if lang in LANGS else DEFAULT_LANG


# Placeholders any label may use, filled from the region's city.toml (region-neutral text).
CITY_PLACEHOLDERS = ("kota", "kode_kota", "provinsi", "zona", "contoh_kec", "contoh_kel", "lintang", "bujur")


def city_values() -> dict[str, str]:
    """{kota}: the city's name, {kode_kota}, {provinsi}, {zona}; example codes {contoh_kec},
    {contoh_kel}; the rough {lintang}/{bujur} of its bounding box's centre."""
    from warroom.config import city
    c = city()
    lat, lon = (c.bbox[1] + c.bbox[3]) / 2, (c.bbox[0] + c.bbox[2]) / 2
    return {"kota": c.nama, "kode_kota": c.kode, "provinsi": c.nama_provinsi, "zona": c.zona,
            "contoh_kec": f"{c.kode}.01", "contoh_kel": f"{c.kode}.01.1001",
            "lintang": f"{lat:.0f}", "bujur": f"{lon:.0f}"}


def t(key: str, lang: str | None = DEFAULT_LANG, **kwargs) -> str:
    """The label for `key` in `lang`, with {placeholders} filled from kwargs (and the city's
    {kota}, {zona}, ... from city.toml when the label uses them)."""
    pair = catalogue().get(key)
    if pair is None:
        raise KeyError(f"no label {key!r} in the catalogue")
    text = pair[LANGS.index(normalise_lang(lang))]
    if any("{" + name + "}" in text and name not in kwargs for name in CITY_PLACEHOLDERS):
        kwargs = {**city_values(), **kwargs}
    return text.format(**kwargs) if kwargs else text
