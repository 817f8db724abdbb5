-- Areas of the city by level, with the population where it is known.
select tingkat, count(*) as jumlah, sum(penduduk) as penduduk
from wilayah
where kode_wilayah = $kota or kode_wilayah like $kota || '.%'
group by tingkat
