from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import (
    Attachment,
    Choice,
    Consultation,
    DraftSection,
    InvitationCode,
    Question,
    SurveyTally,
)
from .services import (
    consultation_close,
    consultation_open,
    consultation_publish_results,
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


def _run(modeladmin, request, queryset, service, done_message):
    for consultation in queryset:
        try:
            service(consultation=consultation, actor=request.user)
        except ValidationError as exc:
            modeladmin.message_user(request, f"{consultation}: {' '.join(exc.messages)}", messages.ERROR)
        else:
            modeladmin.message_user(request, f"{consultation}: {done_message}", messages.SUCCESS)


@admin.action(description=_("公開する（開始日時が先なら公開予定にする）"))
def open_consultations(modeladmin, request, queryset):
    _run(modeladmin, request, queryset, consultation_open, _("公開しました。"))


@admin.action(description=_("締め切る"))
def close_consultations(modeladmin, request, queryset):
    _run(modeladmin, request, queryset, consultation_close, _("締め切りました。"))


def _publish_results(*, consultation, actor):
    # The 決定日 entered on the form; today when it was left empty.
    decided_on = consultation.decided_on or timezone.localdate()
    return consultation_publish_results(consultation=consultation, actor=actor, decided_on=decided_on)


@admin.action(description=_("結果を公表する（意見の概要と市の考え方）"))
def publish_results(modeladmin, request, queryset):
    _run(modeladmin, request, queryset, _publish_results, _("結果を公表しました。"))


@admin.register(Consultation)
class ConsultationAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "status", "department", "opens_at", "closes_at")
    list_filter = ("kind", "status", "department")
    search_fields = ("title", "summary")
    filter_horizontal = ("policies",)
    # State changes go through the services (checks + audit), not the form.
    readonly_fields = ("status", "published_at", "created_at", "updated_at")
    inlines = [DraftSectionInline, AttachmentInline, QuestionInline]
    actions = [open_consultations, close_consultations, publish_results]

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


@admin.register(SurveyTally)
class SurveyTallyAdmin(admin.ModelAdmin):
    """Read-only: tallies are derived data, rebuilt by survey_tallies_refresh."""

    list_display = ("consultation", "respondents", "computed_at")
    readonly_fields = ("consultation", "respondents", "computed_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
