-- The weekly transmission measures of every area with a population, from the 7th day of its data
-- (unrounded; warroom.covid adds the level and rounds for the covid19_ppkm export).
select tanggal, kode_wilayah, kasus_7hari_per_100rb, rawat_inap_7hari_per_100rb,
       meninggal_7hari_per_100rb, positivity_7hari_persen
from covid19_wilayah_harian
where penduduk > 0 and hari_ke >= 7
order by tanggal, kode_wilayah
