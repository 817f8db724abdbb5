-- When each point dataset of the map was last changed by an accepted upload.
select dataset, max(created_at) as terakhir
from uploads
where status = 'accepted' and dataset in ('cctv', 'menara_bts', 'fasyankes')
group by dataset
