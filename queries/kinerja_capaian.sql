-- Capaian (achievement, %) of every indicator and period, and its band (kategori).
-- The owner's row is the official one; another sender's row counts only when the owner sent none.
-- Each row's own arah decides its formula (rows that disagree are listed by kinerja_masalah_data).
-- bulan = the month whose score the row enters: a quarter's last month, a year's December.
with official as (
    select *
    from kinerja_opd
    qualify row_number() over (
        partition by kode_indikator, periode order by (sumber_opd = kode_opd) desc, sumber_opd) = 1
),

capaian as (
    select
        kode_opd, kode_indikator, nama_indikator, satuan, arah, periode,
        case when periode like '____-Q_' then 'Q' when length(periode) = 4 then 'Y' else 'M' end as jenis_periode,
        case
            when periode like '____-Q_' then left(periode, 4) || '-' || lpad((3 * right(periode, 1)::int)::varchar, 2, '0')
            when length(periode) = 4 then periode || '-12'
            else periode
        end as bulan,
        target, realisasi,
        -- multiply before dividing and drop float noise so 110 stays 110 at the band edge
        case
            when realisasi is null or target = 0 then null
            when arah = 'naik' then round(realisasi * 100 / target, 9)
            else round((2 * target - realisasi) * 100 / target, 9)
        end as capaian_persen,
        sumber_opd, upload_id
    from official
)

select
    capaian.*,
    opd.nama_opd,
    case
        -- read from the figure as published (2 decimals, half away from zero), so 109.995 shows as 110.00 sangat_baik
        when capaian_persen is null then null
        when round(capaian_persen::decimal(38, 9), 2) >= $sangat_baik then 'sangat_baik'
        when round(capaian_persen::decimal(38, 9), 2) >= $baik then 'baik'
        when round(capaian_persen::decimal(38, 9), 2) >= $cukup then 'cukup'
        when round(capaian_persen::decimal(38, 9), 2) >= $kurang then 'kurang'
        else 'sangat_kurang'
    end as kategori
from capaian
left join opd using (kode_opd)
order by kode_opd, kode_indikator, bulan, periode
