from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from staff import selectors, services
from staff.access import Permission, permission_required
from staff.forms import (
    AccessLogFilterForm,
    AccountCreateForm,
    AccountForm,
    OwnPasswordChangeForm,
    SignInForm,
    TemporaryPasswordForm,
)
from staff.models import AccessLogEntry, User
from staff.web import paginate, query_without_page, reopen_after_stale_edit

PAGE_SIZE = 50


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    """Django's sign-out, which says so on the sign-in page it leads to."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.success(request, _("You have signed out. Close the browser on a shared computer."))
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's page, which also lifts a 'must change password' flag."""

    form_class = OwnPasswordChangeForm
    success_url = reverse_lazy("home")
    template_name = "registration/password_change_form.html"

    def form_valid(self, form):
        response = super().form_valid(form)
        services.user_password_changed(user=self.request.user)
        messages.success(self.request, _("Your password has been changed."))
        return response


def _account_of_school(request: HttpRequest, pk: int) -> User:
    """An account the administrative staff may manage: one of their own school, else 404."""
    return get_object_or_404(User, pk=pk, school=request.user.school)


@permission_required(Permission.MANAGE_ACCOUNTS)
def account_list(request: HttpRequest) -> HttpResponse:
    accounts = selectors.users_of_school(request.user.school)
    query = request.GET.get("q", "").strip()
    if query:
        accounts = accounts.filter(Q(full_name__icontains=query) | Q(username__icontains=query))
    page = paginate(request, accounts, PAGE_SIZE)
    return render(
        request,
        "staff/account_list.html",
        {"page": page, "query": query, "query_string": query_without_page(request)},
    )


@permission_required(Permission.MANAGE_ACCOUNTS)
@require_http_methods(["GET", "POST"])
def account_create(request: HttpRequest) -> HttpResponse:
    form = AccountCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            account = services.user_create(
                school=request.user.school,
                username=form.cleaned_data["username"],
                full_name=form.cleaned_data["full_name"],
                email=form.cleaned_data["email"],
                nip=form.cleaned_data["nip"],
                roles=form.cleaned_data["roles"],
                temporary_password=form.cleaned_data["password1"],
            )
            services.access_log_record(
                request=request, action=AccessLogEntry.Action.CREATE_ACCOUNT, obj=account
            )
        messages.success(
            request,
            _("Account %(username)s created. Give the person the temporary password.")
            % {"username": account.username},
        )
        return redirect("staff:account_list")
    return render(request, "staff/account_form.html", {"form": form, "title": _("New account")})


@permission_required(Permission.MANAGE_ACCOUNTS)
@require_http_methods(["GET", "POST"])
def account_edit(request: HttpRequest, pk: int) -> HttpResponse:
    account = _account_of_school(request, pk)
    form = AccountForm(request.POST or None, instance=account, editor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.user_update(
                    user=form.instance,
                    roles=form.cleaned_data["roles"],
                    fields=form.Meta.fields,
                    version=form.cleaned_data["version"] or 0,
                )
                services.access_log_record(
                    request=request, action=AccessLogEntry.Action.CHANGE_ACCOUNT, obj=account
                )
        except services.StaleEdit:
            return reopen_after_stale_edit(
                request,
                _(
                    "Somebody else changed this account while you were editing it. Nothing was "
                    "saved; here it is as it is now."
                ),
                "staff:account_edit",
                pk=account.pk,
            )
        messages.success(request, _("Account %(username)s saved.") % {"username": account.username})
        return redirect("staff:account_list")
    return render(
        request,
        "staff/account_form.html",
        {"form": form, "account": account, "title": account.full_name or account.username},
    )


@permission_required(Permission.MANAGE_ACCOUNTS)
@require_http_methods(["GET", "POST"])
def account_password(request: HttpRequest, pk: int) -> HttpResponse:
    account = _account_of_school(request, pk)
    form = TemporaryPasswordForm(account, request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            services.user_set_temporary_password(
                user=account, password=form.cleaned_data["new_password1"]
            )
            services.access_log_record(
                request=request, action=AccessLogEntry.Action.SET_TEMPORARY_PASSWORD, obj=account
            )
        if account.pk == request.user.pk:
            update_session_auth_hash(request, account)
        messages.success(
            request,
            _("Temporary password set for %(username)s; it must be changed at the next sign-in.")
            % {"username": account.username},
        )
        return redirect("staff:account_list")
    return render(request, "staff/account_password.html", {"form": form, "account": account})


@permission_required(Permission.READ_ACCESS_LOG)
def access_log(request: HttpRequest) -> HttpResponse:
    school = request.user.school
    form = AccessLogFilterForm(request.GET or None, school=school)
    filters = {}
    if form.is_valid():
        person = form.cleaned_data["person"]
        filters = {
            "user_id": person.pk if person else None,
            "date_from": form.cleaned_data["date_from"],
            "date_to": form.cleaned_data["date_to"],
        }
    entries = selectors.access_log_of_school(school, **filters)
    page = paginate(request, entries, PAGE_SIZE)
    return render(
        request,
        "staff/access_log.html",
        {"form": form, "page": page, "query_string": query_without_page(request)},
    )
