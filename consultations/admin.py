from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from consultations.models import (
    Attachment,
    Choice,
    Consultation,
    DraftSection,
    InvitationCode,
    Question,
)
from consultations.services import (
    consultation_close,
    consultation_open,
)


class DraftSectionInline(admin.TabularInline):
    model = DraftSection
    extra = 0


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0


class QuestionInline(admin.StackedInline):
    model = Question
    extra = 0
    show_change_link = True


def run_consultation_action(modeladmin, request, queryset, service, done_message):
    for consultation in queryset:
        try:
            service(consultation=consultation, actor=request.user)
        except ValidationError as exc:
            modeladmin.message_user(
                request, f"{consultation}: {' '.join(exc.messages)}", messages.ERROR
            )
        else:
            modeladmin.message_user(
                request, f"{consultation}: {done_message}", messages.SUCCESS
            )


@admin.action(description=_("公開する（開始日時が先なら公開予定にする）"))
def open_consultations(modeladmin, request, queryset):
    run_consultation_action(
        modeladmin, request, queryset, consultation_open, _("公開しました。")
    )


@admin.action(description=_("締め切る"))
def close_consultations(modeladmin, request, queryset):
    run_consultation_action(
        modeladmin, request, queryset, consultation_close, _("締め切りました。")
    )


@admin.register(Consultation)
class ConsultationAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "status", "department", "opens_at", "closes_at")
    list_filter = ("kind", "status", "department")
    search_fields = ("title", "summary")
    filter_horizontal = ("policies",)
    # State changes go through the services (checks + audit), not the form.
    readonly_fields = ("status", "published_at", "created_at", "updated_at")
    inlines = [DraftSectionInline, AttachmentInline, QuestionInline]
    # results/admin.py adds 結果を公表する (publication lives above this app).
    actions = [open_consultations, close_consultations]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


class ChoiceInline(admin.TabularInline):
    model = Choice
    extra = 0


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ("consultation", "number", "text", "kind", "indicator")
    list_filter = ("kind",)
    inlines = [ChoiceInline]


@admin.register(InvitationCode)
class InvitationCodeAdmin(admin.ModelAdmin):
    list_display = ("consultation", "used_at")
    list_filter = ("consultation",)
    readonly_fields = ("consultation", "code_hash", "used_at")
