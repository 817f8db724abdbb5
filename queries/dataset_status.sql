-- One row per dataset: stored rows, newest data date (by the data's own date) and the last accepted upload.
with stored as (
    select 'wilayah' as dataset, count(*) as baris, null::varchar as data_terbaru from wilayah
    union all select 'opd', count(*), null from opd
    union all select 'covid19_harian', count(*), max(tanggal)::varchar from covid19_harian
    -- newest reported month: a quarter counts as its last month, a year as December ('2026-Q3' sorts after '2026-10' as text)
    union all select 'kinerja_opd', count(*), max(case when periode like '____-Q_'
        then left(periode, 4) || '-' || lpad((3 * right(periode, 1)::int)::varchar, 2, '0')
        when length(periode) = 4 then periode || '-12' else periode end) filter (where realisasi is not null) from kinerja_opd
    union all select 'cctv', count(*), max(terakhir_aktif)::date::varchar from cctv
    union all select 'menara_bts', count(*), null from menara_bts
    union all select 'fasyankes', count(*), max(tanggal)::varchar from fasyankes
    union all select 'aplikasi', count(*), max(tanggal_cek)::varchar from aplikasi
),

last_upload as (
    select
        dataset,
        max(created_at) as unggahan_terakhir,
        arg_max(username, created_at) as oleh,
        arg_max(kode_opd, created_at) as opd_pengirim
    from uploads
    -- a file sent again unchanged is a delivery too: the data is current as of then
    where status in ('accepted', 'unchanged')
    group by dataset
)

select stored.dataset, stored.baris, stored.data_terbaru,
       last_upload.unggahan_terakhir, last_upload.oleh, last_upload.opd_pengirim
from stored
left join last_upload using (dataset)
