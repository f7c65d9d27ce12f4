"""Locust users for `make bench`: one class per role, each signing in through the real form and
then asking for its pages of bench/pages.py in turn. Started by bench/run.py, which passes the
sample records (BENCH_SAMPLES) and where to write each page's query counts (BENCH_QUERIES)."""

import json
import os
from collections import defaultdict

from locust import HttpUser, between, events

from client import QUERY_COUNT_HEADER, as_the_proxy, sign_in
from pages import ACCOUNTS, PASSWORD, pages_for

SAMPLES = json.loads(os.environ.get("BENCH_SAMPLES", "{}"))
QUERIES: dict[str, list[int]] = defaultdict(list)


def _visit(page):
    path = page.path.format(**SAMPLES)

    def visit(user: HttpUser) -> None:
        with user.client.get(path, name=page.name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{page.name}: {response.status_code}")
                return
            count = response.headers.get(QUERY_COUNT_HEADER)
            if count is not None:
                QUERIES[page.name].append(int(count))

    visit.__name__ = f"visit {page.name}"
    return visit


def _role_user(role: str) -> type[HttpUser]:
    def on_start(self) -> None:
        as_the_proxy(self.client)
        sign_in(self.client, self.host, ACCOUNTS[role], PASSWORD, name="sign in")

    return type(
        f"{role.title().replace('_', '')}User",
        (HttpUser,),
        {
            # People read a page before the next click; the bench keeps them busy.
            "__module__": __name__,
            "wait_time": between(0.2, 0.8),
            "on_start": on_start,
            "tasks": [_visit(page) for page in pages_for(role)],
        },
    )


# Locust runs the User classes it finds in this module: one per role.
globals().update({user.__name__: user for user in map(_role_user, ACCOUNTS)})


@events.quitting.add_listener
def _write_query_counts(environment, **kwargs) -> None:
    target = os.environ.get("BENCH_QUERIES")
    if target:
        with open(target, "w", encoding="utf-8") as handle:
            json.dump(QUERIES, handle)
