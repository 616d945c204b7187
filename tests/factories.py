"""Plain helpers that build units, page trees and consultation rounds for the tests.

Pages are created the way Wagtail's editors create them: ``add_child`` then a
published revision, so ``live``, ``first_published_at`` and the page URL are
what the public views see.
"""

import io
import itertools
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import django
import docx
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image
from wagtail.documents import get_document_model
from wagtail.models import Page, Site
from wagtail.test.utils import WagtailTestUtils
from wagtail.users.models import UserProfile

from home.models import HomePage
from wagtail_policycomms.antispam import make_form_token
from wagtail_policycomms.models import (
    CommentStatus,
    ConsultationPage,
    ConsultationSettings,
    DraftPolicyDocument,
    DraftPolicyPage,
    PolicyIndexPage,
    PublicComment,
    ReceiptCounter,
    Sector,
    Unit,
)
from wagtail_policycomms.models.comments import text_hash

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
_sequence = itertools.count(1)


def fresh(value):
    """``value`` (a model instance, or a dict, list or tuple of them, nested) read again from
    the database: the objects a test receives from data built once per module
    (``module_db``), so that no test sees another's changes made in memory. Pages come back
    as their specific class. Anything else is returned as it is."""
    if isinstance(value, dict):
        return {key: fresh(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(fresh(item) for item in value)
    if isinstance(value, Page):
        return Page.objects.get(pk=value.pk).specific
    if hasattr(value, "_meta") and getattr(value, "pk", None) is not None:
        return type(value)._default_manager.get(pk=value.pk)
    return value


def hanoi(year, month, day, hour=0, minute=0):
    """An aware datetime on the Hanoi wall clock, as editors enter them."""
    return datetime(year, month, day, hour, minute, tzinfo=HANOI)


def make_user(username=None, **kwargs):
    username = username or f"user{next(_sequence)}"
    kwargs.setdefault("email", f"{username}@example.vn")
    return get_user_model().objects.create_user(username=username, password="pw", **kwargs)


def make_superuser(username="editor", language="en"):
    """A Wagtail editor whose admin speaks ``language`` (the site default is Vietnamese)."""
    user = get_user_model().objects.create_superuser(
        username=username, email=f"{username}@example.vn", password="pw"
    )
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    return user


def make_unit(name=None, *, address="Số 1 Đường Chùa Chuông, Hưng Yên", email=None, **kwargs):
    n = next(_sequence)
    name = name or f"Phòng {n}"
    email = f"unit{n}@sokhcn.hungyen.gov.vn" if email is None else email
    return Unit.objects.create(name=name, address=address, email=email, **kwargs)


def make_sector(name=None):
    return Sector.objects.create(name=name or f"Lĩnh vực {next(_sequence)}")


def make_home(title="Trang chủ"):
    """A HomePage under the tree root, made the default site's root."""
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title=title, slug=f"home-{uuid.uuid4().hex[:8]}"))
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)
    else:
        site.root_page = home
        site.save()
    return home


def _publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def make_index(parent, title="Dự thảo chính sách", **kwargs):
    kwargs.setdefault("slug", f"du-thao-{next(_sequence)}")
    return _publish(parent, PolicyIndexPage(title=title, **kwargs))


def article(number, heading, text="<p>Nội dung điều.</p>", block_id=None):
    """One article block as raw StreamField data; the id is what comments anchor to."""
    return {
        "type": "article",
        "id": block_id or str(uuid.uuid4()),
        "value": {"number": number, "heading": heading, "body": text},
    }


def make_draft(index, title=None, *, drafting_unit=None, articles=(), topics=(), live=True, **kw):
    n = next(_sequence)
    kw.setdefault("slug", f"draft-{n}")
    page = DraftPolicyPage(
        title=title or f"Dự thảo Nghị quyết số {n}",
        drafting_unit=drafting_unit or make_unit(),
        body=list(articles),
        **kw,
    )
    if topics:
        page.topics.add(*topics)
    if not live:
        page.live = False
        index.add_child(instance=page)
        return page
    return _publish(index, page)


def make_article_draft(index):
    """A draft with two articles of known block ids, "a1" and "a2" (conftest's ``draft``)."""
    return make_draft(
        index,
        articles=[
            article("Điều 1", "Phạm vi điều chỉnh", block_id="a1"),
            article("Điều 2", "Đối tượng áp dụng", block_id="a2"),
        ],
    )


def make_consultation(draft, opens_at, closes_at, *, receiving_unit=None, live=True, **kwargs):
    n = next(_sequence)
    kwargs.setdefault("title", f"Lấy ý kiến đợt {n}")
    kwargs.setdefault("slug", f"dot-{n}")
    page = ConsultationPage(
        opens_at=opens_at,
        closes_at=closes_at,
        receiving_unit=receiving_unit or make_unit(),
        **kwargs,
    )
    if not live:
        page.live = False
        draft.add_child(instance=page)
        return page
    return _publish(draft, page)


def make_round_with_status(draft, status, now=None, **kwargs):
    """A consultation that has ``status`` at ``now``: open, upcoming or closed."""
    now = now or timezone.now()
    spans = {
        "open": (now - timedelta(days=5), now + timedelta(days=25)),
        "upcoming": (now + timedelta(days=5), now + timedelta(days=35)),
        "closed": (now - timedelta(days=40), now - timedelta(days=10)),
    }
    opens_at, closes_at = spans[str(status)]
    return make_consultation(draft, opens_at, closes_at, **kwargs)


def make_document(title="Dự thảo Nghị quyết", filename="du-thao.pdf"):
    document = get_document_model()(title=title)
    document.file.save(filename, ContentFile(b"%PDF-1.4 test"), save=False)
    document.save()
    return document


def attach_document(draft, document, kind, title=""):
    """Attach a document to a published draft and republish it."""
    draft.related_documents.add(DraftPolicyDocument(document=document, kind=kind, title=title))
    draft.save_revision().publish()
    return draft


# --- Public comments ------------------------------------------------------------------

#: A comment long enough for the default length limits.
COMMENT_BODY = "Đề nghị làm rõ phạm vi điều chỉnh của dự thảo đối với doanh nghiệp nhỏ."


def form_token(age=timedelta(seconds=10)):
    """A signed form timestamp as if the form had been loaded ``age`` ago."""
    return make_form_token(timezone.now() - age)


def comment_post_data(**overrides):
    """What a browser posts for a valid comment on the whole draft; override any field.

    A value of None leaves the field out, as a browser does with an unticked box.
    """
    data = {
        "article": "",
        "commenter_type": "individual",
        "display_name": "Nguyễn Văn An",
        "organisation_name": "",
        "email": "an.nguyen@example.vn",
        "phone": "0912 345 678",
        "address": "Số 5 phố Hiến, Hưng Yên",
        "body": COMMENT_BODY,
        "publish_name": "on",
        "consent": "on",
        "website": "",
    }
    data.update(overrides)
    if "form_token" not in data:
        data["form_token"] = form_token()
    return {name: value for name, value in data.items() if value is not None}


def _comment_defaults(consultation, n, now, kwargs):
    kwargs.setdefault("body", f"Ý kiến số {n} về dự thảo, xin được xem xét.")
    kwargs.setdefault("status", CommentStatus.APPROVED)
    kwargs.setdefault("display_name", f"Người góp ý {n}")
    kwargs.setdefault("email", f"nguoi{n}@example.vn")
    kwargs.setdefault("submitted_at", now)
    kwargs.setdefault("consent_given_at", kwargs["submitted_at"])
    kwargs.setdefault("consent_notice_version", "2026-01")
    kwargs.setdefault("consent_purposes", ["receive_and_answer_comment"])
    return {"consultation": consultation, **kwargs}


def make_comment(consultation, **kwargs):
    """A stored comment (approved unless ``status`` says otherwise) with a real receipt code."""
    fields = _comment_defaults(consultation, next(_sequence), timezone.now(), kwargs)
    fields.setdefault("receipt_code", ReceiptCounter.next_code(fields["submitted_at"]))
    return PublicComment.objects.create(**fields)


def build_comments(consultation, count, **kwargs):
    """``count`` unsaved comments for ``bulk_create``, which skips ``save()``: the text hash
    and unique receipt codes are filled in here. Each is a minute older than the previous."""
    now = timezone.now()
    comments = []
    for i in range(count):
        n = next(_sequence)
        fields = _comment_defaults(
            consultation, n, now - timedelta(minutes=i), {"receipt_code": f"BULK-{n:08d}", **kwargs}
        )
        comment = PublicComment(**fields)
        comment.text_hash = text_hash(comment.body)
        comments.append(comment)
    return comments


# --- Small real files to attach -------------------------------------------------------


def pdf_bytes():
    return b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
    return buffer.getvalue()


def docx_bytes():
    buffer = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("Góp ý dự thảo")
    document.save(buffer)
    return buffer.getvalue()


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def stored_files(location):
    """Every file under a storage folder, as paths relative to it."""
    root = Path(location)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def post_comment(client, page, capture_on_commit, files=None, **overrides):
    """POST a comment to ``page`` as a browser would, running on-commit work (the emails).

    ``capture_on_commit`` is pytest-django's ``django_capture_on_commit_callbacks``;
    ``files`` is a list of uploads; extra request headers go in ``overrides`` as
    ``HTTP_*`` / ``REMOTE_ADDR`` keys.
    """
    headers = {key: overrides.pop(key) for key in list(overrides) if key.isupper()}
    data = comment_post_data(**overrides)
    if files is not None:
        data["attachments"] = files
    with capture_on_commit(execute=True):
        return client.post(page.url, data, **headers)


# --- Staff, answers and themes (exports and synthesis report) -------------------------


def make_staff(username=None, perms=(), *, language="en"):
    """A Wagtail admin user (not a superuser) with only the given "app_label.codename"
    permissions, whose admin speaks ``language``."""
    from django.contrib.auth.models import Permission

    user = make_user(username)
    for perm in ("wagtailadmin.access_admin", *perms):
        app_label, codename = perm.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    return user


def make_member(group_name, username=None, *, units=(), language="en"):
    """A user of one of the package's groups (``permissions.setup_groups``), member of
    ``units``, whose admin speaks ``language``."""
    from django.contrib.auth.models import Group

    user = make_user(username)
    user.groups.add(Group.objects.get(name=group_name))
    for unit in units:
        unit.members.add(user)
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    return user


def answer_comments(comments, *, disposition="accepted", text=None, unit=None, published=False):
    """Answer a queryset of comments of one consultation through the moderation module."""
    from wagtail_policycomms import moderation

    response = moderation.answer(
        comments,
        None,
        disposition=disposition,
        text=text or "Tiếp thu, đã chỉnh sửa dự thảo theo ý kiến góp ý.",
        answering_unit=unit or make_unit(),
    )
    if published:
        moderation.set_answer_published(response, None, True)
    return response


def tag_comments(comments, *names):
    """Tag each comment with the themes ``names`` in a few queries (no save per comment)."""
    from taggit.models import Tag

    from wagtail_policycomms.models import CommentTheme

    tags = [Tag.objects.get_or_create(name=name)[0] for name in names]
    CommentTheme.objects.bulk_create(
        [CommentTheme(content_object=comment, tag=tag) for comment in comments for tag in tags]
    )


# --- Moderation queue -----------------------------------------------------------------

VIEW_COMMENTS = "wagtail_policycomms.view_publiccomment"
MODERATE = "wagtail_policycomms.moderate_publiccomment"
VIEW_PERSONAL_DATA = "wagtail_policycomms.view_personal_data"


def make_moderator(username=None, *, moderate=True, personal_data=True, language="en"):
    """Staff of the Information Centre: sees the queue; moderates and sees personal data
    unless told otherwise. Their admin speaks English, so messages can be asserted."""
    perms = [VIEW_COMMENTS]
    if moderate:
        perms.append(MODERATE)
    if personal_data:
        perms.append(VIEW_PERSONAL_DATA)
    return make_staff(username, perms, language=language)


def make_duplicates(consultation, count, body=COMMENT_BODY, **kwargs):
    """``count`` identical comments (one campaign group) stored with one bulk INSERT."""
    from wagtail_policycomms.models import PublicComment

    return PublicComment.objects.bulk_create(
        build_comments(consultation, count, body=body, **kwargs)
    )


def attach_file(comment, name="gop-y.pdf", content=None, content_type="application/pdf"):
    """A stored attachment, as the comment form leaves it after its checks."""
    import hashlib

    from wagtail_policycomms.models import CommentAttachment

    content = pdf_bytes() if content is None else content
    attachment = CommentAttachment(
        comment=comment,
        original_name=name,
        content_type=content_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )
    attachment.file.save(name, ContentFile(content), save=False)
    attachment.save()
    return attachment


def soup_of(response):
    """The response's HTML, parsed, for assertions on its structure."""
    return WagtailTestUtils.get_soup(response.content)


# --- The plan, assignments and the communication log ------------------------------------------


def make_plan(year=2024, *, title=None, number="", **kwargs):
    from wagtail_policycomms.models import CommunicationPlan

    return CommunicationPlan.objects.create(
        year=year,
        title=title or f"Kế hoạch truyền thông chính sách {year}",
        number=number,
        **kwargs,
    )


def make_assignment(plan=None, *, lead_unit=None, coordinating_units=(), **kwargs):
    """An assignment saved the way the admin saves it: with a first revision."""
    from wagtail_policycomms.models import Assignment

    kwargs.setdefault("title", f"Nhiệm vụ {next(_sequence)}")
    if lead_unit is None and "draft_policy" not in kwargs and not kwargs.get("lead_unit_text"):
        lead_unit = make_unit()
    assignment = Assignment(plan=plan or make_plan(), lead_unit=lead_unit, **kwargs)
    assignment.save()
    if coordinating_units:
        assignment.coordinating_units.set(coordinating_units)
        assignment.save()
    assignment.save_revision()
    return assignment


def log_communication(draft, channel="portal", *, date=None, title=None, **kwargs):
    """Add a row to a draft policy's communication log (without publishing a new revision)."""
    from wagtail_policycomms.models import CommunicationActivity

    return CommunicationActivity.objects.create(
        page=draft,
        channel=channel,
        date=date or timezone.localdate(),
        title=title or f"Bài viết {next(_sequence)}",
        **kwargs,
    )


def site_settings(**values):
    """Set the default site's ``ConsultationSettings`` (moderation mode, verification…)."""
    settings = ConsultationSettings.for_site(Site.objects.get(is_default_site=True))
    for name, value in values.items():
        setattr(settings, name, value)
    settings.save()
    return settings


def use_email_backend(settings, backend):
    """Send emails through ``backend`` (a dotted path) for one test: ``MAILERS`` on
    Django 6.1, which no longer reads ``EMAIL_BACKEND``, and ``EMAIL_BACKEND`` before."""
    if django.VERSION >= (6, 1):
        settings.MAILERS = {"default": {"BACKEND": backend}}
    else:
        settings.EMAIL_BACKEND = backend
