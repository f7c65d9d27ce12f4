"""Only the principal of the school opens the dashboard, the period reports and the counts of
personal books behind them: every other role gets 404, so does the other school's principal
for this school's periods. The pages name no student, keep to the strict CSP, offer
themselves in the principal's menu only, and read from the replica."""

import re

import pytest
from django.urls import reverse

from staff import replica
from supervision.views import dashboard as views
from tests.conftest import ROLE_FIXTURES
from tests.factories import ClassroomFactory, PersonalBookFactory, StudentFactory

OTHER_ROLES = [role for role in ROLE_FIXTURES if role != "principal"]


def _pages(semester) -> list[str]:
    year = semester.academic_year_id
    return [
        reverse("supervision:dashboard"),
        reverse("supervision:dashboard") + f"?semester={semester.pk}",
        reverse("supervision:book_overview"),
        reverse("supervision:report_index"),
        reverse("supervision:report_semester", args=[semester.pk]),
        reverse("supervision:report_year", args=[year]),
        reverse("supervision:report_semester_pdf", args=[semester.pk]),
        reverse("supervision:report_year_pdf", args=[year]),
    ]


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_no_role_but_the_principal_opens_the_dashboard_or_the_reports(
    request, client_for, semester, role
):
    client = client_for(request.getfixturevalue(role))
    for url in _pages(semester):
        assert client.get(url).status_code == 404, (role, url)


def test_the_other_schools_principal_cannot_open_this_schools_periods(
    client_for, other_principal, semester, school
):
    client = client_for(other_principal)
    for url in _pages(semester):
        if url.endswith("/dashboard/") or url.endswith("/books/") or url.endswith("/report/"):
            # Their own school's pages: nothing of this school on them.
            response = client.get(url)
            assert response.status_code == 200
            assert school.name not in response.content.decode()
        else:
            assert client.get(url).status_code == 404, url


def test_signing_in_is_required(client, semester):
    response = client.get(reverse("supervision:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_principal_opens_every_page(client_for, principal, semester, monkeypatch):
    monkeypatch.setattr(views.pdf, "load_weasyprint", lambda: None)
    client = client_for(principal)
    for url in _pages(semester):
        expected = 503 if url.endswith("/pdf/") else 200  # without WeasyPrint: what to install
        assert client.get(url).status_code == expected, url
    assert client.post(reverse("supervision:dashboard")).status_code == 405


def test_the_principal_sees_counts_of_personal_books_never_a_childs_name(
    client_for, principal, counselor, school
):
    classroom = ClassroomFactory(
        school=school,
        academic_year=school.academic_years.get(is_current=True),
        counselor=counselor,
    )
    student = StudentFactory(school=school, classroom=classroom, full_name="Rahasia Anak Asuh")
    PersonalBookFactory(student=student, completeness=70)
    for url in [reverse("supervision:book_overview"), reverse("supervision:dashboard")]:
        html = client_for(principal).get(url).content.decode()
        assert "Rahasia Anak Asuh" not in html
        assert student.nisn not in html
        assert reverse("counseling:student_book", args=[student.pk]) not in html


def test_the_dashboard_is_in_the_principals_menu_only(client_for, request):
    url = reverse("supervision:dashboard")
    for role in ROLE_FIXTURES:
        menu = client_for(request.getfixturevalue(role)).get(reverse("home")).context["menu_items"]
        offered = any(item["url"] == url for item in menu)
        assert offered is (role == "principal"), role


def test_the_pages_keep_to_the_strict_csp(client_for, principal, semester):
    client = client_for(principal)
    for url in _pages(semester)[:6]:
        html = client.get(url).content.decode()
        assert "<script>" not in html and "style=" not in html, url
        for script in re.findall(r"<script[^>]*>", html):
            assert "src=" in script or 'type="application/json"' in script, (url, script)


@pytest.mark.parametrize(
    "view", ["dashboard", "book_overview", "report_index", "report_semester", "report_year"]
)
def test_the_pages_read_from_the_replica_to_the_last_template(
    client_for, principal, semester, monkeypatch, view
):
    seen = []
    render = views.render

    def spying_render(*args, **kwargs):
        seen.append(replica._reporting.get())
        return render(*args, **kwargs)

    monkeypatch.setattr(views, "render", spying_render)
    args = {"report_semester": [semester.pk], "report_year": [semester.academic_year_id]}
    client_for(principal).get(reverse(f"supervision:{view}", args=args.get(view, [])))
    assert seen == [True]
