-- Covid figures of each area of a level on $tanggal from the producer's rows: the area's own
-- row of a day, else the sum of its child areas' rows that day (data standard). Weekly sums
-- cover $tanggal-6 .. $tanggal and are null before the 7th day of the area's data.
with areas as (
    select kode_wilayah, nama, penduduk from wilayah where tingkat = $tingkat
),
produced as (
    select * from covid19_harian where sumber_opd = $produsen and tanggal <= $tanggal
),
own as (
    select p.tanggal, p.kode_wilayah, p.kasus_baru, p.sembuh_baru, p.meninggal_baru, p.rawat_inap_baru
    from produced as p join areas using (kode_wilayah)
),
from_children as (
    select p.tanggal, w.kode_induk as kode_wilayah, sum(p.kasus_baru) as kasus_baru,
           sum(p.sembuh_baru) as sembuh_baru, sum(p.meninggal_baru) as meninggal_baru,
           sum(p.rawat_inap_baru) as rawat_inap_baru
    from produced as p
    join wilayah as w using (kode_wilayah)
    where w.kode_induk in (select kode_wilayah from areas)
    group by all
),
daily as (
    select * from own
    union all
    select c.* from from_children as c anti join own as o using (tanggal, kode_wilayah)
),
per_area as (
    select kode_wilayah,
           min(tanggal) as hari_pertama,
           max(tanggal) as hari_terakhir,
           sum(kasus_baru - sembuh_baru - meninggal_baru) as kasus_aktif,
           sum(kasus_baru) filter (where tanggal > $tanggal - 7) as kasus_7h,
           sum(meninggal_baru) filter (where tanggal > $tanggal - 7) as meninggal_7h,
           sum(rawat_inap_baru) filter (where tanggal > $tanggal - 7) as rawat_inap_7h
    from daily
    group by kode_wilayah
)
select a.kode_wilayah, a.nama, a.penduduk, p.hari_terakhir, p.kasus_aktif,
       case when p.hari_pertama <= $tanggal - 6 then coalesce(p.kasus_7h, 0) end as kasus_7h,
       case when p.hari_pertama <= $tanggal - 6 then coalesce(p.meninggal_7h, 0) end as meninggal_7h,
       case when p.hari_pertama <= $tanggal - 6 then p.rawat_inap_7h end as rawat_inap_7h
from areas as a
left join per_area as p using (kode_wilayah)
order by a.kode_wilayah
