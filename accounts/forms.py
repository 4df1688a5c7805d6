from django import forms
from django.contrib.auth.forms import BaseUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import ROLE_LABELS


class _RolesFieldMixin(forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("役割"),
        choices=list(ROLE_LABELS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("システム管理者の役割を持つ職員だけが管理画面に入れます。"),
    )


class UserAdminCreationForm(_RolesFieldMixin, BaseUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "display_name", "department")


class UserAdminChangeForm(_RolesFieldMixin, UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["roles"].initial = list(self.instance.groups.values_list("name", flat=True))
