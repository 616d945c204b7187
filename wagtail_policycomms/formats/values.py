"""How a stored value reads on a staff screen: never a raw code, boolean or None.

``display_value(field, value)`` is the one rule, used by every inspect view of the package
(``views.inspect.DisplayValuesMixin``) and by templates through ``policycomms_tags``:

- a choice: its label ("Đang thực hiện", not "in_progress"), a list of choices: their labels;
- a boolean: "Có" / "Không";
- nothing (None, "", an empty list or relation): "—";
- a date and time: dd/mm/yyyy HH:MM on the department's clock (``format_staff_datetime``);
  a date: dd/mm/yyyy (``format_date``);
- an amount (decimal): grouped the language's way, without ",00" for whole amounts;
- a revision: when it was saved, and by whom (not its UTC time stamp);
- a related object, or several: their names.
"""

from datetime import date, datetime
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import Revision

from . import format_count, format_date, format_staff_datetime

EMPTY = "—"


def _field_value_labels():
    """Labels of values stored as codes in fields without ``choices`` (a JSON list of
    codes). Read when needed: ``formats`` is imported by the models."""
    from ..models.consultations import ConsentPurpose

    return {"consent_purposes": dict(ConsentPurpose.choices)}


def _is_empty(value):
    return value is None or (isinstance(value, str | list | tuple | set | dict) and not value)


def _choice_labels(field):
    labels = dict(getattr(field, "flatchoices", None) or ())
    if not labels and field is not None:
        labels = _field_value_labels().get(field.name, {})
    return labels


def display_value(field, value):
    """``value`` of the model field ``field`` (or None, for a computed value), for staff."""
    if isinstance(value, models.Manager):
        value = value.all()
    if isinstance(value, models.QuerySet):
        return ", ".join(str(obj) for obj in value) or EMPTY
    if _is_empty(value):
        return EMPTY
    labels = _choice_labels(field)
    if isinstance(value, list | tuple | set):
        return ", ".join(str(labels.get(item, item)) for item in value)
    if labels and not isinstance(value, bool):
        try:
            return labels.get(value, value)
        except TypeError:  # an unhashable value
            return value
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime):
        return format_staff_datetime(value)
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, Decimal):
        return format_count(int(value) if value == value.to_integral_value() else value)
    if isinstance(value, Revision):
        # Its own str() is the object's title and a UTC ISO time stamp.
        when = format_staff_datetime(value.created_at)
        if value.user_id is None:
            return when
        return _("%(date)s by %(user)s") % {"date": when, "user": value.user.get_username()}
    if isinstance(value, models.Model):
        return str(value)
    return value
