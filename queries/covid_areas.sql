-- The city, its kecamatan and kelurahan, for the area filter.
select kode_wilayah, nama, tingkat, kode_induk, penduduk
from wilayah
where kode_wilayah = $kota or starts_with(kode_wilayah, $kota || '.')
order by kode_wilayah
