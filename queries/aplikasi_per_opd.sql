-- Apps per agency: how many, by status, how many need attention and the mean availability
-- of the active ones (null when none of them reports it).
with official as (
    select *
    from aplikasi
    qualify row_number() over (
        partition by kode_aplikasi order by (sumber_opd = 'DISKOMINFO') desc, sumber_opd) = 1
)

select
    kode_opd, opd.nama_opd,
    count(*) as n_aplikasi,
    count(*) filter (where status = 'aktif') as n_aktif,
    count(*) filter (where status = 'nonaktif') as n_nonaktif,
    count(*) filter (where status = 'pengembangan') as n_pengembangan,
    count(*) filter (where status = 'nonaktif'
                     or (status = 'aktif' and ketersediaan_persen < $ketersediaan_min)) as n_perlu_perhatian,
    round(avg(ketersediaan_persen) filter (where status = 'aktif'), 9) as rata_ketersediaan
from official
left join opd using (kode_opd)
group by kode_opd, opd.nama_opd
order by n_perlu_perhatian desc, kode_opd
