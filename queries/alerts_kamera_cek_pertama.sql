-- Each camera's first recorded check in the last 7 days: how long a camera that never
-- answered has been dark (kamera_gelap alert).
select kode_cctv, min(checked_at) as first_check_at
from cctv_checks
where checked_at > $now::timestamptz - interval 7 day and checked_at <= $now::timestamptz
group by kode_cctv
