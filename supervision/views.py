"""Pages that gather the records of several apps: the role homes (and, later, the dashboards)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from staff.selectors import current_semester


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Everyone's start page: who they are, and a panel for each role they hold."""
    user = request.user
    context = {"semester": current_semester(user.school)}
    return render(request, "supervision/home.html", context)
