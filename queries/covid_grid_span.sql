-- The first and last day of the producer's Covid-19 rows of the city's areas (covid_grid_areas).
select min(h.tanggal) as pertama, max(h.tanggal) as terakhir
from covid19_harian as h
join covid_grid_areas as a using (kode_wilayah)
where h.sumber_opd = $produsen
