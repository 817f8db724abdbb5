-- One area on one day, beside the same area seven days earlier: the headline cards.
with at_day as (
    select * from covid19_wilayah_harian where kode_wilayah = $kode and tanggal = $tanggal::date
),

week_before as (
    select kasus_baru as kasus_baru_7hari_lalu, kasus_7hari as kasus_7hari_sebelumnya,
           ada_data as ada_data_7hari_lalu
    from covid19_wilayah_harian
    where kode_wilayah = $kode and tanggal = $tanggal::date - 7
)

select at_day.*, week_before.*
from at_day
left join week_before on true
