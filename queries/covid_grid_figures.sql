-- The producer's Covid-19 rows of the city's areas from $dari to $sampai, each with its place on
-- the grid of warroom/covid_grid.py: its area's row (covid_grid_areas, a temp table of the areas
-- in covid_grid_areas.sql order) and its day (0 = $dari). Unordered: the grid places them.
select a.baris, (h.tanggal - $dari::date)::integer as hari,
       h.kasus_baru, h.sembuh_baru, h.meninggal_baru, h.rawat_inap_baru, h.dirawat,
       h.isolasi_mandiri, h.spesimen_diperiksa, h.spesimen_positif
from covid19_harian as h
join covid_grid_areas as a using (kode_wilayah)
where h.sumber_opd = $produsen and h.tanggal between $dari::date and $sampai::date
