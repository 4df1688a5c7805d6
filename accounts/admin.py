from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.access import admin_site_has_permission
from accounts.deletion_audit import user_deletion_actor
from accounts.forms import UserAdminChangeForm, UserAdminCreationForm
from accounts.models import Department, User
from accounts.services import user_set_roles
from core.http import client_ip

# Django's own admin login checks only the password; send it through
# allauth so staff pass the TOTP step (and its rate limits) there too.
admin.site.login = secure_admin_login(admin.site.login)
# Not only the middleware: the admin site itself refuses staff without TOTP.
admin.site.has_permission = admin_site_has_permission


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "parent", "order"]
    list_filter = [("parent", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["code", "name"]
    ordering = ["order", "code"]
    autocomplete_fields = ["parent"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserAdminChangeForm
    add_form = UserAdminCreationForm
    list_display = [
        "email",
        "display_name",
        "department",
        "is_staff",
        "is_active",
        "last_login",
    ]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups", "department"]
    search_fields = ["email", "display_name"]
    ordering = ["email"]
    autocomplete_fields = ["department"]
    # Roles are edited through the "roles" field so that every change goes
    # through user_set_roles and leaves an audit row.
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("利用者情報"), {"fields": ["display_name", "department"]}),
        (_("役割と権限"), {"fields": ["roles", "is_active", "is_superuser"]}),
        (_("日時"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": [
                    "email",
                    "display_name",
                    "department",
                    "roles",
                    "password1",
                    "password2",
                ],
            },
        ),
    ]
    readonly_fields = ["last_login", "date_joined"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        user_set_roles(user=obj, roles=form.cleaned_data.get("roles", []), actor=request.user)

    # Deleting an account is audited by accounts.deletion_audit; here it also
    # names the admin who deleted it.
    def delete_model(self, request, obj):
        with user_deletion_actor(request.user, ip_address=client_ip(request)):
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with user_deletion_actor(request.user, ip_address=client_ip(request)):
            super().delete_queryset(request, queryset)


# The audit log's admin (core.AuditEvent) is registered here: only the admin role reads it.
from accounts import admin_audit  # noqa: E402, F401
