-- Cameras by the status their producer (DISHUB) reports: the share online.
select count(*) as jumlah,
       count(*) filter (where status = 'online') as online,
       count(*) filter (where status = 'offline') as offline,
       count(*) filter (where status = 'rusak') as rusak,
       count(*) filter (where status = 'pemeliharaan') as pemeliharaan
from cctv
where sumber_opd = $produsen
