-- Each health facility's latest report on or before $tanggal (beds and occupancy).
select kode_faskes, nama, jenis, longitude, latitude, kode_wilayah, tanggal, tt_total, tt_terisi,
       tt_isolasi, tt_isolasi_terisi
from fasyankes
where sumber_opd = $produsen and tanggal <= $tanggal
qualify row_number() over (partition by kode_faskes order by tanggal desc) = 1
order by kode_faskes
