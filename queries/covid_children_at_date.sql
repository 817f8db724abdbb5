-- Every child area of an area on one day, with the 7-day cases of the week before (for the trend).
with today as (
    select * from covid19_wilayah_harian where kode_induk = $kode and tanggal = $tanggal::date
),

week_before as (
    select kode_wilayah, kasus_7hari as kasus_7hari_sebelumnya
    from covid19_wilayah_harian
    where kode_induk = $kode and tanggal = $tanggal::date - 7
)

select w.kode_wilayah, w.nama, w.tingkat, w.penduduk as penduduk_referensi, t.tanggal, t.penduduk,
       t.kasus_baru, t.aktif, t.kasus_7hari, t.rawat_inap_7hari, t.meninggal_7hari,
       t.kasus_7hari_per_100rb, t.rawat_inap_7hari_per_100rb, t.meninggal_7hari_per_100rb,
       t.positivity_7hari_persen, b.kasus_7hari_sebelumnya
from wilayah as w
left join today as t using (kode_wilayah)
left join week_before as b using (kode_wilayah)
where w.kode_induk = $kode
order by w.kode_wilayah
