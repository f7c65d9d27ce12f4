"""Request-wide rules for signed-in people (session expiry, forced password change, no caching),
the language, and the benchmark's query count."""

import time
from contextlib import ExitStack

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.db import connections
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.translation import gettext as _

SESSION_STARTED = "ruangbk_started"
SESSION_SEEN = "ruangbk_seen"
# Writing the session on every request costs a query; a minute's precision is plenty.
SEEN_RESOLUTION_SECONDS = 60


class SessionExpiryMiddleware:
    """Signs out after SESSION_IDLE_TIMEOUT without a request, or SESSION_COOKIE_AGE in all."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            session = request.session
            started = session.get(SESSION_STARTED, now)
            seen = session.get(SESSION_SEEN, now)
            if (
                now - seen > settings.SESSION_IDLE_TIMEOUT
                or now - started > settings.SESSION_COOKIE_AGE
            ):
                logout(request)
                messages.info(request, _("Your session ended. Please sign in again."))
                return redirect(f"{reverse('login')}?next={request.path}")
            if SESSION_STARTED not in session:
                session[SESSION_STARTED] = now
            if now - seen >= SEEN_RESOLUTION_SECONDS or SESSION_SEEN not in session:
                session[SESSION_SEEN] = now
        return self.get_response(request)


class PasswordChangeRequiredMiddleware:
    """Someone else set this person's password: nothing else until they choose their own."""

    allowed_url_names = ("password_change", "logout", "set_language")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and user.must_change_password:
            allowed = {reverse(name) for name in self.allowed_url_names}
            if request.path not in allowed and not request.path.startswith(settings.STATIC_URL):
                return redirect("password_change")
        return self.get_response(request)


class NoStoreForAuthenticatedMiddleware:
    """Pages for a signed-in person never go into a browser's or proxy's cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.user.is_authenticated:
            add_never_cache_headers(response)
        return response


class LanguageMiddleware:
    """Bahasa Indonesia unless the person chose another language with the switcher.

    Unlike Django's LocaleMiddleware, the browser's Accept-Language is ignored: many school
    computers run English browsers, and the school's language is Indonesian.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        available = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ["Cookie"])
        response.headers.setdefault("Content-Language", language)
        return response


QUERY_COUNT_HEADER = "X-DB-Queries"


class QueryCountHeaderMiddleware:
    """Says in a response header how many database queries the request made, on every database.

    For the benchmark (`make bench`), which sets DJANGO_QUERY_COUNT_HEADER=1: production
    settings keep no query log. First in MIDDLEWARE, so that the other middleware's queries
    (session, user, roles) count too. Off by default: the number tells outsiders something of
    the inside.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        counter = _QueryCounter()
        # Each connection once (tests let the replica alias share the default connection).
        watched = {id(connection): connection for connection in connections.all()}
        with ExitStack() as stack:
            for connection in watched.values():
                stack.enter_context(connection.execute_wrapper(counter))
            response = self.get_response(request)
        response[QUERY_COUNT_HEADER] = str(counter.count)
        return response


class _QueryCounter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)
