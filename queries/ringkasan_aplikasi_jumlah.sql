-- How many Smart City apps are in service (status aktif) of all registered.
select count(*) as jumlah, count(*) filter (where status = 'aktif') as aktif
from aplikasi
where sumber_opd = $produsen
