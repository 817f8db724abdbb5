-- One area's official daily figures and derived measures between two dates.
select d.*, w.nama
from covid19_wilayah_harian as d
join wilayah as w using (kode_wilayah)
where d.kode_wilayah = $kode and d.tanggal between $dari and $sampai
order by d.tanggal
