-- Smart City apps that are down: switched off, or in service with availability under the minimum.
select a.kode_aplikasi, a.nama_aplikasi, a.kode_opd, coalesce(o.singkatan, a.kode_opd) as opd,
       a.status, a.ketersediaan_persen, a.tanggal_cek
from aplikasi as a
left join opd as o using (kode_opd)
where a.sumber_opd = $produsen
  and (a.status = 'nonaktif' or (a.status = 'aktif' and a.ketersediaan_persen < $minimum))
order by a.status desc, a.ketersediaan_persen, a.nama_aplikasi
