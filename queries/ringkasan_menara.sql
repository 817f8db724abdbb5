-- Towers whose permit has expired (by status or by its end date) or ends within $hari days.
with official as (
    select * from menara_bts where sumber_opd = $produsen
)

select count(*) as jumlah,
       count(*) filter (where status_izin = 'kedaluwarsa'
                           or (status_izin = 'berlaku' and izin_berakhir < $hari_ini)) as kedaluwarsa,
       count(*) filter (where status_izin = 'berlaku'
                           and izin_berakhir between $hari_ini and $hari_ini::date + $hari::integer) as segera_berakhir,
       count(*) filter (where status_izin = 'tanpa_izin') as tanpa_izin
from official
