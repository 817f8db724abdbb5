-- The first and last day of the official Covid-19 figures, for the default date range: the city's
-- own span, which runs from the first day any area has data to the dataset's last day.
select min(tanggal) as pertama, max(tanggal) as terakhir
from covid19_wilayah_harian
where kode_wilayah = $kota
