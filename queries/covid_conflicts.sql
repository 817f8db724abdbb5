-- Figures another sender gives for an area and day that differ from the official (rolled-up) figure:
-- the simple check used when warroom.conflicts is not available.
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
)

select kode_wilayah, tanggal, kolom, sumber_opd, upload_id,
       nilai[1] as nilai_pengirim, nilai[2] as nilai_resmi
from pairs
where nilai[1] is not null and nilai[1] is distinct from nilai[2]
order by tanggal, kode_wilayah, kolom, sumber_opd
