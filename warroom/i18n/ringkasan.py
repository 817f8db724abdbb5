"""Labels of the Ringkasan (overview) page."""
MESSAGES = {
    "ringkasan.areas.kota": ("Kota", "City"),
    "ringkasan.areas.kecamatan": ("Kecamatan", "Districts (kecamatan)"),
    "ringkasan.areas.kelurahan": ("Kelurahan", "Urban villages (kelurahan)"),
    "ringkasan.population": ("Penduduk {n}", "Population {n}"),
    "ringkasan.freshness": ("Kesegaran data", "Data freshness"),
    "ringkasan.col.dataset": ("Dataset", "Dataset"),
    "ringkasan.col.rows": ("Baris", "Rows"),
    "ringkasan.col.newest": ("Data terbaru", "Newest data"),
    "ringkasan.col.last_upload": ("Unggahan terakhir", "Last upload"),
    "ringkasan.col.by": ("Oleh", "By"),
    "ringkasan.col.status": ("Status", "Status"),
}
