"""Labels of sign-in and accounts."""
MESSAGES = {
    "auth.bad_credentials": ("Nama pengguna atau kata sandi salah.", "Wrong user name or password."),
    "auth.locked": ("Akun dikunci sementara karena terlalu banyak percobaan gagal. Coba lagi dalam {minutes} menit.",
                    "Account locked for a while after too many failed attempts. Try again in {minutes} minutes."),
    "auth.disabled": ("Akun ini dinonaktifkan. Hubungi walidata (Diskominfo).",
                      "This account is disabled. Contact the data custodian (Diskominfo)."),
    "auth.password_too_short": ("Kata sandi minimal {n} karakter.", "The password needs at least {n} characters."),
    "auth.bad_role": ("Peran tidak dikenal: {role}", "Unknown role: {role}"),
    "auth.staff_needs_opd": ("Staf OPD harus terikat pada satu kode OPD (--opd).",
                             "Agency staff must be bound to one agency code (--opd)."),
    "auth.unknown_opd": ("Kode OPD tidak dikenal: {kode_opd}", "Unknown agency code: {kode_opd}"),
    "auth.user_exists": ("Pengguna {username} sudah ada.", "User {username} already exists."),
    "auth.signin": ("Masuk", "Sign in"),
    "auth.signout": ("Keluar", "Sign out"),
    "auth.username": ("Nama pengguna", "User name"),
    "auth.password": ("Kata sandi", "Password"),
    "auth.prompt": ("Silakan masuk untuk membuka halaman ini.", "Please sign in to open this page."),
}
