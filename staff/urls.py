from django.urls import path

from staff import views

app_name = "staff"

urlpatterns = [
    path("accounts/", views.account_list, name="account_list"),
    path("accounts/new/", views.account_create, name="account_create"),
    path("accounts/<int:pk>/", views.account_edit, name="account_edit"),
    path("accounts/<int:pk>/password/", views.account_password, name="account_password"),
    path("access-log/", views.access_log, name="access_log"),
]
