-- The official (producer's) Covid-19 figures of every area of the city for every day of its data,
-- rolled up per the data standard, with the derived daily and 7-day measures (unrounded).
-- $kota: the city code; $produsen: the producer OPD (DINKES); $sejak, $sampai: the first and last
-- day to return (a long build runs in pieces of a few years, see warroom.covid.refresh_daily).
-- covid_carried (a temp table, empty for a full build) carries each area's first day and its
-- cumulative sums on $sejak - 7 from the stored table, so a refresh after an upload recomputes only
-- the days from $sejak (windows read the 6 days before it from the stored rows again).
with areas as (
    select kode_wilayah, tingkat, kode_induk, penduduk
    from wilayah
    where kode_wilayah = $kota or starts_with(kode_wilayah, $kota || '.')
),

-- An area's population is its own, else the sum of its children's when every child has one.
kelurahan_population as (
    select kode_wilayah, kode_induk, penduduk from areas where tingkat = 'kelurahan'
),

kecamatan_population as (
    select kec.kode_wilayah, kec.kode_induk,
           coalesce(kec.penduduk,
                    case when count(kel.kode_wilayah) > 0 and count(kel.kode_wilayah) = count(kel.penduduk)
                         then sum(kel.penduduk) end) as penduduk
    from areas as kec
    left join kelurahan_population as kel on kel.kode_induk = kec.kode_wilayah
    where kec.tingkat = 'kecamatan'
    group by kec.kode_wilayah, kec.kode_induk, kec.penduduk
),

kota_population as (
    select kota.kode_wilayah, kota.kode_induk,
           coalesce(kota.penduduk,
                    case when count(kec.kode_wilayah) > 0 and count(kec.kode_wilayah) = count(kec.penduduk)
                         then sum(kec.penduduk) end) as penduduk
    from areas as kota
    left join kecamatan_population as kec on kec.kode_induk = kota.kode_wilayah
    where kota.tingkat = 'kota'
    group by kota.kode_wilayah, kota.kode_induk, kota.penduduk
),

population as (
    select kode_wilayah, 'kelurahan' as tingkat, kode_induk, penduduk from kelurahan_population
    union all select kode_wilayah, 'kecamatan', kode_induk, penduduk from kecamatan_population
    union all select kode_wilayah, 'kota', kode_induk, penduduk from kota_population
),

official as (
    select h.tanggal, h.kode_wilayah, a.tingkat, a.kode_induk,
           h.kasus_baru, h.sembuh_baru, h.meninggal_baru, h.rawat_inap_baru, h.dirawat,
           h.isolasi_mandiri, h.spesimen_diperiksa, h.spesimen_positif
    from covid19_harian as h
    join areas as a using (kode_wilayah)
    where h.sumber_opd = $produsen and h.tanggal between $sejak::date - 6 and $sampai::date
),

-- Per column: the area's own figure if it has one, else the sum of its children's figures.
kelurahan_figures as (
    select * exclude (tingkat) from official where tingkat = 'kelurahan'
),

kelurahan_sums as (
    select kode_induk as kode_wilayah, tanggal,
           sum(kasus_baru) as kasus_baru, sum(sembuh_baru) as sembuh_baru,
           sum(meninggal_baru) as meninggal_baru, sum(rawat_inap_baru) as rawat_inap_baru,
           sum(dirawat) as dirawat, sum(isolasi_mandiri) as isolasi_mandiri,
           sum(spesimen_diperiksa) as spesimen_diperiksa, sum(spesimen_positif) as spesimen_positif
    from kelurahan_figures
    group by all
),

kecamatan_figures as (
    select coalesce(own.tanggal, kids.tanggal) as tanggal,
           coalesce(own.kode_wilayah, kids.kode_wilayah) as kode_wilayah,
           coalesce(own.kasus_baru, kids.kasus_baru) as kasus_baru,
           coalesce(own.sembuh_baru, kids.sembuh_baru) as sembuh_baru,
           coalesce(own.meninggal_baru, kids.meninggal_baru) as meninggal_baru,
           coalesce(own.rawat_inap_baru, kids.rawat_inap_baru) as rawat_inap_baru,
           coalesce(own.dirawat, kids.dirawat) as dirawat,
           coalesce(own.isolasi_mandiri, kids.isolasi_mandiri) as isolasi_mandiri,
           coalesce(own.spesimen_diperiksa, kids.spesimen_diperiksa) as spesimen_diperiksa,
           coalesce(own.spesimen_positif, kids.spesimen_positif) as spesimen_positif
    from (select * from official where tingkat = 'kecamatan') as own
    full join kelurahan_sums as kids using (kode_wilayah, tanggal)
),

kecamatan_sums as (
    select p.kode_induk as kode_wilayah, f.tanggal,
           sum(kasus_baru) as kasus_baru, sum(sembuh_baru) as sembuh_baru,
           sum(meninggal_baru) as meninggal_baru, sum(rawat_inap_baru) as rawat_inap_baru,
           sum(dirawat) as dirawat, sum(isolasi_mandiri) as isolasi_mandiri,
           sum(spesimen_diperiksa) as spesimen_diperiksa, sum(spesimen_positif) as spesimen_positif
    from kecamatan_figures as f
    join kecamatan_population as p using (kode_wilayah)
    group by all
),

kota_figures as (
    select coalesce(own.tanggal, kids.tanggal) as tanggal,
           coalesce(own.kode_wilayah, kids.kode_wilayah) as kode_wilayah,
           coalesce(own.kasus_baru, kids.kasus_baru) as kasus_baru,
           coalesce(own.sembuh_baru, kids.sembuh_baru) as sembuh_baru,
           coalesce(own.meninggal_baru, kids.meninggal_baru) as meninggal_baru,
           coalesce(own.rawat_inap_baru, kids.rawat_inap_baru) as rawat_inap_baru,
           coalesce(own.dirawat, kids.dirawat) as dirawat,
           coalesce(own.isolasi_mandiri, kids.isolasi_mandiri) as isolasi_mandiri,
           coalesce(own.spesimen_diperiksa, kids.spesimen_diperiksa) as spesimen_diperiksa,
           coalesce(own.spesimen_positif, kids.spesimen_positif) as spesimen_positif
    from (select * from official where tingkat = 'kota') as own
    full join kecamatan_sums as kids using (kode_wilayah, tanggal)
),

figures as (
    select * exclude (kode_induk) from kelurahan_figures
    union all by name select * from kecamatan_figures
    union all by name select * from kota_figures
),

-- Every day from an area's first day of data to the last day of the dataset: a day without
-- any row counts as 0 new events.
spans as (
    select kode_wilayah, min(pertama) as pertama
    from (select kode_wilayah, min(tanggal) as pertama from figures group by kode_wilayah
          union all select kode_wilayah, pertama from covid_carried)
    group by kode_wilayah
),

last_day as (
    select max(h.tanggal) as terakhir
    from covid19_harian as h
    join areas as a using (kode_wilayah)
    where h.sumber_opd = $produsen
),

calendar as (
    select s.kode_wilayah, s.pertama,
           unnest(generate_series(greatest(s.pertama, $sejak::date - 6), least(last_day.terakhir, $sampai::date),
                                  interval 1 day))::date
               as tanggal
    from spans as s, last_day
),

daily as (
    select c.tanggal, c.kode_wilayah, p.tingkat, p.kode_induk, p.penduduk,
           (c.tanggal - c.pertama) + 1 as hari_ke,
           c.tanggal - greatest(c.pertama, $sejak::date - 6) as urutan,   -- 0 on the area's first row here
           f.kode_wilayah is not null as ada_data,
           f.kasus_baru, f.sembuh_baru, f.meninggal_baru, f.rawat_inap_baru, f.dirawat,
           f.isolasi_mandiri, f.spesimen_diperiksa, f.spesimen_positif,
           -- positivity pairs the two specimen columns day by day
           case when f.spesimen_positif is not null then f.spesimen_diperiksa end as diperiksa_berpasangan,
           case when f.spesimen_positif is not null then f.spesimen_positif end as positif_berpasangan,
           coalesce(k.kasus_kumulatif, 0) as kasus_awal, coalesce(k.sembuh_kumulatif, 0) as sembuh_awal,
           coalesce(k.meninggal_kumulatif, 0) as meninggal_awal
    from calendar as c
    join population as p using (kode_wilayah)
    left join figures as f using (kode_wilayah, tanggal)
    left join covid_carried as k using (kode_wilayah)
),

-- The cumulative and 7-day sums per area, without a window per area: PARTITION BY sorted and
-- aggregated each of the 12 sums on its own, most of a 16-year backfill's time. Instead the rows
-- are sorted once, in storage order (ordered), and read by windows with an empty OVER (), which
-- DuckDB streams in exactly that order (documented): one running sum per measure over all rows
-- (running). It restarts at each area because the area's first row also takes away the previous
-- area's total (previous_area); the 7-day sum is the running sum less its value 7 rows back
-- (every day of a span is a row, so 7 rows back is 7 days back).

-- An area's totals over its rows here: a day without a row adds nothing, so the figures suffice.
area_totals as (
    select kode_wilayah,
           sum(coalesce(kasus_baru, 0)) as kasus,
           sum(coalesce(sembuh_baru, 0)) as sembuh,
           sum(coalesce(meninggal_baru, 0)) as meninggal,
           sum(coalesce(rawat_inap_baru, 0)) as rawat_inap,
           count(kasus_baru) as n_kasus,
           count(meninggal_baru) as n_meninggal,
           count(rawat_inap_baru) as n_rawat_inap,
           sum(case when spesimen_positif is not null then coalesce(spesimen_diperiksa, 0) else 0 end) as diperiksa,
           sum(coalesce(spesimen_positif, 0)) as positif
    from figures
    group by kode_wilayah
),

-- Every area with rows here (a day in its calendar), numbered in storage order (parent, area).
areas_in_order as (
    select s.kode_wilayah, row_number() over (order by p.kode_induk, s.kode_wilayah) as urutan_area,
           coalesce(t.kasus, 0) as kasus, coalesce(t.sembuh, 0) as sembuh, coalesce(t.meninggal, 0) as meninggal,
           coalesce(t.rawat_inap, 0) as rawat_inap, coalesce(t.n_kasus, 0) as n_kasus,
           coalesce(t.n_meninggal, 0) as n_meninggal, coalesce(t.n_rawat_inap, 0) as n_rawat_inap,
           coalesce(t.diperiksa, 0) as diperiksa, coalesce(t.positif, 0) as positif
    from spans as s
    join population as p using (kode_wilayah)
    left join area_totals as t using (kode_wilayah)
    cross join last_day
    where greatest(s.pertama, $sejak::date - 6) <= least(last_day.terakhir, $sampai::date)
),

previous_area as (
    select kode_wilayah, urutan_area,
           coalesce(lag(kasus) over area_order, 0) as kasus_sebelumnya,
           coalesce(lag(sembuh) over area_order, 0) as sembuh_sebelumnya,
           coalesce(lag(meninggal) over area_order, 0) as meninggal_sebelumnya,
           coalesce(lag(rawat_inap) over area_order, 0) as rawat_inap_sebelumnya,
           coalesce(lag(n_kasus) over area_order, 0) as n_kasus_sebelumnya,
           coalesce(lag(n_meninggal) over area_order, 0) as n_meninggal_sebelumnya,
           coalesce(lag(n_rawat_inap) over area_order, 0) as n_rawat_inap_sebelumnya,
           coalesce(lag(diperiksa) over area_order, 0) as diperiksa_sebelumnya,
           coalesce(lag(positif) over area_order, 0) as positif_sebelumnya
    from areas_in_order
    window area_order as (order by urutan_area)
),

ordered as (
    select d.*,
           coalesce(kasus_baru, 0) - if(urutan = 0, kasus_sebelumnya, 0) as kasus_tambah,
           coalesce(sembuh_baru, 0) - if(urutan = 0, sembuh_sebelumnya, 0) as sembuh_tambah,
           coalesce(meninggal_baru, 0) - if(urutan = 0, meninggal_sebelumnya, 0) as meninggal_tambah,
           coalesce(rawat_inap_baru, 0) - if(urutan = 0, rawat_inap_sebelumnya, 0) as rawat_inap_tambah,
           (kasus_baru is not null)::int - if(urutan = 0, n_kasus_sebelumnya, 0) as n_kasus_tambah,
           (meninggal_baru is not null)::int - if(urutan = 0, n_meninggal_sebelumnya, 0) as n_meninggal_tambah,
           (rawat_inap_baru is not null)::int - if(urutan = 0, n_rawat_inap_sebelumnya, 0) as n_rawat_inap_tambah,
           coalesce(diperiksa_berpasangan, 0) - if(urutan = 0, diperiksa_sebelumnya, 0) as diperiksa_tambah,
           coalesce(positif_berpasangan, 0) - if(urutan = 0, positif_sebelumnya, 0) as positif_tambah
    from daily as d
    join previous_area as a using (kode_wilayah)
    order by a.urutan_area, d.tanggal
),

running as (
    select * exclude (kasus_tambah, sembuh_tambah, meninggal_tambah, rawat_inap_tambah, n_kasus_tambah,
                      n_meninggal_tambah, n_rawat_inap_tambah, diperiksa_tambah, positif_tambah),
           sum(kasus_tambah) over upto as kasus_upto,
           sum(sembuh_tambah) over upto as sembuh_upto,
           sum(meninggal_tambah) over upto as meninggal_upto,
           sum(rawat_inap_tambah) over upto as rawat_inap_upto,
           sum(n_kasus_tambah) over upto as n_kasus_upto,
           sum(n_meninggal_tambah) over upto as n_meninggal_upto,
           sum(n_rawat_inap_tambah) over upto as n_rawat_inap_upto,
           sum(diperiksa_tambah) over upto as diperiksa_upto,
           sum(positif_tambah) over upto as positif_upto
    from ordered
    window upto as (rows unbounded preceding)
),

windowed as (
    select *,
           (kasus_awal + kasus_upto)::bigint as kasus_kumulatif,
           (sembuh_awal + sembuh_upto)::bigint as sembuh_kumulatif,
           (meninggal_awal + meninggal_upto)::bigint as meninggal_kumulatif,
           (kasus_upto - if(urutan >= 7, lag(kasus_upto, 7) over back, 0))::bigint as kasus_7hari,
           (sembuh_upto - if(urutan >= 7, lag(sembuh_upto, 7) over back, 0))::bigint as sembuh_7hari,
           (meninggal_upto - if(urutan >= 7, lag(meninggal_upto, 7) over back, 0))::bigint as meninggal_7hari,
           (rawat_inap_upto - if(urutan >= 7, lag(rawat_inap_upto, 7) over back, 0))::bigint as rawat_inap_7hari,
           (n_kasus_upto - if(urutan >= 7, lag(n_kasus_upto, 7) over back, 0))::bigint as n_kasus_7hari,
           (n_meninggal_upto - if(urutan >= 7, lag(n_meninggal_upto, 7) over back, 0))::bigint as n_meninggal_7hari,
           (n_rawat_inap_upto - if(urutan >= 7, lag(n_rawat_inap_upto, 7) over back, 0))::bigint as n_rawat_inap_7hari,
           (diperiksa_upto - if(urutan >= 7, lag(diperiksa_upto, 7) over back, 0))::bigint as spesimen_diperiksa_7hari,
           (positif_upto - if(urutan >= 7, lag(positif_upto, 7) over back, 0))::bigint as spesimen_positif_7hari
    from running
    window back as ()
)

select tanggal, kode_wilayah, tingkat, kode_induk, penduduk, hari_ke, ada_data,
       kasus_baru, sembuh_baru, meninggal_baru, rawat_inap_baru, dirawat, isolasi_mandiri,
       spesimen_diperiksa, spesimen_positif,
       kasus_kumulatif, sembuh_kumulatif, meninggal_kumulatif,
       kasus_kumulatif - sembuh_kumulatif - meninggal_kumulatif as aktif,
       case when kasus_kumulatif > 0 then meninggal_kumulatif * 100.0 / kasus_kumulatif end as cfr_persen,
       case when hari_ke >= 7 then kasus_7hari end as kasus_7hari,
       case when hari_ke >= 7 then sembuh_7hari end as sembuh_7hari,
       case when hari_ke >= 7 then meninggal_7hari end as meninggal_7hari,
       case when hari_ke >= 7 and n_rawat_inap_7hari > 0 then rawat_inap_7hari end as rawat_inap_7hari,
       case when hari_ke >= 7 then kasus_7hari / 7.0 end as kasus_rerata_7hari,
       case when hari_ke >= 7 and n_kasus_7hari > 0 and penduduk > 0
            then kasus_7hari * 100000.0 / penduduk end as kasus_7hari_per_100rb,
       case when hari_ke >= 7 and n_rawat_inap_7hari > 0 and penduduk > 0
            then rawat_inap_7hari * 100000.0 / penduduk end as rawat_inap_7hari_per_100rb,
       case when hari_ke >= 7 and n_meninggal_7hari > 0 and penduduk > 0
            then meninggal_7hari * 100000.0 / penduduk end as meninggal_7hari_per_100rb,
       case when hari_ke >= 7 and spesimen_diperiksa_7hari > 0
            then spesimen_positif_7hari * 100.0 / spesimen_diperiksa_7hari end as positivity_7hari_persen
from windowed
-- (rows leave in storage order: each area's days, and the children of one parent, sit together)
where tanggal >= $sejak
