"""Small helpers shared by the pages of every app."""

from django.core.paginator import Page, Paginator
from django.http import HttpRequest


def query_without_page(request: HttpRequest) -> str:
    """The list's filters, for the pagination links to carry along."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def paginate(request: HttpRequest, items, per_page: int = 50) -> Page:
    return Paginator(items, per_page).get_page(request.GET.get("page"))
