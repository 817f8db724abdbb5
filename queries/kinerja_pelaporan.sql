-- Reporting status of every agency for the month $bulan: which of its indicators were due
-- (monthly indicators seen in the 12 months up to $bulan; quarterly ones when $bulan ends a
-- quarter; yearly ones in December), which are not reported (no row, or empty realisasi) and
-- how many days past the due date $jatuh_tempo they are on $hari_ini.
with official as (
    select *,
        case when periode like '____-Q_' then 'Q' when length(periode) = 4 then 'Y' else 'M' end as jenis_periode,
        case
            when periode like '____-Q_' then left(periode, 4) || '-' || lpad((3 * right(periode, 1)::int)::varchar, 2, '0')
            when length(periode) = 4 then periode || '-12'
            else periode
        end as bulan
    from kinerja_opd
    qualify row_number() over (
        partition by kode_indikator, periode order by (sumber_opd = kode_opd) desc, sumber_opd) = 1
),

month_of_report as (
    select
        $bulan as bulan,
        strftime(($bulan::varchar || '-01')::date - interval 12 month, '%Y-%m') as dari_bulan,
        right($bulan, 2)::int as nomor_bulan
),

-- the period an indicator of each kind reports for this month, if any
period_for_kind as (
    select 'M' as jenis_periode, bulan as periode from month_of_report
    union all
    select 'Q', left(bulan, 4) || '-Q' || (nomor_bulan // 3) from month_of_report where nomor_bulan % 3 = 0
    union all
    select 'Y', left(bulan, 4) from month_of_report where nomor_bulan = 12
),

due as (
    select distinct official.kode_opd, official.kode_indikator, period_for_kind.periode
    from official
    join period_for_kind using (jenis_periode)
    cross join month_of_report
    where official.bulan between month_of_report.dari_bulan and month_of_report.bulan
),

status as (
    select due.kode_opd, due.kode_indikator, due.periode,
        official.realisasi is not null as dilaporkan
    from due
    left join official using (kode_indikator, periode)
)

select
    kode_opd, opd.nama_opd, coalesce(opd.singkatan, kode_opd) as singkatan,
    count(*) as n_wajib,
    count(*) filter (where dilaporkan) as n_dilaporkan,
    count(*) filter (where not dilaporkan) as n_belum,
    string_agg(kode_indikator, ', ' order by kode_indikator) filter (where not dilaporkan) as indikator_belum,
    $jatuh_tempo::date as jatuh_tempo,
    case when count(*) filter (where not dilaporkan) > 0
         then greatest(date_diff('day', $jatuh_tempo::date, $hari_ini::date), 0) end as hari_lewat
from status
left join opd using (kode_opd)
group by kode_opd, opd.nama_opd, opd.singkatan
order by n_belum = 0, hari_lewat desc nulls last, n_belum desc, kode_opd
