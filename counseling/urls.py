from django.urls import path

from counseling.views import roster

app_name = "counseling"

urlpatterns = [
    path("classes/", roster.class_list, name="class_list"),
    path("students/", roster.student_list, name="student_list"),
    path("students/import/", roster.student_import, name="student_import"),
    path("students/<int:pk>/", roster.student_detail, name="student_detail"),
]
