from django.urls import path

from staff import views
from staff.views import calendar, training

app_name = "staff"

urlpatterns = [
    path("accounts/", views.account_list, name="account_list"),
    path("accounts/new/", views.account_create, name="account_create"),
    path("accounts/<int:pk>/", views.account_edit, name="account_edit"),
    path("accounts/<int:pk>/password/", views.account_password, name="account_password"),
    path("access-log/", views.access_log, name="access_log"),
    path("school-years/", calendar.school_calendar, name="school_calendar"),
    path("school-years/semesters/<int:pk>/", calendar.semester_edit, name="semester_edit"),
    path(
        "school-years/semesters/<int:pk>/make-current/",
        calendar.semester_make_current,
        name="semester_make_current",
    ),
    path("training/", training.training_list, name="training_list"),
    path("training/new/", training.training_create, name="training_create"),
    path("training/counselors/", training.training_summary, name="training_summary"),
    path("training/<int:pk>/", training.training_detail, name="training_detail"),
    path("training/<int:pk>/edit/", training.training_edit, name="training_edit"),
    path("training/<int:pk>/cancel/", training.training_cancel, name="training_cancel"),
    path("training/<int:pk>/delegation/", training.training_delegation, name="training_delegation"),
    path("training/<int:pk>/attendance/", training.training_attendance, name="training_attendance"),
    path(
        "training/participations/<int:pk>/withdraw/",
        training.participation_withdraw,
        name="participation_withdraw",
    ),
    path(
        "training/participations/<int:pk>/certificate/",
        training.certificate_upload,
        name="certificate_upload",
    ),
    path(
        "training/participations/<int:pk>/certificate/file/",
        training.certificate_download,
        name="certificate_download",
    ),
    path(
        "training/participations/<int:pk>/report/",
        training.dissemination_write,
        name="dissemination_write",
    ),
    path("training/reports/<int:pk>/", training.dissemination_detail, name="dissemination_detail"),
    path(
        "training/reports/<int:pk>/materials/",
        training.dissemination_materials,
        name="dissemination_materials",
    ),
]
