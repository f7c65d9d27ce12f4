"""Administrative staff manage their own school's accounts inside the application."""

import pytest
from django.urls import reverse

from staff.models import AccessLogEntry, Role, User
from tests.conftest import ROLE_FIXTURES
from tests.factories import TEST_PASSWORD, UserFactory

NEW_ACCOUNT = {
    "username": "guru.baru",
    "full_name": "Fitri Handayani, S.Pd.",
    "nip": "199001012015032001",
    "email": "fitri@example.test",
    "roles": [Role.COUNSELOR, Role.HOMEROOM_TEACHER],
    "password1": "sementara-2026",
    "password2": "sementara-2026",
}


def test_admin_staff_creates_an_account_with_several_roles(client_for, admin_staff):
    response = client_for(admin_staff).post(reverse("staff:account_create"), NEW_ACCOUNT)
    assert response.status_code == 302
    account = User.objects.get(username="guru.baru")
    assert account.school == admin_staff.school
    assert account.must_change_password
    assert set(account.role_assignments.values_list("role", flat=True)) == {
        Role.COUNSELOR,
        Role.HOMEROOM_TEACHER,
    }
    entry = AccessLogEntry.objects.get()
    assert (entry.action, entry.object_id) == (
        AccessLogEntry.Action.CREATE_ACCOUNT,
        str(account.pk),
    )


def test_new_account_must_change_the_temporary_password_first(client, client_for, admin_staff):
    client_for(admin_staff).post(reverse("staff:account_create"), NEW_ACCOUNT)
    response = client.post(
        reverse("login"), {"username": "guru.baru", "password": "sementara-2026"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("password_change")
    assert client.get(reverse("home")).status_code == 302
    client.post(
        reverse("password_change"),
        {
            "old_password": "sementara-2026",
            "new_password1": "pilihan-sendiri-99",
            "new_password2": "pilihan-sendiri-99",
        },
    )
    assert client.get(reverse("home")).status_code == 200
    assert not User.objects.get(username="guru.baru").must_change_password


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"nip": "1990"}, "nip"),
        ({"nip": "19900101201503200A"}, "nip"),
        ({"username": "tatausaha"}, "username"),
        ({"full_name": ""}, "full_name"),
        ({"password1": "pendek", "password2": "pendek"}, "password1"),
        ({"password2": "lain-sekali-2026"}, "password2"),
    ],
)
def test_bad_account_input_shows_errors_and_saves_nothing(client_for, admin_staff, change, field):
    response = client_for(admin_staff).post(
        reverse("staff:account_create"), {**NEW_ACCOUNT, **change}
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not User.objects.filter(username=NEW_ACCOUNT["username"]).exists() or field == "username"
    assert User.objects.filter(school=admin_staff.school).count() == 1


def test_admin_staff_assigns_and_removes_roles_and_deactivates(client_for, admin_staff, counselor):
    response = client_for(admin_staff).post(
        reverse("staff:account_edit", args=[counselor.pk]),
        {"full_name": counselor.full_name, "nip": "", "email": "", "roles": [Role.SUBJECT_TEACHER]},
    )
    assert response.status_code == 302
    counselor.refresh_from_db()
    assert not counselor.is_active
    assert list(counselor.role_assignments.values_list("role", flat=True)) == [Role.SUBJECT_TEACHER]


def test_deactivated_account_cannot_sign_in(client, client_for, admin_staff, counselor):
    client_for(admin_staff).post(
        reverse("staff:account_edit", args=[counselor.pk]),
        {"full_name": counselor.full_name, "roles": [Role.COUNSELOR]},
    )
    response = client.post(reverse("login"), {"username": "konselor", "password": TEST_PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_admin_staff_cannot_deactivate_themselves(client_for, admin_staff):
    response = client_for(admin_staff).post(
        reverse("staff:account_edit", args=[admin_staff.pk]),
        {"full_name": admin_staff.full_name, "roles": [Role.ADMIN_STAFF]},
    )
    assert response.status_code == 200
    admin_staff.refresh_from_db()
    assert admin_staff.is_active


def test_temporary_password_must_be_changed_at_next_sign_in(
    client, client_for, admin_staff, counselor
):
    response = client_for(admin_staff).post(
        reverse("staff:account_password", args=[counselor.pk]),
        {"new_password1": "sementara-baru-1", "new_password2": "sementara-baru-1"},
    )
    assert response.status_code == 302
    counselor.refresh_from_db()
    assert counselor.must_change_password
    assert counselor.check_password("sementara-baru-1")
    client.post(reverse("login"), {"username": "konselor", "password": "sementara-baru-1"})
    assert client.get(reverse("home"))["Location"] == reverse("password_change")


ACCOUNT_PAGES = ["staff:account_list", "staff:account_create"]
ACCOUNT_OBJECT_PAGES = ["staff:account_edit", "staff:account_password"]


@pytest.mark.parametrize("role", [r for r in ROLE_FIXTURES if r != "admin_staff"])
def test_other_roles_cannot_manage_accounts(request, client_for, role, counselor):
    client = client_for(request.getfixturevalue(role))
    for name in ACCOUNT_PAGES:
        assert client.get(reverse(name)).status_code == 404
    for name in ACCOUNT_OBJECT_PAGES:
        assert client.get(reverse(name, args=[counselor.pk])).status_code == 404
        assert client.post(reverse(name, args=[counselor.pk]), {}).status_code == 404


def test_admin_staff_of_another_school_cannot_see_or_change_accounts(
    client_for, other_admin_staff, counselor
):
    client = client_for(other_admin_staff)
    listing = client.get(reverse("staff:account_list")).content.decode()
    assert counselor.username not in listing
    for name in ACCOUNT_OBJECT_PAGES:
        assert client.get(reverse(name, args=[counselor.pk])).status_code == 404
        response = client.post(
            reverse(name, args=[counselor.pk]),
            {"full_name": "Diambil alih", "new_password1": "x" * 12, "new_password2": "x" * 12},
        )
        assert response.status_code == 404
    counselor.refresh_from_db()
    assert counselor.full_name != "Diambil alih"


def test_anonymous_visitor_is_sent_to_sign_in(client, db):
    response = client.get(reverse("staff:account_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_account_list_query_count_does_not_grow(client_for, admin_staff, django_assert_num_queries):
    client = client_for(admin_staff)
    client.get(reverse("staff:account_list"))  # warm the session
    # session, user with school, roles (navigation), count, page of users, their role assignments
    with django_assert_num_queries(6):
        client.get(reverse("staff:account_list"))
    for _n in range(30):
        UserFactory(school=admin_staff.school, roles=[Role.SUBJECT_TEACHER, Role.HOMEROOM_TEACHER])
    with django_assert_num_queries(6):
        response = client.get(reverse("staff:account_list"))
    assert len(response.context["page"]) == 31


def test_account_search_finds_by_name(client_for, admin_staff, counselor):
    response = client_for(admin_staff).get(reverse("staff:account_list"), {"q": "konselor"})
    assert [a.username for a in response.context["page"]] == ["konselor"]


def test_django_admin_is_for_operators_only(client_for, admin_staff):
    admin_staff.is_staff = True
    admin_staff.save()
    response = client_for(admin_staff).get("/admin/")
    assert response.status_code == 302
    operator = User.objects.create_superuser(
        "operator", "op@example.test", TEST_PASSWORD, full_name="Operator"
    )
    assert client_for(operator).get("/admin/").status_code == 200


def _edit(client, account, **change):
    data = {"full_name": account.full_name, "nip": account.nip, "email": account.email}
    data.update({"is_active": "on", "roles": [Role.COUNSELOR], "version": account.version})
    return client.post(reverse("staff:account_edit", args=[account.pk]), {**data, **change})


def test_nip_written_with_spaces_is_stored_as_its_18_digits(client_for, admin_staff, counselor):
    response = _edit(client_for(admin_staff), counselor, nip=" 19800101 200501 1 001 ")
    assert response.status_code == 302
    counselor.refresh_from_db()
    assert counselor.nip == "198001012005011001"


def test_nip_field_leaves_room_for_the_spaces(client_for, admin_staff, counselor):
    page = client_for(admin_staff).get(reverse("staff:account_edit", args=[counselor.pk]))
    widget = str(page.context["form"]["nip"])
    assert 'maxlength="24"' in widget
    assert 'inputmode="numeric"' in widget


@pytest.mark.parametrize("nip", ["1980 0101", "19800101 200501 1 00A", "1" * 19])
def test_a_wrong_nip_is_explained_plainly_in_indonesian(client_for, admin_staff, counselor, nip):
    response = _edit(client_for(admin_staff), counselor, nip=nip)
    assert response.status_code == 200
    assert response.context["form"].errors["nip"] == [
        "NIP harus tepat 18 angka, misalnya 198001012005011001."
    ]
    counselor.refresh_from_db()
    assert counselor.nip == ""


def test_a_nip_held_by_another_account_is_refused_with_a_message(
    client_for, admin_staff, counselor, principal
):
    principal.nip = "198001012005011001"
    principal.save()
    response = _edit(client_for(admin_staff), counselor, nip="19800101 200501 1 001")
    assert response.status_code == 200
    assert response.context["form"].errors["nip"] == ["Akun lain sudah memakai NIP ini."]


def test_an_empty_nip_stays_allowed(client_for, admin_staff, counselor):
    assert _edit(client_for(admin_staff), counselor, nip="   ").status_code == 302
    counselor.refresh_from_db()
    assert counselor.nip == ""


def test_each_saved_edit_raises_the_account_version(client_for, admin_staff, counselor):
    client = client_for(admin_staff)
    page = client.get(reverse("staff:account_edit", args=[counselor.pk]))
    assert page.context["form"]["version"].value() == 0
    assert _edit(client, counselor, full_name="Nama Baru").status_code == 302
    counselor.refresh_from_db()
    assert (counselor.full_name, counselor.version) == ("Nama Baru", 1)


def test_concurrent_account_edits_do_not_overwrite_each_other(client_for, admin_staff, counselor):
    client = client_for(admin_staff)
    opened = counselor.version
    assert _edit(client, counselor, full_name="Disimpan Pertama").status_code == 302
    counselor.refresh_from_db()
    counselor.version = opened  # the second window was opened before the first save
    response = _edit(client, counselor, full_name="Disimpan Kedua", roles=[Role.PRINCIPAL])
    assert response.status_code == 302
    assert response["Location"] == reverse("staff:account_edit", args=[counselor.pk])
    counselor.refresh_from_db()
    assert (counselor.full_name, counselor.version) == ("Disimpan Pertama", 1)
    assert list(counselor.role_assignments.values_list("role", flat=True)) == [Role.COUNSELOR]
    assert AccessLogEntry.objects.filter(action=AccessLogEntry.Action.CHANGE_ACCOUNT).count() == 1
    shown = client.get(response["Location"])
    assert "Orang lain mengubah akun ini" in shown.content.decode()


def test_temporary_password_page_states_one_plain_rule(client_for, admin_staff, counselor):
    client = client_for(admin_staff)
    url = reverse("staff:account_password", args=[counselor.pk])
    form = client.get(url).context["form"]
    assert form["new_password1"].help_text == (
        "Paling sedikit 10 karakter, tidak hanya angka, bukan kata sandi yang umum dipakai, dan "
        "tidak mirip nama atau nama pengguna."
    )
    assert form["new_password2"].help_text == ""
    response = client.post(url, {"new_password1": "a" * 12, "new_password2": "b" * 12})
    assert response.context["form"].errors["new_password2"] == ["Kedua kata sandi tidak sama."]


def test_the_active_switch_explains_itself_to_a_clerk(client_for, admin_staff, counselor):
    form = client_for(admin_staff).get(reverse("staff:account_edit", args=[counselor.pk]))
    help_text = form.context["form"]["is_active"].help_text
    assert help_text.startswith("Hapus centang jika orang ini meninggalkan sekolah")
