-- Each registered camera with its measured status (live/stale/dark, or unknown/link) and its
-- uptime over 24 hours and 7 days, from the recorded checks. A check stands for the time
-- until the next check, at most $valid_s seconds; uptime = time ok / time covered by checks.
-- Same status rule as warroom.cctv.measured_status.
with recent as (
    select kode_cctv, checked_at, ok, latency_ms, error,
           lead(checked_at) over (partition by kode_cctv order by checked_at) as next_at
    from cctv_checks
    where checked_at > $now::timestamptz - interval 7 day - to_seconds($valid_s::double)
      and checked_at <= $now::timestamptz
),
spans as (
    select kode_cctv, ok, checked_at,
           least(coalesce(next_at, $now::timestamptz), checked_at + to_seconds($valid_s::double),
                 $now::timestamptz) as until_at
    from recent
),
covered as (
    select kode_cctv, ok,
           greatest(0, epoch(until_at) - epoch(greatest(checked_at, $now::timestamptz - interval 24 hour))) as s_24h,
           greatest(0, epoch(until_at) - epoch(greatest(checked_at, $now::timestamptz - interval 7 day))) as s_7d
    from spans
),
uptime as (
    select kode_cctv,
           100 * coalesce(sum(s_24h) filter (where ok), 0) / nullif(sum(s_24h), 0) as uptime_24h,
           100 * coalesce(sum(s_7d) filter (where ok), 0) / nullif(sum(s_7d), 0) as uptime_7d
    from covered
    group by kode_cctv
),
latest as (
    select kode_cctv,
           max(checked_at) as last_check_at,
           arg_max(ok, checked_at) as last_ok,
           arg_max(error, checked_at) as last_error,
           arg_max(latency_ms, checked_at) as latency_ms,
           max(checked_at) filter (where ok) as last_ok_at
    from recent
    group by kode_cctv
),
kecamatan as (
    select kode_wilayah, any_value(nama) as nama
    from wilayah
    where tingkat = 'kecamatan'
    group by kode_wilayah
),
cameras as (
    select c.kode_cctv, c.nama_lokasi, c.kode_wilayah, k.kode_wilayah as kode_kecamatan,
           k.nama as kecamatan, c.latitude, c.longitude, c.status as status_opd, c.terakhir_aktif,
           c.sumber_opd,
           regexp_matches(coalesce(c.url_stream, ''), '^https?://', 'i')
               and not regexp_matches(c.url_stream, '\.m3u8($|\?)', 'i') as fetched,
           -- user name and password never leave the server
           regexp_replace(c.url_stream, '^([a-zA-Z]+://)[^/@]*@', '\1') as link
    from cctv c
    left join kecamatan k on k.kode_wilayah = left(c.kode_wilayah, 8)
)
select c.kode_cctv, c.nama_lokasi, c.kode_wilayah, c.kode_kecamatan, c.kecamatan, c.latitude, c.longitude,
       c.status_opd, c.terakhir_aktif, c.fetched,
       case when c.fetched then null else c.link end as link,
       l.last_check_at, l.last_ok, l.last_ok_at, l.last_error, l.latency_ms,
       u.uptime_24h, u.uptime_7d,
       case
           when not c.fetched then 'link'
           when l.last_check_at is null then 'unknown'
           when l.last_ok_at is null
                or epoch($now::timestamptz) - epoch(l.last_ok_at) > $dark_s then 'dark'
           when l.last_ok and epoch($now::timestamptz) - epoch(l.last_check_at) <= $live_s then 'live'
           else 'stale'
       end as measured_status
from cameras c
left join latest l using (kode_cctv)
left join uptime u using (kode_cctv)
order by c.kode_cctv
