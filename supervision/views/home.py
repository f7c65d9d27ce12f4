"""Everyone's start page: the role homes, gathering the records of several apps."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from counseling.referrals import teacher_home
from counseling.selectors import counselor_home
from staff.access import has_role
from staff.appraisals import appraisals_to_acknowledge
from staff.calendar import semester_due
from staff.models import Role
from staff.selectors import current_semester
from staff.training import overdue_reports_for_home
from supervision.selectors import (
    counselor_semester,
    facility_requests_waiting,
    meetings_home,
    vice_principal_home,
    vice_principal_semester,
)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Everyone's start page: who they are, and a panel for each role they hold."""
    user = request.user
    today = timezone.localdate()
    semester = current_semester(user.school)
    context = {"semester": semester}
    # None unless the user is a counselor; the template then leaves the panel out.
    context["counselor_home"] = counselor_home(user)
    # The own semester: competency, training and reports, meeting attendance.
    context["counselor_semester"] = counselor_semester(user, semester, today=today)
    if has_role(user, Role.HOMEROOM_TEACHER, Role.SUBJECT_TEACHER):
        context["teacher_home"] = teacher_home(user)
    # The own coming meetings and overdue action items (the school's, for its leaders).
    context["meetings_home"] = meetings_home(user)
    context["vice_principal_home"] = vice_principal_home(user)
    context["vice_principal_semester"] = vice_principal_semester(user, semester, today=today)
    context["facility_requests_waiting"] = facility_requests_waiting(user)
    context["to_acknowledge"] = appraisals_to_acknowledge(user)
    # Dissemination reports past due: the delegate's own, and the school's for the principal.
    context["overdue_reports"] = overdue_reports_for_home(user, today=today)
    # Administrative staff: today is in a semester of the current year not yet made current.
    context["semester_due"] = semester_due(user, today=today)
    return render(request, "supervision/home.html", context)
