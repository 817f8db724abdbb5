"""The one label catalogue: every label filled in both languages, placeholders alike."""
from __future__ import annotations

import string

import pytest

from warroom.i18n import LANGS, catalogue, t


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_no_empty_labels():
    empty = [key for key, pair in catalogue().items()
             if len(pair) != len(LANGS) or any(not isinstance(s, str) or not s.strip() for s in pair)]
    assert empty == []


def test_both_languages_use_the_same_placeholders():
    differ = [key for key, (id_text, en_text) in catalogue().items() if placeholders(id_text) != placeholders(en_text)]
    assert differ == []


def test_lookup_and_fallback_language():
    assert t("db.missing", "en", path="x.duckdb") == "Database not found: x.duckdb"
    assert t("db.missing", "fr", path="x.duckdb") == "Basis data tidak ditemukan: x.duckdb"
    with pytest.raises(KeyError):
        t("no.such.label")
