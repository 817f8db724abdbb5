-- The first and last day of the official Covid-19 figures, for the default date range.
select min(tanggal) as pertama, max(tanggal) as terakhir
from covid19_wilayah_harian
