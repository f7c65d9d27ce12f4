"""Small helpers shared by the pages of every app."""

import datetime
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db import models
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.utils import formats, timezone


def query_without_page(request: HttpRequest) -> str:
    """The list's filters, for the pagination links to carry along."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def pk_param(request: HttpRequest, name: str) -> int | None:
    """An optional id from the query string; anything but digits is a page that does not
    exist."""
    value = request.GET.get(name, "")
    if not value:
        return None
    if not value.isdigit():
        raise Http404
    return int(value)


def reopen_after_stale_edit(
    request: HttpRequest, message: str, url_name: str, **kwargs
) -> HttpResponse:
    """Somebody saved the record after the form was opened and nothing was written: say so,
    and open the form again on the record as it is now."""
    messages.error(request, message)
    return redirect(url_name, **kwargs)


def paginate(request: HttpRequest, items, per_page: int = 50) -> Page:
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def require_post_for(lookup: Callable[[HttpRequest, int], Any]) -> Callable:
    """@require_POST for a state change of one record: the record is looked up first (404 when
    the user may not see it), so that asking with GET reveals nothing of which records exist;
    then anything but POST answers 405. The view receives the record instead of its pk."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: HttpRequest, pk: int, *args, **kwargs):
            record = lookup(request, pk)
            if request.method != "POST":
                return HttpResponseNotAllowed(["POST"])
            return view(request, record, *args, **kwargs)

        return wrapped

    return decorator


def add_form_errors(form: BaseForm, error: ValidationError) -> None:
    """Put a service's ValidationError on the form, on its fields where the form has them."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def edit_differences(form: BaseForm, current, names: Iterable[str]) -> list[dict[str, str]]:
    """The fields where the saved record (another person's edit) and the submitted form differ,
    shown side by side so nothing has to be retyped blindly."""

    def saved_value(name: str):
        value = getattr(current, name)
        return list(value.all()) if hasattr(value, "all") else value

    return _difference_rows(form, names, saved_value)


def form_differences(form: BaseForm, saved: BaseForm, names: Iterable[str]) -> list[dict[str, str]]:
    """edit_differences for a form whose fields are not the record's attributes (a meeting's
    day, times and people; the minutes' attendance): the other person's version as the unbound
    form `saved`, opened on the record as it is now, shows it."""
    return _difference_rows(
        form, names, lambda name: saved.get_initial_for_field(saved.fields[name], name)
    )


def _difference_rows(
    form: BaseForm, names: Iterable[str], saved_value: Callable[[str], Any]
) -> list[dict[str, str]]:
    """Rows of label, theirs, yours (counseling/_conflict_differences.html) where they differ."""
    rows = []
    for name in names:
        if name not in form.fields:
            continue
        field = form.fields[name]
        theirs = display_value(field, saved_value(name))
        yours = display_value(field, form.cleaned_data.get(name))
        if theirs != yours:
            rows.append({"label": field.label, "theirs": theirs, "yours": yours})
    return rows


def display_value(field, value) -> str:
    """A form value as a person reads it."""
    if value is None or value == "" or value == []:
        return ""
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "DATE_FORMAT")
    if isinstance(value, datetime.time):
        return formats.time_format(value, "H:i")
    if isinstance(field, forms.ModelMultipleChoiceField) and not hasattr(value, "model"):
        # An unbound form's initial may hold the chosen records' keys rather than the records.
        chosen = list(value)
        if chosen and not isinstance(chosen[0], models.Model):
            value = field.queryset.filter(pk__in=chosen)
    if hasattr(field, "label_from_instance"):
        if isinstance(value, Iterable):
            return ", ".join(sorted(str(field.label_from_instance(item)) for item in value))
        return str(field.label_from_instance(value))
    choices = getattr(field, "choices", None)
    if choices:
        return str(dict(choices).get(value, value))
    return str(value)


def with_value(data, name: str, value) -> Any:
    """The submitted data with one value replaced (the version a refused edit was shown)."""
    data = data.copy()
    data[name] = str(value)
    return data
