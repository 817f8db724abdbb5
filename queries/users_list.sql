-- Accounts for the admin page; never the password hash.
select
    username,
    role,
    kode_opd,
    disabled,
    case when locked_until > $now then locked_until at time zone $tz end as terkunci_sampai,
    created_at at time zone $tz as dibuat
from users
order by role, username
