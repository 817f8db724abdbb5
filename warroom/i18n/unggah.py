"""Labels of the Unggah (upload) page."""
MESSAGES = {
    "unggah.intro": ("Kirim pembaruan data OPD Anda. Berkas diperiksa dulu; data baru disimpan setelah Anda "
                     "menekan Simpan.",
                     "Send your agency's data updates. Files are checked first; nothing is stored until you "
                     "press Save."),
    "unggah.dataset": ("Dataset", "Dataset"),
    "unggah.on_behalf": ("Kirim atas nama OPD", "Send on behalf of agency"),
    "unggah.no_datasets": ("Akun Anda tidak berhak mengirim dataset apa pun. Hubungi walidata (Diskominfo).",
                           "Your account may not send any dataset. Contact the data custodian (Diskominfo)."),
    "unggah.template": ("Unduh templat {dataset} (CSV)", "Download the {dataset} template (CSV)"),
    "unggah.schema": ("Kolom yang diharapkan", "Expected columns"),
    "unggah.files": ("Berkas CSV atau Excel (.xlsx), satu atau beberapa, maksimal {limit} MB per berkas",
                     "CSV or Excel (.xlsx) files, one or several, at most {limit} MB each"),
    "unggah.checking": ("Memeriksa {name}…", "Checking {name}…"),
    "unggah.saving": ("Menyimpan {name}…", "Saving {name}…"),
    "unggah.preview_ok": ("{name}: lolos pemeriksaan — {total} baris: {inserted} baru, {updated} diperbarui, "
                          "{unchanged} tidak berubah. Belum disimpan.",
                          "{name}: passed the checks — {total} rows: {inserted} new, {updated} updated, "
                          "{unchanged} unchanged. Not saved yet."),
    "unggah.preview_refused": ("{name}: DITOLAK — {n} masalah. Tidak ada data yang diubah. Perbaiki baris di "
                               "bawah lalu unggah lagi.",
                               "{name}: REFUSED — {n} problems. No data was changed. Fix the rows below and "
                               "upload again."),
    "unggah.wrong_dataset": ("Kolom wajib dataset {dataset} tidak ditemukan di berkas ini. Apakah dataset yang "
                             "dipilih sudah benar?",
                             "This file lacks the required columns of {dataset}. Did you choose the right "
                             "dataset?"),
    "unggah.looks_like": ("Berkas ini tampaknya berisi dataset {other}.", "This file looks like the dataset {other}."),
    "unggah.more_problems": ("Ditampilkan {shown} dari {total} masalah.", "Showing {shown} of {total} problems."),
    "unggah.notes": ("Catatan pembacaan berkas", "Notes on reading the file"),
    "unggah.col.inserted": ("Baru", "New"),
    "unggah.col.updated": ("Diperbarui", "Updated"),
    "unggah.col.unchanged": ("Tidak berubah", "Unchanged"),
    "unggah.confirm": ("Simpan {n} berkas", "Save {n} file(s)"),
    "unggah.confirm_help": ("Data baru tersimpan dan tampil di semua layar.",
                            "The new data is stored and shows on every screen."),
    "unggah.blocked": ("Perbaiki semua berkas yang ditolak (atau keluarkan dari daftar) sebelum menyimpan.",
                       "Fix every refused file (or remove it from the list) before saving."),
    "unggah.saved": ("{name}: tersimpan sebagai unggahan #{upload_id} — {inserted} baru, {updated} diperbarui, "
                     "{unchanged} tidak berubah.",
                     "{name}: stored as upload #{upload_id} — {inserted} new, {updated} updated, "
                     "{unchanged} unchanged."),
    "unggah.save_refused": ("{name}: ditolak saat disimpan (unggahan #{upload_id}); tidak ada data yang diubah.",
                            "{name}: refused when saving (upload #{upload_id}); no data was changed."),
    "unggah.changed": ("Berkas berubah sejak diperiksa; periksa ulang dulu.",
                       "The file changed since it was checked; check it again first."),
    "unggah.download_report": ("Unduh laporan kesalahan (CSV)", "Download the error report (CSV)"),
    "unggah.download_marked": ("Unduh berkas Anda + kolom kesalahan (CSV)",
                               "Download your file + an error column (CSV)"),
    "unggah.recent": ("Unggahan terakhir Anda", "Your recent uploads"),
    "unggah.recent_all": ("Unggahan terakhir", "Recent uploads"),
    "unggah.none_yet": ("Belum ada unggahan.", "No uploads yet."),
    "unggah.refused.signin": ("Sesi Anda berakhir. Silakan masuk lagi.", "Your session ended. Please sign in again."),
    "unggah.refused.dataset": ("Dataset tidak dikenal: {dataset}", "Unknown dataset: {dataset}"),
    "unggah.refused.rights": ("Akun OPD {opd} tidak berhak mengirim dataset {dataset}. Tidak ada data yang diubah.",
                              "Agency {opd} may not send the dataset {dataset}. No data was changed."),
    "unggah.refused.too_big": ("Berkas {name} berukuran {mb} MB, melebihi batas {limit} MB. Tidak ada data yang "
                               "diubah. Pecah berkas per bulan atau per kecamatan lalu unggah bagian-bagiannya.",
                               "The file {name} is {mb} MB, over the {limit} MB limit. No data was changed. Split "
                               "it by month or district and upload the parts."),
    "unggah.refused.not_table": ("Berkas {name} bukan tabel CSV atau Excel (.xlsx). Tidak ada data yang diubah. "
                                 "Simpan ulang dari Excel sebagai CSV (UTF-8) atau .xlsx.",
                                 "The file {name} is not a CSV or Excel (.xlsx) table. No data was changed. Save it "
                                 "again from Excel as CSV (UTF-8) or .xlsx."),
    "unggah.report.row": ("Baris", "Row"),
    "unggah.report.column": ("Kolom", "Column"),
    "unggah.report.value": ("Nilai", "Value"),
    "unggah.report.reason": ("Masalah", "Problem"),
    "unggah.report.suggestion": ("Saran", "Suggestion"),
    "unggah.report.error_column": ("kesalahan", "error"),
    "unggah.status.accepted": ("diterima", "accepted"),
    "unggah.status.refused": ("ditolak", "refused"),
    "unggah.status.rolled_back": ("dibatalkan", "rolled back"),
    "unggah.col.id": ("No.", "No."),
    "unggah.col.when": ("Waktu", "When"),
    "unggah.col.dataset": ("Dataset", "Dataset"),
    "unggah.col.opd": ("OPD", "Agency"),
    "unggah.col.user": ("Pengguna", "User"),
    "unggah.col.file": ("Berkas", "File"),
    "unggah.col.rows": ("Baris", "Rows"),
    "unggah.col.status": ("Status", "Status"),
}
