-- A context region's population and its source.
select penduduk, tahun_penduduk, sumber_penduduk from wilayah where kode_wilayah = $kode
