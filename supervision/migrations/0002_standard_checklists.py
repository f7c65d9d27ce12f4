"""The data the supervision app ships: the BK room facility standard and the academic
supervision checklist. Administrators edit both in the Django admin afterwards; items are
found again by their code or text, so running this on a database that has them adds nothing."""

from django.db import migrations

# (code, category, name, what the standard asks)
FACILITY_STANDARD = [
    (
        "ruang-kerja",
        "room",
        "Ruang kerja Guru BK",
        "Ruang kerja bagi setiap Guru BK, dengan meja dan kursi kerja.",
    ),
    (
        "ruang-data",
        "room",
        "Ruang administrasi dan data",
        "Ruang penyimpanan data dan administrasi BK dengan lemari yang dapat dikunci.",
    ),
    (
        "ruang-konseling-individual",
        "room",
        "Ruang konseling individual",
        "Luas sekurang-kurangnya 9 m², tertutup dan kedap suara sehingga terjaga privasi "
        "konseli.",
    ),
    (
        "ruang-konseling-kelompok",
        "room",
        "Ruang bimbingan dan konseling kelompok",
        "Cukup untuk 8–10 siswa duduk melingkar, dengan kursi yang dapat dipindah.",
    ),
    (
        "ruang-tamu",
        "room",
        "Ruang tamu",
        "Tempat menunggu bagi siswa, orang tua dan tamu, terpisah dari ruang konseling.",
    ),
    (
        "lemari-arsip",
        "equipment",
        "Lemari arsip berkunci",
        "Untuk buku pribadi, catatan konseling dan dokumen rahasia lainnya.",
    ),
    (
        "komputer",
        "equipment",
        "Komputer dan pencetak",
        "Untuk administrasi, pengolahan data asesmen dan laporan.",
    ),
    (
        "instrumen-asesmen",
        "equipment",
        "Instrumen asesmen",
        "Angket kebutuhan peserta didik, AUM, DCM, sosiometri dan tes minat bakat.",
    ),
    (
        "papan-informasi",
        "equipment",
        "Papan informasi BK",
        "Papan atau media informasi bimbingan, karier dan jadwal layanan.",
    ),
    (
        "bahan-informasi",
        "equipment",
        "Buku dan bahan informasi",
        "Buku referensi, leaflet dan bahan layanan informasi studi lanjut dan karier.",
    ),
    (
        "alat-komunikasi",
        "equipment",
        "Telepon atau alat komunikasi",
        "Untuk menghubungi orang tua dan pihak lain dalam kolaborasi dan alih tangan kasus.",
    ),
]

# focus: items scored 1–4
SUPERVISION_CHECKLIST = {
    "programme_plan": [
        "Program tahunan dan semesteran disusun berdasarkan asesmen kebutuhan siswa.",
        "Program memuat keempat komponen layanan dan keempat bidang layanan.",
        "Rencana pelaksanaan layanan (RPL) tersedia untuk layanan klasikal.",
        "Program disahkan kepala sekolah dan disosialisasikan kepada warga sekolah.",
    ],
    "classical_guidance": [
        "Tujuan layanan dirumuskan dengan jelas dan sesuai kebutuhan kelas.",
        "Metode dan media layanan melibatkan siswa secara aktif.",
        "Guru BK mengelola kelas dan waktu dengan baik.",
        "Evaluasi proses dan hasil layanan dilakukan dan dicatat.",
    ],
    "individual_records": [
        "Setiap sesi konseling individual tercatat tanggal, masalah dan tindak lanjutnya.",
        "Catatan rahasia disimpan dan diakses sesuai asas kerahasiaan.",
        "Kasus yang berlanjut ditangani dalam lebih dari satu sesi dan dievaluasi.",
        "Alih tangan kasus didokumentasikan dengan persetujuan orang tua.",
    ],
    "personal_books": [
        "Buku pribadi tersedia untuk setiap siswa asuh.",
        "Identitas, data keluarga dan riwayat pendidikan terisi lengkap.",
        "Catatan perkembangan, prestasi dan cita-cita diperbarui setiap semester.",
        "Buku pribadi disimpan di tempat yang aman dan terkunci.",
    ],
    "administration": [
        "Agenda harian dan jurnal kegiatan Guru BK tersedia dan terisi.",
        "Daftar hadir layanan dan laporan bulanan tersusun rapi.",
        "Data kolaborasi dengan wali kelas, guru mapel dan orang tua tercatat.",
        "Laporan semester disampaikan kepada kepala sekolah tepat waktu.",
    ],
}


def ship(apps, schema_editor):
    FacilityItem = apps.get_model("supervision", "FacilityItem")
    ChecklistItem = apps.get_model("supervision", "ChecklistItem")
    for position, (code, category, name, requirement) in enumerate(FACILITY_STANDARD, start=1):
        FacilityItem.objects.get_or_create(
            code=code,
            defaults={
                "category": category,
                "name": name,
                "requirement": requirement,
                "position": position,
            },
        )
    for focus, texts in SUPERVISION_CHECKLIST.items():
        for position, text in enumerate(texts, start=1):
            ChecklistItem.objects.get_or_create(
                focus=focus, text=text, defaults={"position": position}
            )


class Migration(migrations.Migration):
    dependencies = [("supervision", "0001_meetings_visits_facilities")]

    operations = [migrations.RunPython(ship, migrations.RunPython.noop)]
