-- The first and last day of the producer's Covid-19 rows of the city's areas (covid_grid_areas),
-- and the sum of the absolute values of the count column where it is largest: no figure of the
-- per-area table (an area's day, its cumulative or 7-day sum) can pass it (warroom/covid_grid.py).
select min(h.tanggal) as pertama, max(h.tanggal) as terakhir,
       greatest(coalesce(sum(abs(h.kasus_baru)), 0), coalesce(sum(abs(h.sembuh_baru)), 0),
                coalesce(sum(abs(h.meninggal_baru)), 0), coalesce(sum(abs(h.rawat_inap_baru)), 0),
                coalesce(sum(abs(h.dirawat)), 0), coalesce(sum(abs(h.isolasi_mandiri)), 0),
                coalesce(sum(abs(h.spesimen_diperiksa)), 0), coalesce(sum(abs(h.spesimen_positif)), 0)) as batas
from covid19_harian as h
join covid_grid_areas as a using (kode_wilayah)
where h.sumber_opd = $produsen
