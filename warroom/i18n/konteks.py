"""Labels of the context series (a parent region beside the city) and of corrections on charts."""
MESSAGES = {
    "covid.context.title": ("Konteks: {region} dan {kota}", "Context: {region} and {kota}"),
    "covid.context.note": ("Kasus 7 hari per 100.000 penduduk. {region} hanya pembanding, bukan angka resmi {kota}.",
                           "7-day cases per 100,000 people. {region} is context only, not {kota}'s official figure."),
    "covid.context.source": ("Sumber {region}: {sender}, berkas {files} ({n} baris, {first} s.d. {last}); "
                             "penduduk {population} ({population_source}).",
                             "Source of {region}: {sender}, file {files} ({n} rows, {first} to {last}); "
                             "population {population} ({population_source})."),
    "covid.context.no_population": ("Penduduk {region} tidak diketahui: angka per 100.000 tidak tersedia "
                                    "(isi penduduk_provinsi di city.toml).",
                                    "The population of {region} is unknown: per-100,000 figures are not available "
                                    "(set penduduk_provinsi in city.toml)."),
    "covid.context.series": ("{name} (kasus 7 hari per 100.000)", "{name} (7-day cases per 100,000)"),
    "covid.chart.correction": ("Koreksi sumber (total turun)", "Source correction (total fell)"),
    "covid.correction.note": ("{n} koreksi dari sumber dalam rentang ini: total kumulatif yang turun disimpan "
                              "sebagai angka harian negatif dan ikut dijumlahkan.",
                              "{n} source corrections in this range: cumulative totals that fell are stored as "
                              "negative daily counts and included in every sum."),
}
