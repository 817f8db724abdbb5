-- The kinds of entries the audit log holds, most frequent first.
select action, count(*) as n
from audit_log
group by action
order by n desc, action
