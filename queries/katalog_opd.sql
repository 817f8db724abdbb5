-- The agencies of the reference table, by code.
select kode_opd, nama_opd, singkatan
from opd
order by kode_opd
