"""The competency framework of Permendiknas 27/2008 (Lampiran, Standar Kompetensi Konselor):
the four areas holding the 17 competencies, their sub-competencies being the indicators scored
in an appraisal. Worded as the regulation words them.

Shipped as version 1 by migration 0003; seed_demo loads it again into a database emptied since
(as the browser tests' flushes do). Works with the historical models a migration passes in.
"""

NAME = "Permendiknas 27/2008"

FRAMEWORK = [
    (
        "A",
        "Kompetensi Pedagogik",
        [
            (
                "Menguasai teori dan praksis pendidikan",
                [
                    "Menguasai ilmu pendidikan dan landasan keilmuannya",
                    "Mengimplementasikan prinsip-prinsip pendidikan dan proses pembelajaran",
                    "Menguasai landasan budaya dalam praksis pendidikan",
                ],
            ),
            (
                "Mengaplikasikan perkembangan fisiologis dan psikologis serta perilaku konseli",
                [
                    "Mengaplikasikan kaidah-kaidah perilaku manusia, perkembangan fisik dan "
                    "psikologis individu terhadap sasaran pelayanan bimbingan dan konseling dalam "
                    "upaya pendidikan",
                    "Mengaplikasikan kaidah-kaidah kepribadian, individualitas dan perbedaan "
                    "konseli terhadap sasaran pelayanan bimbingan dan konseling dalam upaya "
                    "pendidikan",
                    "Mengaplikasikan kaidah-kaidah belajar terhadap sasaran pelayanan bimbingan "
                    "dan konseling dalam upaya pendidikan",
                    "Mengaplikasikan kaidah-kaidah keberbakatan terhadap sasaran pelayanan "
                    "bimbingan dan konseling dalam upaya pendidikan",
                    "Mengaplikasikan kaidah-kaidah kesehatan mental terhadap sasaran pelayanan "
                    "bimbingan dan konseling dalam upaya pendidikan",
                ],
            ),
            (
                "Menguasai esensi pelayanan bimbingan dan konseling dalam jalur, jenis, dan "
                "jenjang satuan pendidikan",
                [
                    "Menguasai esensi bimbingan dan konseling pada satuan jalur pendidikan "
                    "formal, nonformal, dan informal",
                    "Menguasai esensi bimbingan dan konseling pada satuan jenis pendidikan umum, "
                    "kejuruan, keagamaan, dan khusus",
                    "Menguasai esensi bimbingan dan konseling pada satuan jenjang pendidikan usia "
                    "dini, dasar dan menengah, serta tinggi",
                ],
            ),
        ],
    ),
    (
        "B",
        "Kompetensi Kepribadian",
        [
            (
                "Beriman dan bertakwa kepada Tuhan Yang Maha Esa",
                [
                    "Menampilkan kepribadian yang beriman dan bertakwa kepada Tuhan Yang Maha Esa",
                    "Konsisten dalam menjalankan kehidupan beragama dan toleran terhadap pemeluk "
                    "agama lain",
                    "Berakhlak mulia dan berbudi pekerti luhur",
                ],
            ),
            (
                "Menghargai dan menjunjung tinggi nilai-nilai kemanusiaan, individualitas dan "
                "kebebasan memilih",
                [
                    "Mengaplikasikan pandangan positif dan dinamis tentang manusia sebagai "
                    "makhluk spiritual, bermoral, sosial, individual, dan berpotensi",
                    "Menghargai dan mengembangkan potensi positif individu pada umumnya dan "
                    "konseli pada khususnya",
                    "Peduli terhadap kemaslahatan manusia pada umumnya dan konseli pada khususnya",
                    "Menjunjung tinggi harkat dan martabat manusia sesuai dengan hak asasinya",
                    "Toleran terhadap permasalahan konseli",
                    "Bersikap demokratis",
                ],
            ),
            (
                "Menunjukkan integritas dan stabilitas kepribadian yang kuat",
                [
                    "Menampilkan kepribadian dan perilaku yang terpuji (seperti berwibawa, jujur, "
                    "sabar, ramah, dan konsisten)",
                    "Menampilkan emosi yang stabil",
                    "Peka, bersikap empati, serta menghormati keragaman dan perubahan",
                    "Menampilkan toleransi tinggi terhadap konseli yang menghadapi stres dan "
                    "frustasi",
                ],
            ),
            (
                "Menampilkan kinerja berkualitas tinggi",
                [
                    "Menampilkan tindakan yang cerdas, kreatif, inovatif, dan produktif",
                    "Bersemangat, berdisiplin, dan mandiri",
                    "Berpenampilan menarik dan menyenangkan",
                    "Berkomunikasi secara efektif",
                ],
            ),
        ],
    ),
    (
        "C",
        "Kompetensi Sosial",
        [
            (
                "Mengimplementasikan kolaborasi intern di tempat bekerja",
                [
                    "Memahami dasar, tujuan, organisasi, dan peran pihak-pihak lain (guru, wali "
                    "kelas, pimpinan sekolah/madrasah, komite sekolah/madrasah) di tempat bekerja",
                    "Mengkomunikasikan dasar, tujuan, dan kegiatan pelayanan bimbingan dan "
                    "konseling kepada pihak-pihak lain di tempat bekerja",
                    "Bekerja sama dengan pihak-pihak terkait di dalam tempat bekerja (seperti "
                    "guru, orang tua, tenaga administrasi)",
                ],
            ),
            (
                "Berperan dalam organisasi dan kegiatan profesi bimbingan dan konseling",
                [
                    "Memahami dasar, tujuan, dan AD/ART organisasi profesi bimbingan dan "
                    "konseling untuk pengembangan diri dan profesi",
                    "Menaati Kode Etik profesi bimbingan dan konseling",
                    "Aktif dalam organisasi profesi bimbingan dan konseling untuk pengembangan "
                    "diri dan profesi",
                ],
            ),
            (
                "Mengimplementasikan kolaborasi antarprofesi",
                [
                    "Mengkomunikasikan aspek-aspek profesional bimbingan dan konseling kepada "
                    "organisasi profesi lain",
                    "Memahami peran organisasi profesi lain dan memanfaatkannya untuk suksesnya "
                    "pelayanan bimbingan dan konseling",
                    "Bekerja dalam tim bersama tenaga paraprofesional dan profesional profesi lain",
                    "Melaksanakan referal kepada ahli profesi lain sesuai dengan keperluan",
                ],
            ),
        ],
    ),
    (
        "D",
        "Kompetensi Profesional",
        [
            (
                "Menguasai konsep dan praksis asesmen untuk memahami kondisi, kebutuhan, dan "
                "masalah konseli",
                [
                    "Menguasai hakikat asesmen",
                    "Memilih teknik asesmen, sesuai dengan kebutuhan pelayanan bimbingan dan "
                    "konseling",
                    "Menyusun dan mengembangkan instrumen asesmen untuk keperluan bimbingan dan "
                    "konseling",
                    "Mengadministrasikan asesmen untuk mengungkapkan masalah-masalah konseli",
                    "Memilih dan mengadministrasikan teknik asesmen pengungkapan kemampuan dasar "
                    "dan kecenderungan pribadi konseli",
                    "Memilih dan mengadministrasikan instrumen untuk mengungkapkan kondisi aktual "
                    "konseli berkaitan dengan lingkungan",
                    "Mengakses data dokumentasi tentang konseli dalam pelayanan bimbingan dan "
                    "konseling",
                    "Menggunakan hasil asesmen dalam pelayanan bimbingan dan konseling dengan "
                    "tepat",
                    "Menampilkan tanggung jawab profesional dalam praktik asesmen",
                ],
            ),
            (
                "Menguasai kerangka teoretik dan praksis bimbingan dan konseling",
                [
                    "Mengaplikasikan hakikat pelayanan bimbingan dan konseling",
                    "Mengaplikasikan arah profesi bimbingan dan konseling",
                    "Mengaplikasikan dasar-dasar pelayanan bimbingan dan konseling",
                    "Mengaplikasikan pelayanan bimbingan dan konseling sesuai kondisi dan "
                    "tuntutan wilayah kerja",
                    "Mengaplikasikan pendekatan/model/jenis pelayanan dan kegiatan pendukung "
                    "bimbingan dan konseling",
                    "Mengaplikasikan dalam praktik format pelayanan bimbingan dan konseling",
                ],
            ),
            (
                "Merancang program bimbingan dan konseling",
                [
                    "Menganalisis kebutuhan konseli",
                    "Menyusun program bimbingan dan konseling yang berkelanjutan berdasar "
                    "kebutuhan peserta didik secara komprehensif dengan pendekatan perkembangan",
                    "Menyusun rencana pelaksanaan program bimbingan dan konseling",
                    "Merencanakan sarana dan biaya penyelenggaraan program bimbingan dan konseling",
                ],
            ),
            (
                "Mengimplementasikan program bimbingan dan konseling yang komprehensif",
                [
                    "Melaksanakan program bimbingan dan konseling",
                    "Melaksanakan pendekatan kolaboratif dalam pelayanan bimbingan dan konseling",
                    "Memfasilitasi perkembangan akademik, karier, personal, dan sosial konseli",
                    "Mengelola sarana dan biaya program bimbingan dan konseling",
                ],
            ),
            (
                "Menilai proses dan hasil kegiatan bimbingan dan konseling",
                [
                    "Melakukan evaluasi hasil, proses, dan program bimbingan dan konseling",
                    "Melakukan penyesuaian proses pelayanan bimbingan dan konseling",
                    "Menginformasikan hasil pelaksanaan evaluasi pelayanan bimbingan dan "
                    "konseling kepada pihak terkait",
                    "Menggunakan hasil pelaksanaan evaluasi untuk merevisi dan mengembangkan "
                    "program bimbingan dan konseling",
                ],
            ),
            (
                "Memiliki kesadaran dan komitmen terhadap etika profesional",
                [
                    "Memahami dan mengelola kekuatan dan keterbatasan pribadi dan profesional",
                    "Menyelenggarakan pelayanan sesuai dengan kewenangan dan kode etik "
                    "profesional konselor",
                    "Mempertahankan objektivitas dan menjaga agar tidak larut dengan masalah "
                    "konseli",
                    "Melaksanakan referal sesuai dengan keperluan",
                    "Peduli terhadap identitas profesional dan pengembangan profesi",
                    "Mendahulukan kepentingan konseli daripada kepentingan pribadi konselor",
                    "Menjaga kerahasiaan konseli",
                ],
            ),
            (
                "Menguasai konsep dan praksis penelitian dalam bimbingan dan konseling",
                [
                    "Memahami berbagai jenis dan metode penelitian",
                    "Mampu merancang penelitian bimbingan dan konseling",
                    "Melaksanakan penelitian bimbingan dan konseling",
                    "Memanfaatkan hasil penelitian dalam bimbingan dan konseling dengan "
                    "mengakses jurnal pendidikan dan bimbingan dan konseling",
                ],
            ),
        ],
    ),
]


def load_shipped_framework(apps, schema_editor=None) -> bool:
    """Create version 1, active, unless some framework exists; whether it was created."""
    Framework = apps.get_model("staff", "CompetencyFramework")
    Area = apps.get_model("staff", "CompetencyArea")
    Competency = apps.get_model("staff", "Competency")
    Indicator = apps.get_model("staff", "Indicator")
    if Framework.objects.exists():
        return False
    framework = Framework.objects.create(
        name=NAME,
        version=1,
        is_active=True,
        notes="Lampiran Permendiknas Nomor 27 Tahun 2008, Standar Kompetensi Konselor.",
    )
    number = 0
    for letter, area_name, competencies in FRAMEWORK:
        area = Area.objects.create(framework=framework, letter=letter, name=area_name)
        for title, indicators in competencies:
            number += 1
            competency = Competency.objects.create(
                framework=framework, area=area, number=number, title=title
            )
            Indicator.objects.bulk_create(
                Indicator(competency=competency, number=position, text=text)
                for position, text in enumerate(indicators, start=1)
            )
    return True


def remove_shipped_framework(apps, schema_editor):
    Framework = apps.get_model("staff", "CompetencyFramework")
    Framework.objects.filter(version=1, name=NAME, appraisals__isnull=True).delete()
