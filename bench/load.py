"""Comment submissions per second: 16 concurrent clients against gunicorn (4 workers).

Each submission is what a browser does: GET the form (the page, its CSRF cookie, the
signed form time stamp), then POST a valid comment. The load generator is a thread pool
of ``http.client`` connections to 127.0.0.1 only, bounded in requests and in time.
Three targets, interleaved: our consultation page (the big consultation), a bare Django
ModelForm view, a Wagtail form-builder page with the same fields.
"""

import http.client
import itertools
import os
import re
import subprocess
import sys
import threading
import time
import uuid
from urllib.parse import urlencode

from .measure import REPO, Figure, judge, median, ratio
from .services import free_port, wait_for_port

CLIENTS = 16
WORKERS = 4
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_FORM_TOKEN = re.compile(r'name="form_token" value="([^"]+)"')
_COOKIE = re.compile(r"csrftoken=([^;]+)")


class Gunicorn:
    def __init__(self, log):
        self.log = log
        self.process = None
        self.port = None

    def start(self):
        self.port = free_port()
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "PYTHONPATH": str(REPO)}
        self.process = subprocess.Popen(  # noqa: S603
            [
                sys.executable, "-m", "gunicorn", "bench.wsgi:application",
                "--workers", str(WORKERS),
                "--bind", f"127.0.0.1:{self.port}",
                "--chdir", str(REPO),
                "--timeout", "120",
                "--log-level", "warning",
            ],
            env=env,
            cwd=REPO,
        )  # fmt: skip
        if not wait_for_port(self.port, 60):
            self.stop()
            raise RuntimeError("gunicorn did not start")
        return self.port

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.process = None


def _request(port, method, path, body=None, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        conn.close()


def _get_form(port, path):
    status, headers, content = _request(port, "GET", path)
    if status != 200:
        raise RuntimeError(f"GET {path}: HTTP {status}")
    html = content.decode("utf-8", "replace")
    cookie = next((_COOKIE.search(v) for k, v in headers if k.lower() == "set-cookie"), None)
    csrf = _CSRF.search(html)
    if not (cookie and csrf):
        raise RuntimeError(f"GET {path}: no CSRF token")
    token = _FORM_TOKEN.search(html)
    return cookie.group(1), csrf.group(1), token.group(1) if token else None


def submit(target, port, n):
    """One submission (GET, then POST); raises unless the POST was accepted."""
    path, expect, fields = target
    cookie, csrf, form_token = _get_form(port, path)
    values = fields(n)
    values["csrfmiddlewaretoken"] = csrf
    if form_token is not None:
        values["form_token"] = form_token
    status, _, content = _request(
        port,
        "POST",
        path,
        body=urlencode(values),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={cookie}",
            "Referer": f"http://127.0.0.1:{port}{path}",
        },
    )
    if status != expect:
        raise RuntimeError(f"POST {path}: HTTP {status}, expected {expect}")
    return True


def run_load(target, port, seconds, max_requests):
    """Submissions per second of ``target`` with CLIENTS threads for at most ``seconds``."""
    counter = itertools.count()
    done, errors, lock = [0], [], threading.Lock()
    deadline = time.monotonic() + seconds

    def client():
        while time.monotonic() < deadline:
            n = next(counter)
            if n >= max_requests:
                return
            try:
                submit(target, port, n)
            except Exception as error:  # noqa: BLE001 (counted, the load goes on)
                with lock:
                    errors.append(str(error)[:200])
            else:
                with lock:
                    done[0] += 1

    started = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 120)
    elapsed = time.monotonic() - started
    return done[0] / elapsed, done[0], errors


def _targets(ctx):
    run = uuid.uuid4().hex[:8]
    body = "Đề nghị làm rõ phạm vi điều chỉnh của dự thảo đối với doanh nghiệp nhỏ, lần {n}."

    def comment(n):
        return {
            "article": "",
            "commenter_type": "individual",
            "display_name": "Nguyễn Văn An",
            "organisation_name": "",
            "email": f"load-{run}-{n}@example.vn",
            "phone": "0912 345 678",
            "address": "Số 5 phố Hiến, Hưng Yên",
            "body": body.format(n=n),
            "publish_name": "on",
            "consent": "on",
            "website": "",
        }

    names = ctx.pages["form_fields"]

    def form_builder(n):
        values = comment(n)
        return dict(
            zip(
                names,
                [
                    values["commenter_type"],
                    values["display_name"],
                    values["organisation_name"],
                    values["email"],
                    values["phone"],
                    values["address"],
                    values["body"],
                    "on",
                    "on",
                ],
                strict=True,
            )
        )

    def bare(n):
        values = comment(n)
        for key in ("article", "website"):
            values.pop(key)
        return values

    return {
        "policycomms": (ctx.page_url(ctx.pages["consultations"][0]), 303, comment),
        "bare_django": ("/bench/bare-comment/", 303, bare),
        "form_builder": (ctx.page_url(ctx.pages["form_page"]), 200, form_builder),
    }


def _cleanup(marks):
    """Remove what the load test stored, so the next run finds the same data."""
    from wagtail.contrib.forms.models import FormSubmission

    from bench.baselines.models import BareComment
    from wagtail_policycomms.models import PublicComment

    PublicComment.objects.filter(pk__gt=marks["comment"]).delete()
    FormSubmission.objects.filter(pk__gt=marks["submission"]).delete()
    BareComment.objects.all().delete()


def _marks():
    from django.db.models import Max
    from wagtail.contrib.forms.models import FormSubmission

    from wagtail_policycomms.models import PublicComment

    return {
        "comment": PublicComment.objects.aggregate(m=Max("pk"))["m"] or 0,
        "submission": FormSubmission.objects.aggregate(m=Max("pk"))["m"] or 0,
    }


def submissions(ctx, cache_name):
    seconds = {"smoke": 5, "small": 10, "medium": 15, "full": 20}[ctx.size]
    reps = 1 if ctx.size == "smoke" else 3
    max_requests = 3000
    targets = _targets(ctx)
    marks = _marks()
    server = Gunicorn(ctx.log)
    port = server.start()
    rates = {name: [] for name in targets}
    errors = {name: [] for name in targets}
    try:
        for target in targets.values():  # warm-up: each worker imports and connects
            for n in range(WORKERS * 2):
                submit(target, port, 10_000_000 + n)
        for _ in range(reps):
            for name, target in targets.items():
                rate, count, errs = run_load(target, port, seconds, max_requests)
                rates[name].append(rate)
                errors[name].extend(errs)
                ctx.log(f"    {name}: {rate:.1f}/s ({count} in {seconds} s, {len(errs)} errors)")
    finally:
        server.stop()
        _cleanup(marks)
    ours = median(rates["policycomms"])
    figures = []
    for key, short, base_name, limit in (
        (
            "bare_django",
            "bare Django",
            "a bare Django view saving one row through a ModelForm",
            0.5,
        ),
        (
            "form_builder",
            "form builder",
            "a Wagtail form-builder page (AbstractEmailForm), same fields",
            1.0,
        ),
    ):
        figure = Figure(
            key=f"submissions_vs_{key}",
            title=f"Submissions/s, {CLIENTS} clients, gunicorn {WORKERS} workers, vs {short}",
            value=ours,
            baseline=median(rates[key]),
            unit="/s",
            baseline_name=base_name,
            target=f">= {limit:.0%} of the baseline",
            details={
                "rates": rates["policycomms"],
                "baseline_rates": rates[key],
                "errors": errors["policycomms"][:5],
                "baseline_errors": errors[key][:5],
                "error_count": len(errors["policycomms"]),
                "cache": cache_name,
                "seconds_per_round": seconds,
            },
        )
        figure.ratio = ratio(figure.value, figure.baseline)
        figures.append(judge(figure, None if figure.ratio is None else figure.ratio >= limit))
    return figures
