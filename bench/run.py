"""`make bench`: the application under load as in production, page by page.

Against the PostgreSQL database of DATABASE_URL: migrates, loads the demo data if the database
has no student (measuring the loader's peak memory), collects the static files, starts gunicorn
with DJANGO_DEBUG=0 and the recommended workers, weighs the pages marked for it, drives every
page of bench/pages.py with Locust (headless, fixed users and time), reads each gunicorn
worker's peak memory, stops the server and prints one row per page. The same rows go to
bench/results/bench-<time>.csv, beside Locust's own CSV files.
"""

import argparse
import csv
import gzip
import json
import os
import re
import secrets
import signal
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import brotli
import requests

from client import TIMEOUT, as_the_proxy, sign_in
from pages import ACCOUNTS, PAGES, PASSWORD, Page, baseline_page

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
PYTHON = sys.executable
# Workers per machine: the README's recommendation.
RECOMMENDED_WORKERS = 2 * (os.cpu_count() or 1) + 1
# What the demo's first school is called in the database (staff.demo.FIRST_SCHOOL).
FIRST_SCHOOL_ACCOUNT = ACCOUNTS["counselor"]


def main() -> int:
    options = _options()
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://", "pgsql://")):
        print(
            "make bench measures PostgreSQL, as in production: set DATABASE_URL, for example\n"
            "  createdb -h 127.0.0.1 -U postgres bench\n"
            "  DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench make bench",
            file=sys.stderr,
        )
        return 2
    started = time.monotonic()
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    results = Path(options.results)
    raw = results / f"locust-{stamp}"
    raw.mkdir(parents=True, exist_ok=True)
    env = _server_environment(database_url)

    _step("Migrating")
    _run([PYTHON, "manage.py", "migrate", "--no-input", "-v", "0"], env)
    seed_peak_kb = None
    if not _has_students(env):
        _step("Loading the demo data (the database has no student)")
        seed_peak_kb = _run_measured([PYTHON, "manage.py", "seed_demo", *options.seed_args], env)
        print(f"  peak memory of the loader: {seed_peak_kb / 1024:.0f} MB")
    samples = _sample_records(env)
    _step("Collecting static files")
    _run([PYTHON, "manage.py", "collectstatic", "--no-input", "-v", "0"], env)

    host = f"http://127.0.0.1:{options.port}"
    _step(f"Starting gunicorn with {options.workers} workers on {host}")
    server = subprocess.Popen(
        [
            str(Path(PYTHON).with_name("gunicorn")),
            "config.wsgi",
            "--workers",
            str(options.workers),
            "--bind",
            f"127.0.0.1:{options.port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        _wait_until_up(host, server)
        weights = {}
        for page in PAGES:
            if page.weigh:
                _step(f"Weighing {page.name}")
                weights[page.name] = _weigh(host, page, samples)
        _step(
            f"Driving the pages: {options.users} users for {options.run_time} "
            f"(spawning {options.spawn_rate} a second)"
        )
        queries_file = raw / "queries.json"
        driven = _drive(options, host, raw, samples, queries_file)
        memory = _worker_memory(server.pid)
    finally:
        _stop(server)

    rows = _rows(raw / "locust_stats.csv", queries_file, weights)
    csv_path = results / f"bench-{stamp}.csv"
    _write_csv(csv_path, rows)
    _print_report(rows, memory, seed_peak_kb, options, csv_path, time.monotonic() - started)
    failures = sum(row["failures"] for row in rows)
    if driven.returncode != 0 or failures or not any(row["requests"] for row in rows):
        print(
            f"The run failed: Locust exited with {driven.returncode}, {failures} failed requests."
        )
        return 1
    return 0


def _drive(options, host: str, raw: Path, samples: dict, queries_file: Path):
    """Locust, headless; its own summary and log go to files beside its CSV files."""
    command = [
        str(Path(PYTHON).with_name("locust")),
        *("-f", str(BENCH / "locustfile.py"), "--headless", "--host", host),
        *("--users", str(options.users), "--spawn-rate", str(options.spawn_rate)),
        *("--run-time", options.run_time, "--csv", str(raw / "locust")),
        # The sign-ins (Argon2, slow on purpose) happen while the users spawn; the pages are
        # measured from the moment all users are in.
        "--reset-stats",
        "--only-summary",
        *("--loglevel", "WARNING", "--logfile", str(raw / "locust.log")),
    ]
    env = {**os.environ, "BENCH_SAMPLES": json.dumps(samples), "BENCH_QUERIES": str(queries_file)}
    with (raw / "locust-summary.txt").open("w") as summary:
        return subprocess.run(
            command, cwd=ROOT, env=env, stdout=summary, stderr=subprocess.STDOUT, check=False
        )


def _options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=15, help="simultaneous users (15)")
    parser.add_argument("--spawn-rate", type=float, default=5, help="users started a second (5)")
    parser.add_argument("--run-time", default="2m", help="how long Locust drives them (2m)")
    parser.add_argument("--port", type=int, default=8170, help="gunicorn's port (8170)")
    parser.add_argument(
        "--workers",
        type=int,
        default=RECOMMENDED_WORKERS,
        help=f"gunicorn workers (2 × cores + 1 = {RECOMMENDED_WORKERS})",
    )
    parser.add_argument(
        "--seed-args",
        default="",
        help="arguments for seed_demo when the database is empty, e.g. '--schools 50 --years 5'",
    )
    parser.add_argument("--results", default=str(BENCH / "results"), help="where results go")
    options = parser.parse_args()
    options.seed_args = options.seed_args.split()
    return options


def _server_environment(database_url: str) -> dict[str, str]:
    """Production settings, on the loopback: debug off, behind a (pretend) TLS proxy, with the
    query count in a response header."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_BEHIND_TLS_PROXY": "1",
        "DJANGO_QUERY_COUNT_HEADER": "1",
        "DJANGO_LOG_LEVEL": "WARNING",
    }


def _step(text: str) -> None:
    print(f"== {text}", flush=True)


def _run(command: list[str], env: dict[str, str], *, check: bool = True) -> None:
    result = subprocess.run(command, cwd=ROOT, env=env, check=False)
    if check and result.returncode != 0:
        raise SystemExit(f"{' '.join(command[:3])} failed with exit code {result.returncode}")


def _run_measured(command: list[str], env: dict[str, str]) -> int:
    """Run a command and return its peak resident memory in kB (from the kernel's accounting
    of that one child, wait4's rusage)."""
    child = subprocess.Popen(command, cwd=ROOT, env=env)
    _pid, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(command[:3])} failed with exit code {child.returncode}")
    return usage.ru_maxrss


def _django_json(code: str, env: dict[str, str]):
    """Evaluate Python with the project's settings in a child process; it prints JSON."""
    result = subprocess.run(
        [PYTHON, "-c", f"import django, json; django.setup(); {code}"],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def _has_students(env: dict[str, str]) -> bool:
    return _django_json(
        "from counseling.models import Student; print(json.dumps(Student.objects.exists()))", env
    )


def _sample_records(env: dict[str, str]) -> dict[str, int]:
    """A student of the bench counselor's school with the longest history, one of its cases,
    the current semester, and the principal's appraisal form (a draft being filled in, else the
    latest appraisal's page): what the pages' paths may name."""
    code = f"""
from django.db.models import Count
from counseling.models import Case, Student
from staff.models import Appraisal, Semester, User
school = User.objects.get(username={FIRST_SCHOOL_ACCOUNT!r}).school_id
student = (Student.objects.filter(school_id=school).annotate(n=Count('cases'))
           .order_by('-n', 'pk').first())
case = Case.objects.filter(student=student).order_by('-opened_on').first()
semester = Semester.objects.get(school_id=school, is_current=True)
appraisals = Appraisal.objects.filter(school_id=school, kind='principal')
draft = appraisals.filter(status='draft').order_by('-semester__start_date', 'pk').first()
latest = draft or appraisals.order_by('-semester__start_date', 'pk').first()
form = f'{{latest.pk}}/edit/' if draft else f'{{latest.pk}}/' if latest else ''
print(json.dumps({{'student': student.pk, 'case': case.pk if case else 0,
                  'semester': semester.pk, 'appraisal_form': form}}))
"""
    return _django_json(code, env)


def _wait_until_up(host: str, server: subprocess.Popen) -> None:
    for _ in range(120):
        if server.poll() is not None:
            raise SystemExit("gunicorn stopped while starting")
        try:
            answer = requests.get(
                host + "/healthz", headers={"X-Forwarded-Proto": "https"}, timeout=2
            )
            if answer.status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise SystemExit("gunicorn did not answer /healthz within a minute")


def _gunicorn_workers(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children")
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []


def _peak_kb(pid: int) -> int:
    match = re.search(r"^VmHWM:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text(), re.M)
    return int(match[1]) if match else 0


def _worker_memory(master: int) -> dict[int, int]:
    """Each worker's peak resident memory so far (VmHWM), in kB, read before stopping them."""
    return {pid: _peak_kb(pid) for pid in _gunicorn_workers(master)}


def _stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


# --- Page weight ------------------------------------------------------------------------------

# A later visit comes a day later: what the cache headers allow to keep that long is not
# fetched again; everything else is (the HTML of a signed-in page is never stored).
LATER_VISIT_SECONDS = 24 * 60 * 60


class _Assets(HTMLParser):
    """What a page makes the browser fetch: style sheets, scripts, icons and images."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        attributes = dict(attrs)
        if tag == "link" and {"stylesheet", "icon"} & set(attributes.get("rel", "").split()):
            self.urls.append(attributes.get("href") or "")
        elif tag in {"script", "img"} and attributes.get("src"):
            self.urls.append(attributes["src"])


_URL = re.compile(r"url\(\s*(['\"]?)([^'\")]+)\1\s*\)")
_FONT_FACE = re.compile(r"@font-face\s*{[^}]*}", re.S)
_FONT_SOURCES = re.compile(r"src\s*:([^;}]*)")


def _css_urls(css: str) -> list[str]:
    """The files a style sheet loads: of each @font-face's sources only the first (the browser
    takes the first format it supports, woff2 here), and every other url()."""
    urls = []
    for face in _FONT_FACE.findall(css):
        for sources in _FONT_SOURCES.findall(face):
            first = _URL.search(sources)
            if first:
                urls.append(first[2])
    urls += [match[1] for match in _URL.findall(_FONT_FACE.sub("", css))]
    return [url.strip() for url in urls if not url.strip().startswith("data:")]


@dataclass
class _Download:
    url: str
    sent_bytes: int
    kept_on_later_visit: bool
    text: str


def _download(session: requests.Session, url: str) -> _Download:
    answer = session.get(url, headers={"Accept-Encoding": "gzip, br"}, stream=True, timeout=TIMEOUT)
    body = answer.raw.read(decode_content=False)
    encoding = answer.headers.get("Content-Encoding", "")
    plain = (
        brotli.decompress(body)
        if encoding == "br"
        else gzip.decompress(body)
        if encoding == "gzip"
        else body
    )
    kind = answer.headers.get("Content-Type", "")
    return _Download(
        url=url,
        sent_bytes=len(body),
        kept_on_later_visit=_kept(answer.headers.get("Cache-Control", "")),
        text=plain.decode("utf-8", "replace")
        if kind.startswith(("text/", "application/javascript"))
        else "",
    )


def _kept(cache_control: str) -> bool:
    directives = {part.strip().split("=")[0]: part.strip() for part in cache_control.split(",")}
    if "no-store" in directives or "no-cache" in directives:
        return False
    if "immutable" in directives:
        return True
    max_age = directives.get("max-age", "max-age=0").split("=", 1)[1]
    return max_age.isdigit() and int(max_age) >= LATER_VISIT_SECONDS


def _weigh(host: str, page: Page, samples: dict[str, int]) -> dict[str, float]:
    """The bytes sent for the page and everything it loads, as compressed as the server sends
    them to a browser accepting gzip and brotli, on a first visit and on a later one."""
    session = as_the_proxy(requests.Session())
    sign_in(
        session,
        host,
        ACCOUNTS[page.role] if page.role in ACCOUNTS else ACCOUNTS["principal"],
        PASSWORD,
    )
    html = _download(session, host + page.path.format(**samples))
    parser = _Assets()
    parser.feed(html.text)
    pending = [urljoin(html.url, url) for url in parser.urls if url]
    seen: dict[str, _Download] = {}
    while pending:
        url = pending.pop(0).split("#", 1)[0]
        if url in seen or urlsplit(url).netloc != urlsplit(host).netloc:
            continue
        seen[url] = _download(session, url)
        if url.split("?", 1)[0].endswith(".css"):
            pending += [urljoin(url, inner) for inner in _css_urls(seen[url].text)]
    everything = [html, *seen.values()]
    return {
        "first_load_kb": sum(item.sent_bytes for item in everything) / 1024,
        "later_load_kb": sum(item.sent_bytes for item in everything if not item.kept_on_later_visit)
        / 1024,
        "files": len(everything),
    }


# --- The report -------------------------------------------------------------------------------

COLUMNS = [
    "page",
    "role",
    "requests",
    "failures",
    "median_ms",
    "p95_ms",
    "requests_per_s",
    "median_vs_baseline",
    "queries",
    "first_load_kb",
    "later_load_kb",
]


def _rows(stats_csv: Path, queries_file: Path, weights: dict) -> list[dict]:
    stats = {}
    if stats_csv.exists():
        with stats_csv.open(encoding="utf-8") as handle:
            stats = {row["Name"]: row for row in csv.DictReader(handle)}
    queries = json.loads(queries_file.read_text()) if queries_file.exists() else {}
    baseline = stats.get(baseline_page().name, {})
    baseline_median = float(baseline.get("Median Response Time") or 0)
    rows = []
    for page in PAGES:
        row = stats.get(page.name, {})
        median = float(row.get("Median Response Time") or 0)
        counts = queries.get(page.name, [])
        weight = weights.get(page.name, {})
        rows.append(
            {
                "page": page.name,
                "role": page.role,
                "requests": int(row.get("Request Count") or 0),
                "failures": int(row.get("Failure Count") or 0),
                "median_ms": median,
                "p95_ms": float(row.get("95%") or 0),
                "requests_per_s": round(float(row.get("Requests/s") or 0), 2),
                "median_vs_baseline": round(median / baseline_median, 2) if baseline_median else "",
                "queries": _query_summary(counts),
                "first_load_kb": round(weight["first_load_kb"], 1) if weight else "",
                "later_load_kb": round(weight["later_load_kb"], 1) if weight else "",
            }
        )
    return rows


def _query_summary(counts: list[int]) -> str:
    if not counts:
        return ""
    low, high = min(counts), max(counts)
    return str(low) if low == high else f"{low}–{high} (median {statistics.median(counts):g})"


def _write_csv(path: Path, rows: list[dict]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)


def _print_report(rows, memory, seed_peak_kb, options, csv_path, elapsed) -> None:
    headings = [
        "page",
        "role",
        "req",
        "fail",
        "median ms",
        "p95 ms",
        "req/s",
        "× base",
        "queries",
        "1st KB",
        "later KB",
    ]
    table = [headings] + [[str(row[column]) for column in COLUMNS] for row in rows]
    widths = [max(len(line[i]) for line in table) for i in range(len(headings))]
    print()
    print(
        f"{options.users} users for {options.run_time}, gunicorn with {options.workers} "
        f"workers, DJANGO_DEBUG=0, PostgreSQL"
    )
    for number, line in enumerate(table):
        print(
            "  ".join(
                cell.ljust(width) if i < 2 else cell.rjust(width)
                for i, (cell, width) in enumerate(zip(line, widths, strict=True))
            )
        )
        if number == 0:
            print("  ".join("-" * width for width in widths))
    print()
    if memory:
        peaks = ", ".join(f"{kb / 1024:.0f}" for kb in sorted(memory.values()))
        print(f"Peak memory of each gunicorn worker (VmHWM): {peaks} MB (target: under 250 MB)")
    if seed_peak_kb is not None:
        print(f"Peak memory of the demo loader: {seed_peak_kb / 1024:.0f} MB (target: under 2 GB)")
    print(f"Written to {csv_path}; Locust's own files beside it. Took {elapsed / 60:.1f} minutes.")


if __name__ == "__main__":
    sys.exit(main())
