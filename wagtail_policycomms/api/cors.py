"""CORS for the open data: any origin may read it, without credentials.

``Access-Control-Allow-Origin: *`` on every response (errors too), and an answer to
the browser's preflight (``OPTIONS``) that allows GET and HEAD only. No cookie or
authentication header is honoured by the API, so ``*`` is safe: it never exposes
what a logged-in user could see. No dependency: two functions and a decorator.
"""

from functools import wraps

from django.http import HttpResponse

ALLOWED_METHODS = "GET, HEAD, OPTIONS"
#: Seconds a browser may keep the preflight's answer.
PREFLIGHT_MAX_AGE = 86400


def add_cors_headers(response):
    response["Access-Control-Allow-Origin"] = "*"
    return response


def preflight_response(request):
    """The answer to a CORS preflight (or any OPTIONS): allowed methods and headers."""
    response = HttpResponse(status=204)
    response["Allow"] = ALLOWED_METHODS
    response["Access-Control-Allow-Methods"] = ALLOWED_METHODS
    requested = request.headers.get("Access-Control-Request-Headers")
    response["Access-Control-Allow-Headers"] = requested or "Accept, Accept-Language"
    response["Access-Control-Max-Age"] = str(PREFLIGHT_MAX_AGE)
    return add_cors_headers(response)


def allow_any_origin(view):
    """A public GET view readable from any origin: OPTIONS answered, the header added."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method == "OPTIONS":
            return preflight_response(request)
        return add_cors_headers(view(request, *args, **kwargs))

    return wrapped
