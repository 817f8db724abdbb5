-- Boundaries of one level (kecamatan or kelurahan) with name, parent and population.
select b.kode_wilayah, w.nama, w.kode_induk, w.penduduk, b.geojson
from batas_wilayah as b
join wilayah as w using (kode_wilayah)
where b.tingkat = $tingkat
order by b.kode_wilayah
