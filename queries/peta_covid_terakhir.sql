-- The newest date of the producer's Covid rows (the map opens on it).
select max(tanggal) as tanggal from covid19_harian where sumber_opd = $produsen
