-- Figures another sender gives for an area and day that differ from the official (rolled-up) figure,
-- still open: a resolution in conflict_resolutions (key covid19_harian|date|area|column|sender|u<ids>,
-- as warroom.conflicts writes it) closes it while the sender's upload is among the key's uploads.
with senders as (
    select * from covid19_harian
    where sumber_opd <> $produsen
      and (kode_wilayah = $kode or starts_with(kode_wilayah, $kode || '.'))
      and tanggal between $dari and $sampai
),

pairs as (
    unpivot (
        select s.kode_wilayah, s.tanggal, s.sumber_opd, s.upload_id,
               [s.kasus_baru, o.kasus_baru] as kasus_baru, [s.sembuh_baru, o.sembuh_baru] as sembuh_baru,
               [s.meninggal_baru, o.meninggal_baru] as meninggal_baru,
               [s.rawat_inap_baru, o.rawat_inap_baru] as rawat_inap_baru, [s.dirawat, o.dirawat] as dirawat,
               [s.isolasi_mandiri, o.isolasi_mandiri] as isolasi_mandiri,
               [s.spesimen_diperiksa, o.spesimen_diperiksa] as spesimen_diperiksa,
               [s.spesimen_positif, o.spesimen_positif] as spesimen_positif
        from senders as s
        left join covid19_wilayah_harian as o using (kode_wilayah, tanggal)
    ) on columns(* exclude (kode_wilayah, tanggal, sumber_opd, upload_id))
    into name kolom value nilai
),

differences as (
    select kode_wilayah, tanggal, kolom, sumber_opd, upload_id,
           nilai[1] as nilai_pengirim, nilai[2] as nilai_resmi
    from pairs
    where nilai[1] is not null and nilai[1] is distinct from nilai[2]
),

resolved as (
    select split_part(conflict_key, '|', 2) as tanggal, split_part(conflict_key, '|', 3) as kode_wilayah,
           split_part(conflict_key, '|', 4) as kolom, split_part(conflict_key, '|', 5) as sumber_opd,
           string_split(ltrim(split_part(conflict_key, '|', 6), 'u'), '-') as uploads
    from conflict_resolutions
    where dataset = 'covid19_harian'
)

select d.*
from differences as d
where not exists (
    select 1 from resolved as r
    where r.tanggal = d.tanggal::varchar and r.kode_wilayah = d.kode_wilayah and r.kolom = d.kolom
      and r.sumber_opd = d.sumber_opd and list_contains(r.uploads, d.upload_id::varchar)
)
order by tanggal, kode_wilayah, kolom, sumber_opd
