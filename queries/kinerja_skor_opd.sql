-- Score of every agency for every month from the first to the last month with data:
-- the mean of its indicators' capaian, each capped at 120 and floored at 0, over the rows
-- that enter the month (monthly rows; quarterly rows in the quarter's last month; yearly rows
-- in December). Not available (null) when none of them is reported; trend against the month before.
with official as (
    select *
    from kinerja_opd
    qualify row_number() over (
        partition by kode_indikator, periode order by (sumber_opd = kode_opd) desc, sumber_opd) = 1
),

capaian as (
    select
        kode_opd,
        case
            when periode like '____-Q_' then left(periode, 4) || '-' || lpad((3 * right(periode, 1)::int)::varchar, 2, '0')
            when length(periode) = 4 then periode || '-12'
            else periode
        end as bulan,
        case
            when realisasi is null or target = 0 then null
            when arah = 'naik' then round(realisasi * 100 / target, 9)
            else round((2 * target - realisasi) * 100 / target, 9)
        end as capaian_persen
    from official
),

per_month as (
    select
        kode_opd, bulan,
        count(*) as n_indikator,
        count(capaian_persen) as n_tersedia,
        -- DuckDB's least/greatest skip nulls: keep an unreported indicator out of the mean, not at 0
        round(avg(case when capaian_persen is not null then least(greatest(capaian_persen, 0), 120) end), 9) as skor
    from capaian
    group by kode_opd, bulan
),

months as (
    select strftime(m, '%Y-%m') as bulan
    from generate_series(
        (select min(bulan) || '-01' from capaian)::date,
        (select max(bulan) || '-01' from capaian)::date,
        interval 1 month) as t(m)
),

grid as (
    select agencies.kode_opd, months.bulan,
        coalesce(per_month.n_indikator, 0) as n_indikator,
        coalesce(per_month.n_tersedia, 0) as n_tersedia,
        per_month.skor
    from (select distinct kode_opd from capaian) as agencies
    cross join months
    left join per_month using (kode_opd, bulan)
),

with_trend as (
    select *,
        lag(skor) over (partition by kode_opd order by bulan) as skor_sebelumnya
    from grid
)

select
    kode_opd, opd.nama_opd, coalesce(opd.singkatan, kode_opd) as singkatan, bulan, n_indikator, n_tersedia, skor,
    case
        -- read from the figure as published (2 decimals, half away from zero), so 109.995 shows as 110.00 sangat_baik
        when skor is null then null
        when round(skor::decimal(38, 9), 2) >= $sangat_baik then 'sangat_baik'
        when round(skor::decimal(38, 9), 2) >= $baik then 'baik'
        when round(skor::decimal(38, 9), 2) >= $cukup then 'cukup'
        when round(skor::decimal(38, 9), 2) >= $kurang then 'kurang'
        else 'sangat_kurang'
    end as kategori,
    skor_sebelumnya,
    round(skor - skor_sebelumnya, 9) as selisih,
    case
        when skor is null or skor_sebelumnya is null then null
        when round(skor - skor_sebelumnya, 2) > 0 then 'naik'
        when round(skor - skor_sebelumnya, 2) < 0 then 'turun'
        else 'tetap'
    end as tren,
    case when skor is not null then rank() over (partition by bulan, skor is null order by skor desc) end as peringkat
from with_trend
left join opd using (kode_opd)
order by bulan, skor desc nulls last, kode_opd
