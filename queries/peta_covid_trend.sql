-- Daily new cases of one area over the $hari days to $tanggal (own row, else the children's sum).
with produced as (
    select * from covid19_harian
    where sumber_opd = $produsen and tanggal between $tanggal - ($hari - 1) and $tanggal
),
own as (
    select tanggal, kasus_baru from produced where kode_wilayah = $kode
),
from_children as (
    select p.tanggal, sum(p.kasus_baru) as kasus_baru
    from produced as p join wilayah as w using (kode_wilayah)
    where w.kode_induk = $kode
    group by p.tanggal
),
days as (
    select cast(d as date) as tanggal
    from range(cast($tanggal - ($hari - 1) as timestamp), cast($tanggal + 1 as timestamp), interval 1 day) as t(d)
)
select d.tanggal, coalesce(o.kasus_baru, c.kasus_baru, 0) as kasus_baru
from days as d
left join own as o using (tanggal)
left join from_children as c using (tanggal)
order by d.tanggal
