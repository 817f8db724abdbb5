-- The city's areas as rows of the Covid-19 grid (warroom/covid_grid.py), in storage order (each
-- parent's children together), with the population the per-100k rates divide by.
-- $kota: the city code.
with areas as (
    select kode_wilayah, tingkat, kode_induk, penduduk
    from wilayah
    where kode_wilayah = $kota or starts_with(kode_wilayah, $kota || '.')
),

-- An area's population is its own, else the sum of its children's when every child has one.
kelurahan_population as (
    select kode_wilayah, kode_induk, penduduk from areas where tingkat = 'kelurahan'
),

kecamatan_population as (
    select kec.kode_wilayah, kec.kode_induk,
           coalesce(kec.penduduk,
                    case when count(kel.kode_wilayah) > 0 and count(kel.kode_wilayah) = count(kel.penduduk)
                         then sum(kel.penduduk) end) as penduduk
    from areas as kec
    left join kelurahan_population as kel on kel.kode_induk = kec.kode_wilayah
    where kec.tingkat = 'kecamatan'
    group by kec.kode_wilayah, kec.kode_induk, kec.penduduk
),

kota_population as (
    select kota.kode_wilayah, kota.kode_induk,
           coalesce(kota.penduduk,
                    case when count(kec.kode_wilayah) > 0 and count(kec.kode_wilayah) = count(kec.penduduk)
                         then sum(kec.penduduk) end) as penduduk
    from areas as kota
    left join kecamatan_population as kec on kec.kode_induk = kota.kode_wilayah
    where kota.tingkat = 'kota'
    group by kota.kode_wilayah, kota.kode_induk, kota.penduduk
)

select kode_wilayah, 'kelurahan' as tingkat, kode_induk, penduduk::bigint as penduduk from kelurahan_population
union all select kode_wilayah, 'kecamatan', kode_induk, penduduk::bigint from kecamatan_population
union all select kode_wilayah, 'kota', kode_induk, penduduk::bigint from kota_population
order by kode_induk, kode_wilayah
