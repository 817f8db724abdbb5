-- How many audit entries match the same filters as audit_log.sql.
with entries as (
    select occurred_at at time zone $tz as waktu, username, action
    from audit_log
)

select count(*) as n
from entries
where ($actions = '' or list_contains(string_split($actions, ','), action))
  and ($username = '' or (username = $username) or (not $exact and lower(username) like '%' || lower($username) || '%'))
  and ($date_from is null or waktu::date >= $date_from)
  and ($date_to is null or waktu::date <= $date_to)
