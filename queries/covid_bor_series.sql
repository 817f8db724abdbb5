-- Bed occupancy (BOR) of the health facilities in an area, per day: each facility's latest report
-- from the 7 days up to that day; not available when no facility reported beds.
with days as (
    select unnest(generate_series($dari::date, $sampai::date, interval 1 day))::date as tanggal
),

latest as (
    select days.tanggal, f.kode_faskes, f.tt_total, f.tt_terisi, f.tt_isolasi, f.tt_isolasi_terisi
    from days
    join fasyankes as f
      on f.tanggal between days.tanggal - interval 6 day and days.tanggal
     and (f.kode_wilayah = $kode or starts_with(f.kode_wilayah, $kode || '.'))
     and f.sumber_opd = $produsen
    qualify row_number() over (partition by days.tanggal, f.kode_faskes order by f.tanggal desc) = 1
)

select days.tanggal,
       count(latest.kode_faskes) as faskes_melapor,
       sum(tt_terisi) filter (where tt_total is not null) as tt_terisi,
       sum(tt_total) filter (where tt_terisi is not null) as tt_total,
       sum(tt_isolasi_terisi) filter (where tt_isolasi is not null) as tt_isolasi_terisi,
       sum(tt_isolasi) filter (where tt_isolasi_terisi is not null) as tt_isolasi,
       case when sum(tt_total) filter (where tt_terisi is not null) > 0
            then sum(tt_terisi) filter (where tt_total is not null) * 100.0
                 / sum(tt_total) filter (where tt_terisi is not null) end as bor_persen,
       case when sum(tt_isolasi) filter (where tt_isolasi_terisi is not null) > 0
            then sum(tt_isolasi_terisi) filter (where tt_isolasi is not null) * 100.0
                 / sum(tt_isolasi) filter (where tt_isolasi_terisi is not null) end as bor_isolasi_persen
from days
left join latest using (tanggal)
group by days.tanggal
order by days.tanggal
