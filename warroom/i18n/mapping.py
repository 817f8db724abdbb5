"""Labels of mapping files, skipped rows and the cumulative form (docs/mapping.md)."""
MESSAGES = {
    "ingest.problem.mapping.invalid": ("Berkas pemetaan tidak dapat dipakai: {detail}",
                                       "The mapping file cannot be used: {detail}"),
    "ingest.problem.mapping.position": ("Kolom {value} tidak ada: berkas hanya punya {n} kolom.",
                                        "Column {value} does not exist: the file has only {n} columns."),
    "ingest.problem.mapping.unknown_target": ("Pemetaan mengarah ke \"{target}\", yang bukan kolom dataset ini.",
                                              "The mapping points at \"{target}\", which is not a column of this dataset."),
    "ingest.problem.mapping.constant_unknown": ("Konstanta untuk \"{value}\", yang bukan kolom dataset ini.",
                                                "A constant for \"{value}\", which is not a column of this dataset."),
    "ingest.problem.mapping.sheet": ("Lembar \"{value}\" tidak ada dalam berkas (ada: {sheets}).",
                                     "Sheet \"{value}\" is not in the file (there are: {sheets})."),
    "ingest.problem.header.ambiguous": ("Judul kolom \"{value}\" muncul lebih dari sekali ({positions}): "
                                        "pemetaan tidak tahu yang mana.",
                                        "The header \"{value}\" occurs more than once ({positions}): "
                                        "the mapping cannot tell which."),
    "ingest.suggest.header.ambiguous": ("Sebut kolomnya menurut posisi, misalnya \"#{first}\", dan abaikan yang lain.",
                                        "Name the column by position, e.g. \"#{first}\", and ignore the others."),
    "ingest.problem.header.unexpected": ("Kolom \"{value}\" tidak dipetakan dan pemetaan menolak kolom lain "
                                         "(other_columns: refuse).",
                                         "Column \"{value}\" is not mapped and the mapping refuses other columns "
                                         "(other_columns: refuse)."),
    "ingest.problem.header.both_forms": ("Berkas memuat {value} dan {other} sekaligus: kirim satu bentuk per ukuran "
                                         "(harian atau kumulatif).",
                                         "The file has both {value} and {other}: send one form per measure "
                                         "(daily or cumulative)."),
    "ingest.problem.code.outside_region": ("Kode wilayah di luar {kota}.", "Region code outside {kota}."),
    "ingest.suggest.code.outside_region": ("Jika baris wilayah lain memang ikut dalam berkas, tambahkan "
                                           "\"outside_region\": \"skip\" pada pemetaan.",
                                           "If rows of other regions belong to the published file, add "
                                           "\"outside_region\": \"skip\" to the mapping."),
    "ingest.problem.file.all_skipped": ("Semua baris dilewati menurut pemetaan: tidak ada yang dimuat.",
                                        "Every row was skipped by the mapping: nothing to load."),
    "ingest.note.mapping_key_unknown": ("kunci pemetaan tidak dikenal, diabaikan: {detail}",
                                        "unknown mapping key, ignored: {detail}"),
    "ingest.note.mapping_absent": ("skip_rows_where: kolom {detail} tidak ada dalam berkas",
                                   "skip_rows_where: column {detail} is not in the file"),
    "ingest.note.constant": ("{column} = \"{value}\" untuk setiap baris (konstanta)",
                             "{column} = \"{value}\" for every row (constant)"),
    "ingest.note.skipped_where": ("{n} baris dilewati: {column} = {values}",
                                  "{n} rows skipped: {column} = {values}"),
    "ingest.note.skipped_outside": ("{n} baris dilewati: kode wilayah di luar {kota} ({codes})",
                                    "{n} rows skipped: region code outside {kota} ({codes})"),
    "ingest.note.rows_kept": ("{n} dari {total} baris dibaca sebagai data", "{n} of {total} rows read as data"),
    "ingest.note.cumulative": ("{column}: {n} angka harian diturunkan dari total kumulatif, {k} di antaranya koreksi "
                               "(total turun, disimpan negatif dan ditandai koreksi)",
                               "{column}: {n} daily counts derived from cumulative totals, {k} of them corrections "
                               "(the total fell; stored negative and flagged koreksi)"),
    "ingest.note.recomputed": ("{n} baris tersimpan sesudah tanggal kiriman ini dihitung ulang dari total kumulatifnya",
                               "{n} stored rows after this upload's dates recomputed from their cumulative totals"),
    "unggah.mapping.title": ("Berkas dari sistem lain: pemetaan kolom (opsional)",
                             "A file from another system: column mapping (optional)"),
    "unggah.mapping.help": ("Berkas JSON yang menyebut kolom mana menjadi kolom standar, baris mana dilewati dan "
                            "nilai tetap (lihat docs/mapping.md). Tanpa pemetaan, judul kolom harus sesuai standar.",
                            "A JSON file naming which columns become standard columns, which rows are skipped and "
                            "fixed values (see docs/mapping.md). Without a mapping, headers must follow the standard."),
    "unggah.mapping.file": ("Berkas pemetaan (.json)", "Mapping file (.json)"),
    "unggah.mapping.loaded": ("Pemetaan \"{name}\" dipakai untuk berkas di bawah.",
                              "Mapping \"{name}\" is applied to the files below."),
    "unggah.mapping.invalid": ("Pemetaan \"{name}\" tidak dapat dipakai: {detail}",
                               "Mapping \"{name}\" cannot be used: {detail}"),
    "unggah.date_missing": ("Berkas tidak memuat kolom tanggal (misalnya tanggal hanya ada di nama berkas): "
                            "isi tanggal data di bawah, berlaku untuk setiap baris.",
                            "The file has no date column (e.g. the date is only in the file name): "
                            "enter the data's date below; it applies to every row."),
    "unggah.date_for_all": ("Tanggal data untuk setiap baris", "Date of the data for every row"),
}
