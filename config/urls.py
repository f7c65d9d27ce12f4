from django.contrib import admin
from django.urls import include, path

from config.views import healthz
from staff import views as staff_views
from supervision.views import home as supervision_home

urlpatterns = [
    path("", supervision_home.home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("accounts/login/", staff_views.SignInView.as_view(), name="login"),
    path("accounts/logout/", staff_views.SignOutView.as_view(), name="logout"),
    path("accounts/password/", staff_views.PasswordChangeView.as_view(), name="password_change"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("staff/", include("staff.urls")),
    path("counseling/", include("counseling.urls")),
    path("supervision/", include("supervision.urls")),
    path("admin/", admin.site.urls),
]
