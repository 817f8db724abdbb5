-- The audit log, newest first, in the city's local time; every filter is optional ('' / null = all).
with entries as (
    select
        audit_id,
        occurred_at at time zone $tz as waktu,
        username,
        action,
        detail
    from audit_log
)

select audit_id, waktu, username, action, detail
from entries
where ($actions = '' or list_contains(string_split($actions, ','), action))
  and ($username = '' or (username = $username) or (not $exact and lower(username) like '%' || lower($username) || '%'))
  and ($date_from is null or waktu::date >= $date_from)
  and ($date_to is null or waktu::date <= $date_to)
order by audit_id desc
limit $limit
