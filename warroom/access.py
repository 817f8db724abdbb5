"""Who may open which page, and send which dataset. No Streamlit here, so tests can import it."""
from __future__ import annotations

from warroom import datasets
from warroom.config import city

ROLES = ("admin", "pimpinan", "staf_opd")
ANONYMOUS = "anonim"

# Pages and the signed-in roles that may open them. Pages in PUBLIC_PAGES are also open
# to anonymous viewers (the wall, public screens).
PAGE_ROLES: dict[str, tuple[str, ...]] = {
    "ringkasan": ROLES,
    "peta": ROLES,
    "covid": ROLES,
    "kinerja": ROLES,
    "layar": ROLES,
    "cctv": ROLES,
    "peringatan": ROLES,   # alerts: everyone sees them; acknowledging needs sign-in
    "unggah": ("admin", "staf_opd"),
    "katalog": ("admin", "pimpinan", "staf_opd"),
    "admin": ("admin",),
    "masuk": ROLES,   # sign in (anonymous) or one's own account (signed in)
}
PUBLIC_PAGES = frozenset({"ringkasan", "peta", "covid", "kinerja", "layar", "cctv", "peringatan", "masuk"})


def may_open(page: str, role: str | None) -> bool:
    if page not in PAGE_ROLES:
        return False
    if role in (None, ANONYMOUS):
        return page in PUBLIC_PAGES
    return role in PAGE_ROLES[page]


def may_send(dataset: str, role: str | None, kode_opd: str | None) -> bool:
    """Staff may send the datasets their OPD produces or co-sends; the walidata sends anything."""
    if role == "admin":
        return True
    if role != "staf_opd" or not kode_opd:
        return False
    ds = datasets.get(dataset)
    if ds.is_reference:
        return kode_opd in city().walidata
    if ds.producer == "*owner":  # kinerja_opd: every OPD reports its own indicators
        return True
    return kode_opd == ds.producer or kode_opd in ds.cosenders or kode_opd in ds.spec.get("x-walidata", [])
