-- Who sent rows for a parent region's code (context series), most rows first, with the files.
select h.sumber_opd, count(*) as baris, min(h.tanggal) as pertama, max(h.tanggal) as terakhir,
       string_agg(distinct u.file_name, ', ' order by u.file_name) as berkas
from covid19_harian as h
left join uploads as u using (upload_id)
where h.kode_wilayah = $kode
group by h.sumber_opd
order by baris desc, h.sumber_opd
