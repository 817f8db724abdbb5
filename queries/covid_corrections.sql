-- Source corrections (daily counts derived from a falling cumulative total, flagged koreksi) of
-- the producer in an area or any area below it, summed per day: drawn on the daily chart.
select tanggal, sum(kasus_baru) as kasus_baru, sum(sembuh_baru) as sembuh_baru,
       sum(meninggal_baru) as meninggal_baru, count(*) as baris
from covid19_harian
where koreksi and sumber_opd = $produsen
  and (kode_wilayah = $kode or starts_with(kode_wilayah, $kode || '.'))
  and tanggal between $dari and $sampai
group by tanggal
order by tanggal
