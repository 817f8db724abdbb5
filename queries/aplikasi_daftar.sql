-- The Smart City app registry, worst first: apps that are down (nonaktif) or active but
-- below the availability minimum $ketersediaan_min are flagged. The producer's (DISKOMINFO) row wins.
with official as (
    select *
    from aplikasi
    qualify row_number() over (
        partition by kode_aplikasi order by (sumber_opd = 'DISKOMINFO') desc, sumber_opd) = 1
)

select
    kode_aplikasi, nama_aplikasi, kode_opd, opd.nama_opd, url, status, tanggal_cek, ketersediaan_persen,
    case
        when status = 'nonaktif' then 'mati'
        when status = 'aktif' and ketersediaan_persen < $ketersediaan_min then 'di_bawah_minimum'
    end as peringatan
from official
left join opd using (kode_opd)
order by case peringatan when 'mati' then 0 when 'di_bawah_minimum' then 1 else 2 end, kode_opd, nama_aplikasi
