-- The weekly rates behind the transmission level of the city and each kecamatan on the
-- latest day of the Covid table and $hari days before (covid_level_naik alert).
with last_day as (
    select max(tanggal) as tanggal from covid19_wilayah_harian where kode_wilayah = $kota
),

areas as (
    select kode_wilayah, any_value(nama) as nama, any_value(tingkat) as tingkat
    from wilayah
    where kode_wilayah = $kota or (tingkat = 'kecamatan' and starts_with(kode_wilayah, $kota || '.'))
    group by kode_wilayah
)

select areas.kode_wilayah, areas.nama, areas.tingkat, now_row.tanggal,
       now_row.kasus_7hari_per_100rb, now_row.rawat_inap_7hari_per_100rb, now_row.meninggal_7hari_per_100rb,
       before_row.kasus_7hari_per_100rb as kasus_sebelum, before_row.rawat_inap_7hari_per_100rb as rawat_inap_sebelum,
       before_row.meninggal_7hari_per_100rb as meninggal_sebelum
from areas
join covid19_wilayah_harian as now_row on now_row.kode_wilayah = areas.kode_wilayah
join last_day on now_row.tanggal = last_day.tanggal
left join covid19_wilayah_harian as before_row
  on before_row.kode_wilayah = areas.kode_wilayah and before_row.tanggal = last_day.tanggal - $hari::integer
order by areas.kode_wilayah
