from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from consultations.models import (
    Attachment,
    Choice,
    Consultation,
    DraftSection,
    InvitationBatch,
    InvitationCode,
    Question,
    ReminderWave,
)
from consultations.services import (
    UPDATABLE_FIELDS,
    consultation_check_update,
    consultation_close,
    consultation_open,
    consultation_period_warnings,
    consultation_update,
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
            modeladmin.message_user(request, f"{consultation}: {' '.join(exc.messages)}", messages.ERROR)
        else:
            modeladmin.message_user(request, f"{consultation}: {done_message}", messages.SUCCESS)


@admin.action(description=_("公開する（開始日時が先なら公開予定にする）"))
def open_consultations(modeladmin, request, queryset):
    run_consultation_action(modeladmin, request, queryset, consultation_open, _("公開しました。"))


@admin.action(description=_("締め切る"))
def close_consultations(modeladmin, request, queryset):
    run_consultation_action(modeladmin, request, queryset, consultation_close, _("締め切りました。"))


class ConsultationAdminForm(forms.ModelForm):
    """Runs the update service's checks in clean(), so an error sits on its field."""

    respondent_attributes = forms.MultipleChoiceField(
        label=Consultation._meta.get_field("respondent_attributes").verbose_name,
        choices=Consultation.RespondentAttribute.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=Consultation._meta.get_field("respondent_attributes").help_text,
    )

    class Meta:
        model = Consultation
        # Every editable field in model order (status etc. are read-only below).
        fields = [f.name for f in Consultation._meta.get_fields() if f.name in UPDATABLE_FIELDS or f.name == "policies"]

    def clean_respondent_attributes(self):
        chosen = set(self.cleaned_data.get("respondent_attributes") or [])
        # Stored in the form's order, so the same choice never reads as a change.
        return [value for value in Consultation.RespondentAttribute.values if value in chosen]

    def service_changes(self) -> dict:
        return {
            name: self.cleaned_data[name]
            for name in self.changed_data
            if name in UPDATABLE_FIELDS and name in self.cleaned_data
        }

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk:
            try:
                consultation_check_update(consultation=self.instance, changes=self.service_changes())
            except ValidationError as exc:
                self.add_error(None, exc)
        return cleaned_data


@admin.register(Consultation)
class ConsultationAdmin(admin.ModelAdmin):
    form = ConsultationAdminForm
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
        else:
            # An edit re-checks the period of an announced case and is audited.
            consultation_update(consultation=obj, actor=request.user, changes=form.service_changes())
        for warning in consultation_period_warnings(obj):
            self.message_user(request, warning, messages.WARNING)


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
    list_display = ("consultation", "batch", "used_at")
    list_filter = ("consultation",)
    readonly_fields = ("consultation", "batch", "code_hash", "used_at")


class ReadOnlyAdmin(admin.ModelAdmin):
    """Written by consultations.survey_operations from the staff survey pages (audited)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(InvitationBatch)
class InvitationBatchAdmin(ReadOnlyAdmin):
    list_display = ("consultation", "count", "issued_at", "issued_by", "voided_at", "voided_count", "note")
    list_filter = ("consultation",)


@admin.register(ReminderWave)
class ReminderWaveAdmin(ReadOnlyAdmin):
    list_display = ("consultation", "sent_on", "sent_count", "note", "created_by")
    list_filter = ("consultation",)
