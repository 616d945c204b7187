"""The inspect views of the package's viewsets: every value written for staff.

``DisplayValuesMixin`` writes each field through ``formats.values.display_value`` (choice
labels, "Có"/"Không", "—" for nothing, dates dd/mm/yyyy HH:MM on the department's clock);
``BaseViewSet`` in ``viewsets.py`` gives it to every viewset (``InspectView``). A view can
still name one field's value with a ``get_<field>_display_value`` method, as in Wagtail.
"""

from django.core.exceptions import FieldDoesNotExist
from wagtail.snippets.views.snippets import InspectView as SnippetInspectView

from ..formats.values import display_value


class DisplayValuesMixin:
    def get_fields(self):
        # The database id means nothing to staff (and Django's "ID" label is not translated).
        pk = self.model._meta.pk
        return [name for name in super().get_fields() if not (name == pk.name and pk.auto_created)]

    def get_field_display_value(self, field_name, field):
        value_func = getattr(self, f"get_{field_name}_display_value", None)
        if callable(value_func):
            return value_func()
        if field is None:
            try:
                field = self.model._meta.get_field(field_name)
            except FieldDoesNotExist:
                return display_value(None, getattr(self.object, field_name))
        return display_value(field, getattr(self.object, field_name))


class InspectView(DisplayValuesMixin, SnippetInspectView):
    pass
