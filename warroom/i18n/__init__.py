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


def t(key: str, lang: str | None = DEFAULT_LANG, **kwargs) -> str:
    """The label for `key` in `lang`, with {placeholders} filled from kwargs."""
    pair = catalogue().get(key)
    if pair is None:
        raise KeyError(f"no label {key!r} in the catalogue")
    text = pair[LANGS.index(normalise_lang(lang))]
    return text.format(**kwargs) if kwargs else text
