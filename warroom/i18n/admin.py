"""Labels of the Admin page (the walidata's desk)."""
MESSAGES = {
    "admin.tab.users": ("Pengguna", "Users"),
    "admin.tab.reference": ("Data referensi", "Reference data"),
    "admin.tab.rollback": ("Pembatalan unggahan", "Roll back an upload"),
    "admin.tab.password": ("Kata sandi saya", "My password"),
    "admin.users": ("Akun", "Accounts"),
    "admin.col.username": ("Nama pengguna", "User name"),
    "admin.col.role": ("Peran", "Role"),
    "admin.col.opd": ("OPD", "Agency"),
    "admin.col.state": ("Status", "State"),
    "admin.col.locked": ("Terkunci sampai", "Locked until"),
    "admin.state.active": ("aktif", "active"),
    "admin.state.disabled": ("nonaktif", "disabled"),
    "admin.add": ("Tambah pengguna", "Add a user"),
    "admin.add_button": ("Tambah", "Add"),
    "admin.opd_for_staff": ("OPD (wajib untuk staf OPD)", "Agency (required for agency staff)"),
    "admin.edit": ("Ubah pengguna", "Change a user"),
    "admin.pick_user": ("Pengguna", "User"),
    "admin.disable": ("Nonaktifkan", "Disable"),
    "admin.enable": ("Aktifkan", "Enable"),
    "admin.set_role": ("Ubah peran", "Change role"),
    "admin.reset": ("Atur ulang kata sandi", "Reset password"),
    "admin.done": ("Tersimpan.", "Saved."),
    "admin.reference_intro": ("Wilayah dan OPD hanya dikirim oleh walidata, melalui mesin impor yang sama dengan "
                              "unggahan OPD.",
                              "Areas and agencies are sent by the data custodian only, through the same import "
                              "engine as agency uploads."),
    "admin.rollback_intro": ("Membatalkan satu unggahan menghapus baris yang dibawanya dan memulihkan baris yang "
                             "digantikannya.",
                             "Rolling back an upload removes the rows it brought and restores the rows it replaced."),
    "admin.pick_upload": ("Unggahan", "Upload"),
    "admin.no_uploads": ("Belum ada unggahan yang bisa dibatalkan.", "No upload that can be rolled back."),
    "admin.plan": ("Unggahan #{upload_id} ({dataset}, {opd}, {user}, {when}): {removed} baris akan dihapus, "
                   "{restored} baris lama dipulihkan.",
                   "Upload #{upload_id} ({dataset}, {opd}, {user}, {when}): {removed} rows will be removed, "
                   "{restored} earlier rows restored."),
    "admin.plan_blocked": ("Tidak bisa dibatalkan: baris unggahan ini sudah diganti oleh unggahan berikutnya: "
                           "{later}. Batalkan unggahan itu lebih dulu.",
                           "Cannot be rolled back: rows of this upload were replaced later by upload(s) {later}. "
                           "Roll those back first."),
    "admin.plan_sample": ("Contoh baris yang akan dihapus", "Sample of rows that will be removed"),
    "admin.plan_restore_sample": ("Contoh baris yang akan dipulihkan", "Sample of rows that will be restored"),
    "admin.confirm_rollback": ("Saya mengerti, batalkan unggahan #{upload_id}", "I understand: roll back upload #{upload_id}"),
    "admin.rollback_button": ("Batalkan unggahan", "Roll back"),
    "admin.rolled_back": ("Unggahan #{upload_id} dibatalkan.", "Upload #{upload_id} rolled back."),
    "admin.rollback_refused": ("Ditolak: batalkan dulu unggahan {later}.", "Refused: roll back upload(s) {later} first."),
}
