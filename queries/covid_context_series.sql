-- A parent region's series (e.g. the province around the city) shown as context beside the
-- city: one sender's rows for that code ($sumber; the page picks the sender with most rows),
-- 7-day sums over calendar days (a day without a row counts as 0) and the rate per 100,000
-- of the region's own population (empty when unknown). Corrections (negative days) included.
with rows as (
    select h.tanggal, h.kasus_baru, h.meninggal_baru, h.upload_id
    from covid19_harian as h
    where h.kode_wilayah = $kode and h.sumber_opd = $sumber and h.tanggal between $dari::date - 6 and $sampai::date
),

calendar as (
    select unnest(generate_series(greatest(min(tanggal), $dari::date - 6), least(max(tanggal), $sampai::date),
                                  interval 1 day))::date as tanggal
    from rows
),

windowed as (
    select c.tanggal, r.kasus_baru, r.upload_id,
           sum(coalesce(r.kasus_baru, 0)) over week as kasus_7hari,
           sum(coalesce(r.meninggal_baru, 0)) over week as meninggal_7hari,
           count(*) over week as hari
    from calendar as c
    left join rows as r using (tanggal)
    window week as (order by c.tanggal rows 6 preceding)
)

select w.tanggal, $kode as kode_wilayah, wil.nama, wil.penduduk, w.kasus_baru, w.kasus_7hari, w.meninggal_7hari,
       case when w.hari = 7 and wil.penduduk > 0 then w.kasus_7hari * 100000.0 / wil.penduduk end
           as kasus_7hari_per_100rb,
       case when w.hari = 7 and wil.penduduk > 0 then w.meninggal_7hari * 100000.0 / wil.penduduk end
           as meninggal_7hari_per_100rb,
       w.upload_id
from windowed as w
left join wilayah as wil on wil.kode_wilayah = $kode
where w.tanggal between $dari and $sampai
order by w.tanggal
