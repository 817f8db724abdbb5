-- Official towers whose permit ends on or before $hari_ini + $hari days (already expired
-- included), whatever their status_izin; towers without an end date are not listed.
select m.kode_menara, m.operator, m.penyedia_menara, m.kode_wilayah, m.status_izin, m.izin_berakhir,
       date_diff('day', $hari_ini::date, m.izin_berakhir) as sisa_hari
from menara_bts as m
where m.sumber_opd = $produsen
  and m.izin_berakhir is not null
  and m.izin_berakhir <= $hari_ini::date + $hari::integer
order by m.izin_berakhir, m.kode_menara
