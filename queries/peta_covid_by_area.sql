-- Covid figures of each area of a level, read from the per-area daily table (the official
-- roll-up and population, docs/covid.md) on $tanggal, or on the table's last day before it when
-- $tanggal is later (the map may show a day the data has not reached yet: its figures are
-- then those of the newest day, and hari_terakhir says which). Weekly figures are null before
-- the 7th day of an area's data; an area without official rows has no row here.
with shown as (
    select max(tanggal) as tanggal from covid19_wilayah_harian where tanggal <= $tanggal
),

last_with_data as (
    select kode_wilayah, max(tanggal) as hari_terakhir
    from covid19_wilayah_harian
    where tingkat = $tingkat and ada_data and tanggal <= (select tanggal from shown)
    group by kode_wilayah
)

select w.kode_wilayah, w.nama, d.penduduk, l.hari_terakhir, d.aktif as kasus_aktif,
       d.kasus_7hari as kasus_7h, d.meninggal_7hari as meninggal_7h, d.rawat_inap_7hari as rawat_inap_7h
from wilayah as w
join covid19_wilayah_harian as d
  on d.kode_wilayah = w.kode_wilayah and d.tanggal = (select tanggal from shown)
left join last_with_data as l on l.kode_wilayah = w.kode_wilayah
where w.tingkat = $tingkat
order by w.kode_wilayah
