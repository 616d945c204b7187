"""The two baselines of the submission figure, with the comment form's fields.

- ``BareComment``: one row saved through a Django ModelForm by a plain view.
- ``BenchFormPage``: Wagtail's form builder (``AbstractEmailForm``), its submissions
  stored as ``FormSubmission`` rows (also the baseline of the export figures).
"""

from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalKey
from wagtail.contrib.forms.models import AbstractEmailForm, AbstractFormField

COMMENTER_TYPES = [
    ("individual", "Cá nhân"),
    ("organisation", "Tổ chức"),
    ("business", "Doanh nghiệp"),
    ("agency", "Cơ quan, đơn vị"),
]


class BareComment(models.Model):
    commenter_type = models.CharField(max_length=20, choices=COMMENTER_TYPES)
    display_name = models.CharField(max_length=200, blank=True)
    organisation_name = models.CharField(max_length=255, blank=True)
    email = models.EmailField(max_length=254, blank=True)
    phone = models.CharField(max_length=50, blank=True)
    address = models.CharField(max_length=500, blank=True)
    body = models.TextField()
    publish_name = models.BooleanField(default=False)
    consent = models.BooleanField()
    submitted_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.display_name}: {self.body[:40]}"


class BenchFormField(AbstractFormField):
    page = ParentalKey("BenchFormPage", on_delete=models.CASCADE, related_name="form_fields")


class BenchFormPage(AbstractEmailForm):
    """A form-builder page; without ``to_address`` it sends no email, like our comment
    form with the receipt email through the tasks backend."""

    template = "baselines/bench_form_page.html"
    landing_page_template = "baselines/bench_form_page_landing.html"
