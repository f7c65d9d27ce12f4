"""DESIGN.md, confidentiality: competency appraisals are the principal's (all of the own school)
and the appraised counselor's (own only), nobody else's — not the vice principal's. Every
appraisal and competency page is asked for as each person; whatever they may not see is 404.
"""

import pytest
from django.urls import reverse

from counseling.pdf import load_weasyprint
from staff.models import Appraisal
from supervision import urls as supervision_urls

# Some tests reach the database only through request.getfixturevalue; the mark keeps them
# among the database tests, before the transactional ones empty the database.
pytestmark = pytest.mark.django_db

PEOPLE = [
    "principal",
    "vice_principal",
    "counselor",  # the appraised counselor
    "other_counselor",
    "homeroom_teacher",
    "subject_teacher",
    "admin_staff",
    "other_principal",
    "other_admin_staff",
    "foreign_counselor",
]
NOBODY = dict.fromkeys(PEOPLE, 404)
PDF = 200 if load_weasyprint() is not None else 503
# Pages without a record: each school's own principal and counselors.
OWN_LIST = {
    "principal": 200,
    "counselor": 200,
    "other_counselor": 200,
    "other_principal": 200,
    "foreign_counselor": 200,
}
# The finalised appraisal of `counselor` by the principal.
BOTH = {"principal": 200, "counselor": 200}
POST_ONLY = 405

EXPECTED = {
    "appraisal_list": {**NOBODY, **OWN_LIST},
    "appraisal_start": {**NOBODY, **dict.fromkeys(OWN_LIST, POST_ONLY)},
    "appraisal_detail": {**NOBODY, **BOTH},
    # A finalised appraisal sends both to its page: nobody edits it.
    "appraisal_edit": {**NOBODY, "principal": 302, "counselor": 302},
    "appraisal_finalise": {**NOBODY, "principal": POST_ONLY, "counselor": POST_ONLY},
    "appraisal_acknowledge": {**NOBODY, "principal": POST_ONLY, "counselor": POST_ONLY},
    "appraisal_print": {**NOBODY, **BOTH},
    "appraisal_pdf": {**NOBODY, "principal": PDF, "counselor": PDF},
    "appraisal_compare": {**NOBODY, **BOTH},
    # A counselor is sent on to the own profile.
    "competency_overview": {
        **NOBODY,
        "principal": 200,
        "other_principal": 200,
        "counselor": 302,
        "other_counselor": 302,
        "foreign_counselor": 302,
    },
    "competency_profile": {**NOBODY, **BOTH},
}


def _appraisal_patterns() -> dict[str, list[str]]:
    """The appraisal and competency pages (meetings and visits live beside them)."""
    return {
        pattern.name: list(pattern.pattern.converters)
        for pattern in supervision_urls.urlpatterns
        if pattern.name.startswith(("appraisal_", "competency_"))
    }


def _url(name: str, params: list[str], finalised: Appraisal) -> str:
    if not params:
        return reverse(f"supervision:{name}")
    pk = finalised.counselor_id if name == "competency_profile" else finalised.pk
    return reverse(f"supervision:{name}", args=[pk])


def test_every_page_answers_each_person_as_the_table_says(request, client_for, finalised):
    patterns = _appraisal_patterns()
    assert set(patterns) == set(EXPECTED), "every appraisal page needs a row here"
    people = {name: request.getfixturevalue(name) for name in PEOPLE}
    mismatches = {}
    for name, params in patterns.items():
        url = _url(name, params, finalised)
        for person, user in people.items():
            status = client_for(user).get(url).status_code
            if status != EXPECTED[name][person]:
                mismatches[name, person] = (status, EXPECTED[name][person])
    assert mismatches == {}


@pytest.mark.parametrize(
    ("record", "readers"),
    [
        # The principal's draft is the principal's work until finalised.
        ("principal_draft", {"principal"}),
        # The self-appraisal is the counselor's until submitted.
        ("self_draft", {"counselor"}),
    ],
)
@pytest.mark.parametrize("page", ["appraisal_detail", "appraisal_edit", "appraisal_print"])
def test_a_draft_is_seen_only_by_its_author(request, client_for, record, readers, page):
    appraisal = request.getfixturevalue(record)
    url = reverse(f"supervision:{page}", args=[appraisal.pk])
    for person in PEOPLE:
        status = client_for(request.getfixturevalue(person)).get(url).status_code
        assert (status == 200) == (person in readers), (person, status)


def test_the_principal_sees_a_self_appraisal_once_submitted(client_for, principal, self_draft):
    from staff.appraisals import appraisal_finalise, appraisal_save, saved_scores

    url = reverse("supervision:appraisal_detail", args=[self_draft.pk])
    assert client_for(principal).get(url).status_code == 404
    counselor = self_draft.counselor
    appraisal_save(
        appraisal=self_draft,
        user=counselor,
        version=self_draft.version,
        scores=dict.fromkeys(saved_scores(self_draft), 2),
        notes="",
    )
    appraisal_finalise(appraisal=self_draft, user=counselor, version=self_draft.version)
    assert client_for(principal).get(url).status_code == 200


def test_the_counselor_sees_the_principals_appraisal_once_finalised(
    client_for, principal, other_counselor, principal_draft
):
    from staff.appraisals import appraisal_finalise, appraisal_save, saved_scores

    url = reverse("supervision:appraisal_detail", args=[principal_draft.pk])
    assert client_for(other_counselor).get(url).status_code == 404
    appraisal_save(
        appraisal=principal_draft,
        user=principal,
        version=principal_draft.version,
        scores=dict.fromkeys(saved_scores(principal_draft), 1),
        notes="",
    )
    appraisal_finalise(appraisal=principal_draft, user=principal, version=principal_draft.version)
    assert client_for(other_counselor).get(url).status_code == 200


# Who may change what with POST; everyone else gets 404 and nothing changes.


@pytest.mark.parametrize("person", [p for p in PEOPLE if p != "principal"])
def test_only_the_principal_scores_and_finalises_the_principals_draft(
    request, client_for, principal_draft, person
):
    client = client_for(request.getfixturevalue(person))
    for page in ["appraisal_edit", "appraisal_finalise"]:
        url = reverse(f"supervision:{page}", args=[principal_draft.pk])
        response = client.post(url, {"version": principal_draft.version, "finalise": "1"})
        assert response.status_code == 404, (page, response.status_code)
    principal_draft.refresh_from_db()
    assert principal_draft.is_draft and principal_draft.version == 0


@pytest.mark.parametrize("person", [p for p in PEOPLE if p != "counselor"])
def test_only_the_appraised_counselor_acknowledges(request, client_for, finalised, person):
    response = client_for(request.getfixturevalue(person)).post(
        reverse("supervision:appraisal_acknowledge", args=[finalised.pk]),
        {"counselor_comment": "bukan saya"},
    )
    assert response.status_code == 404
    finalised.refresh_from_db()
    assert finalised.status == Appraisal.Status.FINALISED


@pytest.mark.parametrize(
    "person",
    ["vice_principal", "homeroom_teacher", "subject_teacher", "admin_staff", "other_admin_staff"],
)
def test_people_without_appraisals_cannot_start_one(
    request, client_for, counselor, semester, person
):
    response = client_for(request.getfixturevalue(person)).post(
        reverse("supervision:appraisal_start"),
        {"counselor": counselor.pk, "semester": semester.pk},
    )
    assert response.status_code == 404
    assert not Appraisal.objects.exists()


def test_another_principal_cannot_start_an_appraisal_of_this_schools_counselor(
    client_for, other_principal, counselor, semester
):
    response = client_for(other_principal).post(
        reverse("supervision:appraisal_start"),
        {"counselor": counselor.pk, "semester": semester.pk},
    )
    assert response.status_code == 302
    assert not Appraisal.objects.exists()


def test_no_appraisal_detail_leaks_into_the_pages_of_others(
    client_for, finalised, other_counselor, vice_principal
):
    """Names and scores of an appraisal appear nowhere the walk allows others to go."""
    for person in [other_counselor, vice_principal]:
        client = client_for(person)
        for url in [reverse("home"), reverse("staff:training_list")]:
            html = client.get(url).content.decode()
            shown = str(finalised.final_score)
            assert shown not in html and shown.replace(".", ",") not in html
            assert reverse("supervision:appraisal_detail", args=[finalised.pk]) not in html
