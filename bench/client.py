"""How the bench's HTTP clients talk to the application like a browser behind the TLS proxy.

With DJANGO_DEBUG=0 the application redirects plain HTTP to HTTPS and marks its cookies
Secure. In production a TLS-terminating proxy sits in front and says so in
``X-Forwarded-Proto: https`` (the bench starts the application with DJANGO_BEHIND_TLS_PROXY=1).
The bench clients play that proxy on the loopback: they send the header, and they send the
Secure cookies over the loopback connection, as the proxy forwards them.
"""

import re

import requests
from requests.cookies import RequestsCookieJar

FORWARDED_HTTPS = {"X-Forwarded-Proto": "https"}
LOGIN_PATH = "/accounts/login/"
QUERY_COUNT_HEADER = "X-DB-Queries"
TIMEOUT = 60


class BehindTheProxyCookies(RequestsCookieJar):
    """Keeps the application's Secure cookies so that they travel over the loopback, as the
    TLS proxy forwards them. (requests copies the jar for every request, so a cookie policy
    would not last: the cookies themselves are kept without the flag.)"""

    def set_cookie(self, cookie, *args, **kwargs):
        cookie.secure = False
        return super().set_cookie(cookie, *args, **kwargs)


def as_the_proxy(session: requests.Session) -> requests.Session:
    session.cookies = BehindTheProxyCookies()
    session.headers.update(FORWARDED_HTTPS)
    return session


class SignInFailed(RuntimeError):
    pass


def sign_in(session: requests.Session, host: str, username: str, password: str, **kwargs) -> None:
    """Through the real sign-in form (CSRF token, django-axes and all); `kwargs` go to each
    request (Locust's `name`)."""
    url = host.rstrip("/") + LOGIN_PATH
    form = session.get(url, timeout=TIMEOUT, **kwargs)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
    if form.status_code != 200 or token is None:
        raise SignInFailed(f"the sign-in form answered {form.status_code}")
    answer = session.post(
        url,
        data={"username": username, "password": password, "csrfmiddlewaretoken": token[1]},
        # Django checks the Referer of secure requests against the host.
        headers={"Referer": "https://" + url.split("://", 1)[1]},
        allow_redirects=False,
        timeout=TIMEOUT,
        **kwargs,
    )
    if answer.status_code != 302 or LOGIN_PATH in answer.headers.get("Location", ""):
        raise SignInFailed(f"signing in as {username} answered {answer.status_code}")
