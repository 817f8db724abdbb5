-- The daily figures of every child area (kecamatan of the city, kelurahan of a kecamatan) between two dates.
select d.tanggal, d.kode_wilayah, w.nama, d.tingkat, d.penduduk, d.hari_ke, d.kasus_baru,
       d.kasus_rerata_7hari, d.kasus_7hari, d.rawat_inap_7hari, d.meninggal_7hari, d.aktif,
       d.kasus_7hari_per_100rb, d.rawat_inap_7hari_per_100rb, d.meninggal_7hari_per_100rb,
       d.positivity_7hari_persen
from covid19_wilayah_harian as d
join wilayah as w using (kode_wilayah)
where d.kode_induk = $kode and d.tanggal between $dari and $sampai
order by w.nama, d.tanggal
