-- The producer's cameras.
select kode_cctv, nama_lokasi, longitude, latitude, kode_wilayah, status, url_stream, terakhir_aktif
from cctv
where sumber_opd = $produsen
order by kode_cctv
