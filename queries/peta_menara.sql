-- The producer's telecom towers.
select kode_menara, operator, penyedia_menara, longitude, latitude, kode_wilayah, tinggi_m,
       status_izin, izin_berakhir
from menara_bts
where sumber_opd = $produsen
order by kode_menara
