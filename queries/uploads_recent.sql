-- The upload log, newest first: who sent what, when, and what became of it.
select upload_id, dataset, kode_opd, username, created_at, file_name, status,
       rows_total, rows_inserted, rows_updated, rows_unchanged, is_demo,
       rolled_back_at, rolled_back_by, sha256
from uploads
where ($dataset is null or dataset = $dataset)
order by upload_id desc
limit $limit
