"""The communication channels of the plan (section II.2.2), as data each portal edits.

A channel's name is the portal's own ("Báo Hưng Yên" in one province, another paper in
the next): it is a row of ``CommunicationChannel``, edited as a snippet (Policy
consultation → Channels), not a translated string. Activities of the communication log
store the channel's **code**, so renaming a channel renames it everywhere, and codes
stored before channels were data (``Channel`` below) keep their meaning.

- Choosing: ``ChannelField``'s form field offers the active channels; a stored code
  whose channel was made inactive since stays valid on that row, and is shown by its name.
- Naming: ``channel_labels()`` reads every name in one query (reports, exports).
"""

from django import forms
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel


class Channel(models.TextChoices):
    """The codes of the plan's channels, seeded as rows by migration 0009: kept so that
    code (the demo, imports) can name a channel. Names are the rows', never these."""

    PORTAL = "portal"
    BULLETIN = "bulletin"
    RADIO_TV = "radio_tv"
    NEWSPAPER = "newspaper"
    CONFERENCE = "conference"
    DIALOGUE = "dialogue"
    PRESS_CONFERENCE = "press_conference"
    GRASSROOTS = "grassroots"
    SOCIAL_NETWORK = "social_network"
    OTHER = "other"


class CommunicationChannelQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class CommunicationChannel(models.Model):
    """A channel of the communication log (kênh truyền thông): the plan's list, per portal."""

    name = models.CharField(_("name"), max_length=255)
    code = models.SlugField(
        _("code"),
        max_length=20,
        unique=True,
        help_text=_(
            "Stored with every activity of the communication log: rename the channel freely, "
            "but keep its code."
        ),
    )
    sort_order = models.PositiveIntegerField(
        _("order"), default=0, help_text=_("Channels are listed by this number, then by name.")
    )
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_(
            "Inactive channels are no longer offered; activities already logged keep theirs."
        ),
    )

    objects = CommunicationChannelQuerySet.as_manager()

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("code")]),
        FieldRowPanel([FieldPanel("sort_order"), FieldPanel("is_active")]),
    ]

    class Meta:
        verbose_name = _("communication channel")
        verbose_name_plural = _("communication channels")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


def channel_labels():
    """Every channel's name by its code, in the channels' order (one query)."""
    return dict(
        CommunicationChannel.objects.order_by("sort_order", "name").values_list("code", "name")
    )


def active_channel_choices():
    """The channels offered in a form, with the empty choice first (one query)."""
    return [
        ("", "---------"),
        *CommunicationChannel.objects.active()
        .order_by("sort_order", "name")
        .values_list("code", "name"),
    ]


class ChannelSelect(forms.Select):
    """The active channels, and the one a row already has even if it is no longer active
    (named by its row, or by its code if the row was deleted)."""

    def optgroups(self, name, value, attrs=None):
        choices = list(self.choices)
        offered = {str(code) for code, _label in choices}
        missing = [code for code in value if code and code not in offered]
        if missing:
            labels = channel_labels()
            self.choices = [*choices, *((code, labels.get(code, code)) for code in missing)]
        else:
            self.choices = choices
        return super().optgroups(name, value, attrs)


class ChannelChoiceField(forms.ChoiceField):
    """Offers the active channels and accepts one of them, or the channel the row already
    had (it may have been made inactive since: the row keeps it)."""

    widget = ChannelSelect

    def __init__(self, **kwargs):
        kwargs["choices"] = active_channel_choices  # a callable: read on every form
        super().__init__(**kwargs)
        self.kept = None

    def get_bound_field(self, form, field_name):
        # Each form has its own copy of its fields: remember this row's stored channel.
        self.kept = form.get_initial_for_field(self, field_name)
        return super().get_bound_field(form, field_name)

    def valid_value(self, value):
        if self.kept and value == str(self.kept):
            return True
        return CommunicationChannel.objects.active().filter(code=value).exists()


class ChannelField(models.CharField):
    """The code of a ``CommunicationChannel``: a plain column (no choices, so adding or
    renaming a channel needs no migration); its form field offers the active rows."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 20)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        # A CharField to migrations: they need not import this module, ever.
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs

    def formfield(self, **kwargs):
        defaults = {
            "form_class": ChannelChoiceField,
            "required": not self.blank,
            "label": capfirst(self.verbose_name),
            "help_text": self.help_text,
        }
        defaults.update(kwargs)
        form_class = defaults.pop("form_class")
        return form_class(**defaults)
