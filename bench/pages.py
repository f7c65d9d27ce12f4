"""The pages `make bench` drives: one line each.

``role`` is who asks for the page (``ANY_ROLE``: every signed-in bench user); ``path`` may hold
``{student}``, ``{case}``, ``{semester}`` or ``{appraisal_form}``, filled with a record of the
demo's first school that has history (see run.py's ``sample_records``). The baseline is a
trivial page behind the sign-in: every other page's latency is also given as a multiple of its
latency.
"""

from dataclasses import dataclass

ANY_ROLE = "*"

# Who signs in for each role (the demo accounts of the first school; password bk-demo-2026).
ACCOUNTS = {
    "principal": "kepsek",
    "vice_principal": "wakasek",
    "counselor": "gurubk1",
}
PASSWORD = "bk-demo-2026"


@dataclass(frozen=True)
class Page:
    name: str
    role: str
    path: str
    baseline: bool = False
    # Also measure what a browser downloads for it (HTML and every asset) on a first and a
    # later visit.
    weigh: bool = False


PAGES = [
    Page("baseline: password form", ANY_ROLE, "/accounts/password/", baseline=True),
    Page("principal home", "principal", "/", weigh=True),
    Page("vice principal home", "vice_principal", "/"),
    Page("counselor home", "counselor", "/"),
    Page("student list", "counselor", "/counseling/students/"),
    Page("student page", "counselor", "/counseling/students/{student}/"),
    Page("case list", "counselor", "/counseling/cases/"),
    Page("meeting calendar", "vice_principal", "/supervision/calendar/?view=month"),
    Page("appraisal form", "principal", "/supervision/appraisals/{appraisal_form}"),
    Page("principal dashboard", "principal", "/supervision/dashboard/", weigh=True),
    Page("period report", "principal", "/supervision/report/semester/{semester}/"),
]


def baseline_page() -> Page:
    return next(page for page in PAGES if page.baseline)


def pages_for(role: str) -> list[Page]:
    return [page for page in PAGES if page.role in (role, ANY_ROLE)]
