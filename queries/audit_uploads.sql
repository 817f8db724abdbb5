-- Uploads, newest first, in the city's local time; optionally one user's only ('' = everyone).
select
    upload_id,
    created_at at time zone $tz as waktu,
    dataset,
    kode_opd,
    username,
    file_name,
    rows_total,
    rows_inserted,
    rows_updated,
    rows_unchanged,
    status,
    rolled_back_at at time zone $tz as dibatalkan,
    rolled_back_by
from uploads
where $username = '' or username = $username
order by upload_id desc
limit $limit
