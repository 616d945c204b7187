from django import forms

from .models import BareComment


class BareCommentForm(forms.ModelForm):
    class Meta:
        model = BareComment
        fields = [
            "commenter_type",
            "display_name",
            "organisation_name",
            "email",
            "phone",
            "address",
            "body",
            "publish_name",
            "consent",
        ]
