-- Saved wall playlists: the /layar URL parameters each name stands for.
select name, query_string, created_by, created_at
from wall_playlists
order by name
