from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def for_user(self, user):
        """Units the user belongs to; later features scope answers and assignments by it."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(members=user)


class Unit(models.Model):
    """A unit of the department (đơn vị): drafts policies, receives comments, leads assignments."""

    name = models.CharField(_("name"), max_length=255, unique=True)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    address = models.CharField(_("address"), max_length=500, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("members"),
        related_name="policycomms_units",
        blank=True,
        help_text=_("Staff of this unit. A person may belong to several units."),
    )

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def has_contact_details(self):
        """The law requires a receiving unit's address and email on the consultation page."""
        return bool(self.address and self.email)


class Sector(models.Model):
    """A field of State management (lĩnh vực) that draft policies are filed under."""

    name = models.CharField(_("name"), max_length=255, unique=True)

    class Meta:
        verbose_name = _("field (sector)")
        verbose_name_plural = _("fields (sectors)")
        ordering = ["name"]

    def __str__(self):
        return self.name
