-- Indicators whose rows disagree across periods (or senders) on arah, satuan, the owning
-- agency or the kind of period: one row per value seen, so both sides of the disagreement show.
with seen as (
    select kode_indikator, 'arah' as kolom, arah as nilai, periode, sumber_opd from kinerja_opd
    union all
    select kode_indikator, 'satuan', satuan, periode, sumber_opd from kinerja_opd
    union all
    select kode_indikator, 'kode_opd', kode_opd, periode, sumber_opd from kinerja_opd
    union all
    select kode_indikator, 'jenis_periode',
        case when periode like '____-Q_' then 'Q' when length(periode) = 4 then 'Y' else 'M' end,
        periode, sumber_opd
    from kinerja_opd
),

per_value as (
    select kode_indikator, kolom, nilai,
        count(*) as baris,
        min(periode) as periode_pertama,
        max(periode) as periode_terakhir,
        string_agg(distinct sumber_opd, ', ' order by sumber_opd) as pengirim
    from seen
    group by kode_indikator, kolom, nilai
),

disagreeing as (
    select kode_indikator, kolom
    from per_value
    group by kode_indikator, kolom
    having count(*) > 1
)

select per_value.*
from per_value
join disagreeing using (kode_indikator, kolom)
order by kode_indikator, kolom, periode_pertama, nilai
