"""Signing in and out, throttling, password changes and session expiry."""

import time
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.urls import reverse

from staff.demo import ACCOUNTS, DEMO_PASSWORD
from staff.middleware import SESSION_SEEN, SESSION_STARTED
from tests.factories import TEST_PASSWORD

LOGIN = "/accounts/login/"


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.mark.parametrize("username", [account.username for account in ACCOUNTS])
def test_each_demo_account_signs_in_through_the_login_form(client, demo, username):
    response = client.post(LOGIN, {"username": username, "password": DEMO_PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")
    assert response.context["user"].username == username
    assert response.context["user"].school.name.encode() in response.content


def test_wrong_password_shows_a_message_in_indonesian(client, counselor):
    response = client.post(LOGIN, {"username": "konselor", "password": "salah-sandi-123"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Nama pengguna atau kata sandi salah. Periksa keduanya lalu coba lagi; huruf besar dan "
        "huruf kecil dibedakan."
    ]
    assert not response.context["user"].is_authenticated


def test_wrong_password_message_reads_plainly_in_english(client, counselor):
    client.cookies["django_language"] = "en"
    response = client.post(LOGIN, {"username": "konselor", "password": "salah-sandi-123"})
    assert response.context["form"].non_field_errors() == [
        "The username or password is not right. Check both and try again; capital and small "
        "letters count."
    ]


def test_sign_in_page_names_its_fields_as_staff_say_them(client, db):
    form = client.get(LOGIN).context["form"]
    assert (form["username"].label, form["password"].label) == ("Nama pengguna", "Kata sandi")


def test_sign_out_says_so_on_the_sign_in_page(client_for, counselor):
    response = client_for(counselor).post(reverse("logout"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("login")
    assert "Anda sudah keluar." in response.content.decode()


def test_password_change_form_speaks_plainly(client_for, counselor):
    client = client_for(counselor)
    form = client.get(reverse("password_change")).context["form"]
    assert [field.label for field in form] == [
        "Kata sandi saat ini",
        "Kata sandi baru",
        "Ulangi kata sandi baru",
    ]
    assert form["new_password1"].help_text.startswith("Paling sedikit 10 karakter")
    response = client.post(
        reverse("password_change"),
        {"old_password": "keliru-sekali", "new_password1": "a" * 12, "new_password2": "b" * 12},
    )
    errors = response.context["form"].errors
    assert errors["old_password"] == ["Kata sandi Anda saat ini salah. Ketik sekali lagi."]
    assert errors["new_password2"] == [
        "Kedua kata sandi baru tidak sama. Ketik kata sandi yang sama dua kali."
    ]


def test_sign_out_ends_the_session(client_for, counselor):
    client = client_for(counselor)
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_five_failures_lock_the_username_from_that_address_for_15_minutes(client, counselor):
    for _ in range(5):
        client.post(LOGIN, {"username": "konselor", "password": "salah-sandi-123"})
    locked = client.post(LOGIN, {"username": "konselor", "password": TEST_PASSWORD})
    assert locked.status_code == 429
    assert "salah 5 kali berturut-turut" in locked.content.decode()
    assert "15 menit" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_lock_is_for_that_username_only(client, counselor, principal):
    for _ in range(5):
        client.post(LOGIN, {"username": "konselor", "password": "salah-sandi-123"})
    response = client.post(LOGIN, {"username": "kepala", "password": TEST_PASSWORD})
    assert response.status_code == 302


def test_lock_lifts_after_the_cool_off(client, counselor):
    for _ in range(5):
        client.post(LOGIN, {"username": "konselor", "password": "salah-sandi-123"})
    # Age the recorded failures past the 15-minute cool-off.
    for attempt in AccessAttempt.objects.all():
        attempt.attempt_time -= timedelta(minutes=16)
        attempt.save()
    response = client.post(LOGIN, {"username": "konselor", "password": TEST_PASSWORD})
    assert response.status_code == 302


def test_four_failures_do_not_lock(client, counselor):
    for _ in range(4):
        client.post(LOGIN, {"username": "konselor", "password": "salah-sandi-123"})
    response = client.post(LOGIN, {"username": "konselor", "password": TEST_PASSWORD})
    assert response.status_code == 302


def test_user_changes_own_password(client_for, counselor):
    client = client_for(counselor)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "ruang-konseling-baru",
            "new_password2": "ruang-konseling-baru",
        },
    )
    assert response.status_code == 302
    counselor.refresh_from_db()
    assert counselor.check_password("ruang-konseling-baru")
    # Still signed in after the change.
    assert client.get(reverse("home")).status_code == 200


def test_password_shorter_than_ten_characters_is_refused(client_for, counselor):
    client = client_for(counselor)
    response = client.post(
        reverse("password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": "Bk-2026x", "new_password2": "Bk-2026x"},
    )
    assert response.status_code == 200
    assert "10 karakter" in response.content.decode()
    counselor.refresh_from_db()
    assert counselor.check_password(TEST_PASSWORD)


def _age_session(client, *, idle: int, total: int) -> None:
    session = client.session
    now = int(time.time())
    session[SESSION_SEEN] = now - idle
    session[SESSION_STARTED] = now - total
    session.save()


def test_session_expires_after_30_minutes_idle(client_for, counselor):
    client = client_for(counselor)
    client.get(reverse("home"))
    _age_session(client, idle=31 * 60, total=31 * 60)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert client.get(reverse("home")).status_code == 302


def test_session_survives_29_minutes_idle(client_for, counselor):
    client = client_for(counselor)
    client.get(reverse("home"))
    _age_session(client, idle=29 * 60, total=5 * 60 * 60)
    assert client.get(reverse("home")).status_code == 200


def test_session_expires_after_12_hours_even_when_active(client_for, counselor):
    client = client_for(counselor)
    client.get(reverse("home"))
    _age_session(client, idle=60, total=12 * 60 * 60 + 60)
    assert client.get(reverse("home")).status_code == 302


def test_authenticated_page_sends_security_headers(client_for, counselor):
    response = client_for(counselor).get(reverse("home"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "style-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"]


def test_pages_have_no_inline_scripts_or_styles(client_for, admin_staff):
    client = client_for(admin_staff)
    for url in [reverse("home"), reverse("staff:account_list"), reverse("staff:account_create")]:
        html = client.get(url).content.decode()
        assert "<script>" not in html
        assert "style=" not in html
        assert "<style" not in html


def test_sign_in_page_has_the_content_security_policy(client, db):
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert response["Content-Security-Policy"]
