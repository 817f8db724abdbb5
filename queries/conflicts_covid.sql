-- Every covid19_harian figure where senders disagree, or where a producer's own row
-- differs from the sum of its rows for the child areas. A figure of an area and day is
-- the sender's own row, else the sum of its figures for the child areas (recursively,
-- kelurahan -> kecamatan -> kota -> provinsi). Sender pairs are compared when at least
-- one side is an own row (a difference between two sums is already listed lower down).
with long as (
    select c.tanggal, c.kode_wilayah as area, w.tingkat, c.sumber_opd, c.upload_id, u.kolom, u.nilai
    from covid19_harian c
    join wilayah w using (kode_wilayah)
    cross join lateral (
        select * from (values
            ('kasus_baru', c.kasus_baru), ('sembuh_baru', c.sembuh_baru), ('meninggal_baru', c.meninggal_baru),
            ('rawat_inap_baru', c.rawat_inap_baru), ('dirawat', c.dirawat), ('isolasi_mandiri', c.isolasi_mandiri),
            ('spesimen_diperiksa', c.spesimen_diperiksa), ('spesimen_positif', c.spesimen_positif)
        ) v(kolom, nilai)
    ) u
    where u.nilai is not null
),
own as (
    select area, tingkat, tanggal, sumber_opd, kolom, nilai, [upload_id] as uploads, 'baris' as asal from long
),
sum_kecamatan as (
    select w.kode_induk as area, f.tanggal, f.sumber_opd, f.kolom, sum(f.nilai) as nilai,
           list_distinct(flatten(list(f.uploads))) as uploads
    from own f join wilayah w on w.kode_wilayah = f.area
    where f.tingkat = 'kelurahan' group by all
),
fig_kecamatan as (
    select area, tanggal, sumber_opd, kolom, nilai, uploads, asal from own where tingkat = 'kecamatan'
    union all
    select s.area, s.tanggal, s.sumber_opd, s.kolom, s.nilai, s.uploads, 'jumlah' from sum_kecamatan s
    anti join own o on o.area = s.area and o.tanggal = s.tanggal and o.sumber_opd = s.sumber_opd and o.kolom = s.kolom
),
sum_kota as (
    select w.kode_induk as area, f.tanggal, f.sumber_opd, f.kolom, sum(f.nilai) as nilai,
           list_distinct(flatten(list(f.uploads))) as uploads
    from fig_kecamatan f join wilayah w on w.kode_wilayah = f.area group by all
),
fig_kota as (
    select area, tanggal, sumber_opd, kolom, nilai, uploads, asal from own where tingkat = 'kota'
    union all
    select s.area, s.tanggal, s.sumber_opd, s.kolom, s.nilai, s.uploads, 'jumlah' from sum_kota s
    anti join own o on o.area = s.area and o.tanggal = s.tanggal and o.sumber_opd = s.sumber_opd and o.kolom = s.kolom
),
sum_provinsi as (
    select w.kode_induk as area, f.tanggal, f.sumber_opd, f.kolom, sum(f.nilai) as nilai,
           list_distinct(flatten(list(f.uploads))) as uploads
    from fig_kota f join wilayah w on w.kode_wilayah = f.area group by all
),
fig_provinsi as (
    select area, tanggal, sumber_opd, kolom, nilai, uploads, asal from own where tingkat = 'provinsi'
    union all
    select s.area, s.tanggal, s.sumber_opd, s.kolom, s.nilai, s.uploads, 'jumlah' from sum_provinsi s
    anti join own o on o.area = s.area and o.tanggal = s.tanggal and o.sumber_opd = s.sumber_opd and o.kolom = s.kolom
),
figures as (
    select area, tanggal, sumber_opd, kolom, nilai, uploads, asal from own where tingkat = 'kelurahan'
    union all select * from fig_kecamatan
    union all select * from fig_kota
    union all select * from fig_provinsi
),
child_sums as (
    select * from sum_kecamatan union all select * from sum_kota union all select * from sum_provinsi
),
between_senders as (
    select 'antar_pengirim' as jenis, s.area as kode_wilayah, s.tanggal, s.kolom,
           s.sumber_opd, s.nilai, s.asal, p.sumber_opd as sumber_resmi, p.nilai as nilai_resmi, p.asal as asal_resmi,
           list_sort(list_distinct(s.uploads || p.uploads)) as uploads
    from figures s
    join figures p on p.area = s.area and p.tanggal = s.tanggal and p.kolom = s.kolom and p.sumber_opd = $producer
    where s.sumber_opd <> $producer and s.nilai <> p.nilai and (s.asal = 'baris' or p.asal = 'baris')
),
parent_vs_children as (
    select 'induk_anak' as jenis, o.area as kode_wilayah, o.tanggal, o.kolom,
           o.sumber_opd, c.nilai, 'jumlah' as asal, o.sumber_opd as sumber_resmi, o.nilai as nilai_resmi,
           'baris' as asal_resmi, list_sort(list_distinct(o.uploads || c.uploads)) as uploads
    from own o
    join child_sums c on c.area = o.area and c.tanggal = o.tanggal and c.sumber_opd = o.sumber_opd and c.kolom = o.kolom
    where o.sumber_opd = $producer and o.nilai <> c.nilai
)
select * from between_senders
union all
select * from parent_vs_children
order by tanggal, kode_wilayah, kolom, jenis, sumber_opd
