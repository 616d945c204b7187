"""How every email of the package is built and sent.

One template name gives three files under ``wagtail_policycomms/emails/``:
``NAME_subject.txt``, ``NAME.txt`` (plain text, always) and ``NAME.html`` (optional:
sent as the HTML alternative when it exists). A portal overrides any of them in its own
templates. Every email names the department (``department`` in the context, from the
``DepartmentSettings`` site setting) and is rendered in the recipient's language
(Vietnamese unless told otherwise).

Emails that are not transactional (anything but receipts and verification links) pass
``unsubscribe_url``: it becomes the ``List-Unsubscribe`` and ``List-Unsubscribe-Post``
headers (RFC 2369, RFC 8058 one-click) and ``unsubscribe_url`` in the context, for the
link in the body.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation

from ..conf import policycomms_settings

TEMPLATE_DIR = "wagtail_policycomms/emails"


def default_site():
    from wagtail.models import Site

    return Site.objects.filter(is_default_site=True).first() or Site.objects.first()


def public_url(path, site=None):
    """An absolute public URL: the default site's root URL (or ``WAGTAILADMIN_BASE_URL``)."""
    if not path or path.startswith(("http://", "https://")):
        return path
    site = site or default_site()
    base = site.root_url if site else getattr(settings, "WAGTAILADMIN_BASE_URL", "")
    return (base or "").rstrip("/") + path


def admin_url(path):
    """An absolute link into the admin when ``WAGTAILADMIN_BASE_URL`` is set, else the path."""
    if not path:
        return ""
    base = getattr(settings, "WAGTAILADMIN_BASE_URL", "") or ""
    return base.rstrip("/") + path


def department(site=None):
    """The issuing agency's settings (its name signs every email)."""
    from ..models import DepartmentSettings

    site = site or default_site()
    return DepartmentSettings.for_site(site) if site else DepartmentSettings()


def from_email():
    return policycomms_settings.FROM_EMAIL or settings.DEFAULT_FROM_EMAIL


def build_email(
    template, to, context=None, *, unsubscribe_url=None, language=None, headers=None, site=None
):
    """An ``EmailMultiAlternatives`` ready to send (to send many over one connection)."""
    context = dict(context or {})
    if "department" not in context:  # a batch passes it once rather than a query per email
        context["department"] = department(site)
    context.setdefault("unsubscribe_url", unsubscribe_url)
    with translation.override(language or translation.get_language() or "vi"):
        subject = " ".join(
            render_to_string(f"{TEMPLATE_DIR}/{template}_subject.txt", context).split()
        )
        body = render_to_string(f"{TEMPLATE_DIR}/{template}.txt", context)
        try:
            html = render_to_string(f"{TEMPLATE_DIR}/{template}.html", context)
        except TemplateDoesNotExist:
            html = None
    headers = dict(headers or {})
    if unsubscribe_url:
        headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message = EmailMultiAlternatives(
        subject=subject,
        body=body,
        from_email=from_email(),
        to=list(to) if isinstance(to, (list, tuple)) else [to],
        headers=headers,
    )
    if html:
        message.attach_alternative(html, "text/html")
    return message


def send_email(template, to, context=None, **kwargs):
    """Build and send one email; raises what the email backend raises."""
    build_email(template, to, context, **kwargs).send()


def send_many(messages):
    """Send many emails over one connection; returns how many the server took."""
    messages = list(messages)
    if not messages:
        return 0
    with get_connection() as connection:
        return connection.send_messages(messages) or 0
