"""Labels of the store itself (beyond core's): a database file from a newer version."""
MESSAGES = {
    "db.newer": ("Basis data ini dibuat oleh versi War Room yang lebih baru: {path}",
                 "This database was written by a newer version of War Room: {path}"),
    "db.newer.hint": ("Perbarui aplikasi ini ke versi terbaru (git pull, lalu make run); berkas itu tidak diubah.",
                      "Update this program to the latest version (git pull, then make run); the file was left as it was."),
}
