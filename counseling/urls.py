from django.urls import path

from counseling.views import cases, personal_book, promotion, referrals, roster

app_name = "counseling"

urlpatterns = [
    path("classes/", roster.class_list, name="class_list"),
    path("classes/new/", roster.class_create, name="class_create"),
    path("classes/<int:pk>/edit/", roster.class_edit, name="class_edit"),
    path("classes/promotion/", promotion.promotion, name="promotion"),
    path("students/", roster.student_list, name="student_list"),
    path("students/new/", roster.student_create, name="student_create"),
    path("students/import/", roster.student_import, name="student_import"),
    path("students/<int:pk>/", roster.student_detail, name="student_detail"),
    path("students/<int:pk>/edit/", roster.student_edit, name="student_edit"),
    path("students/<int:pk>/cases/new/", cases.case_create, name="case_create"),
    path("cases/", cases.case_list, name="case_list"),
    path("cases/<int:pk>/", cases.case_detail, name="case_detail"),
    path("cases/<int:pk>/edit/", cases.case_edit, name="case_edit"),
    path("cases/<int:pk>/status/", cases.case_transition, name="case_transition"),
    path("cases/<int:pk>/archive/", cases.case_archive, name="case_archive"),
    path("sessions/new/", cases.session_create, name="session_create"),
    path("sessions/<int:pk>/", cases.session_detail, name="session_detail"),
    path("sessions/<int:pk>/edit/", cases.session_edit, name="session_edit"),
    path("collaboration/", cases.collaboration_list, name="collaboration_list"),
    path("collaboration/new/", cases.collaboration_create, name="collaboration_create"),
    path("students/<int:pk>/book/", personal_book.student_book, name="student_book"),
    path("students/<int:pk>/book/print/", personal_book.book_print, name="book_print"),
    path("students/<int:pk>/book/pdf/", personal_book.book_pdf, name="book_pdf"),
    path(
        "students/<int:pk>/book/<slug:key>/",
        personal_book.book_section_edit,
        name="book_section_edit",
    ),
    path("referrals/", referrals.referral_inbox, name="referral_inbox"),
    path("referrals/new/", referrals.referral_create, name="referral_create"),
    path("referrals/mine/", referrals.my_referrals, name="my_referrals"),
    path("referrals/<int:pk>/", referrals.referral_detail, name="referral_detail"),
    path("referrals/<int:pk>/accept/", referrals.referral_accept, name="referral_accept"),
    path("referrals/<int:pk>/attach/", referrals.referral_attach, name="referral_attach"),
    path("referrals/<int:pk>/decline/", referrals.referral_decline, name="referral_decline"),
    path(
        "cases/<int:case_pk>/refer-out/",
        referrals.outbound_referral_create,
        name="outbound_referral_create",
    ),
    path(
        "referrals/out/<int:pk>/consent/",
        referrals.outbound_referral_consent,
        name="outbound_referral_consent",
    ),
]
