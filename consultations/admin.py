from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from consultations.drafts import (
    FINAL_STATUSES,
    DraftEdit,
    consultation_draft_revise,
    draft_fields_tracked,
    draft_is_announced,
)
from consultations.models import (
    Attachment,
    Choice,
    Consultation,
    DraftSection,
    DraftVersion,
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

DRAFT_CHANGE_REASON_FIELD = "draft_change_reason"


class DraftPartFormSet(BaseInlineFormSet):
    """該当箇所 and 資料 after 公示: a change of the text needs the reason, and a 該当箇所 stays.

    The checks of consultations.drafts.consultation_draft_revise, made before
    anything is saved so the page shows them instead of failing; the save
    itself goes through the service (ConsultationAdmin.save_related).
    """

    def clean(self):
        super().clean()
        consultation = self.instance
        if consultation.pk is None or not draft_is_announced(consultation):
            return
        changed = False
        for form in self.forms:
            if self._should_delete_form(form):
                if form.instance.pk is None:
                    continue
                if self.model is DraftSection:
                    raise ValidationError(
                        _(
                            "公示後は該当箇所「%(label)s」を削除できません。意見がこの番号を指しているため、本文を改めてください。"
                        )
                        % {"label": form.instance}
                    )
                changed = True
            elif form.has_changed() and (
                form.instance.pk is None or draft_fields_tracked(self.model, form.changed_data)
            ):
                changed = True
        if not changed:
            return
        if consultation.status in FINAL_STATUSES:
            raise ValidationError(
                _("%(status)sの案件の案は変更できません。") % {"status": consultation.get_status_display()}
            )
        if not (self.data.get(DRAFT_CHANGE_REASON_FIELD) or "").strip():
            raise ValidationError(
                _(
                    "公示後に案（該当箇所・資料）を変更するときは、上の「案を変更する理由」を入力してください。"
                    "変更は新しい版になり、理由とともに案件のページの変更履歴に公表されます。"
                )
            )


class DraftSectionInline(admin.TabularInline):
    model = DraftSection
    formset = DraftPartFormSet
    extra = 0


class AttachmentInline(admin.TabularInline):
    model = Attachment
    formset = DraftPartFormSet
    extra = 0


class DraftVersionInline(admin.TabularInline):
    """The 変更履歴, read-only: versions are made by saving the 該当箇所 and 資料 above."""

    model = DraftVersion
    extra = 0
    fields = ("number", "created_at", "created_by", "reason")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


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


@admin.action(description=_("案を取り下げる（理由の入力と確認の画面へ）"))
def withdraw_consultation(modeladmin, request, queryset):
    # The reason and a confirmation screen: the staff page, which 広聴 use too.
    if queryset.count() != 1:
        modeladmin.message_user(request, _("取り下げは1件ずつ行います。案件を1件だけ選んでください。"), messages.ERROR)
        return None
    return redirect("staff:consultation_withdraw", pk=queryset.get().pk)


def _https_formfield(db_field, **kwargs):
    # A URL typed without a scheme (www.city…) is read as https:// (Django 6's default).
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)


class ConsultationAdminForm(forms.ModelForm):
    """Runs the update service's checks in clean(), so an error sits on its field."""

    respondent_attributes = forms.MultipleChoiceField(
        label=Consultation._meta.get_field("respondent_attributes").verbose_name,
        choices=Consultation.RespondentAttribute.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=Consultation._meta.get_field("respondent_attributes").help_text,
    )

    # Not a field of the case: the reason of a change to its 該当箇所・資料
    # after 公示, published with the new version (DraftPartFormSet, save_related).
    draft_change_reason = forms.CharField(
        label=_("案を変更する理由"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "公示後に下の該当箇所・資料を変更するときは必須です。変更は新しい版（第2版…）になり、"
            "理由とともに案件のページの「変更履歴」に公表されます。"
        ),
    )

    class Meta:
        model = Consultation
        # Every editable field in model order (status etc. are read-only below).
        fields = [f.name for f in Consultation._meta.get_fields() if f.name in UPDATABLE_FIELDS or f.name == "policies"]
        formfield_callback = _https_formfield

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
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ("title", "kind", "status", "department", "opens_at", "closes_at")
    list_filter = ("kind", "status", "department")
    search_fields = ("title", "summary")
    filter_horizontal = ("policies",)
    # State changes go through the services (checks + audit), not the form.
    readonly_fields = (
        "status",
        "draft_version",
        "withdrawn_at",
        "withdrawal_reason",
        "final_file",
        "published_at",
        "created_at",
        "updated_at",
    )
    inlines = [DraftSectionInline, AttachmentInline, DraftVersionInline, QuestionInline]
    # results/admin.py adds 結果を公表する (publication lives above this app).
    actions = [open_consultations, close_consultations, withdraw_consultation]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
            super().save_model(request, obj, form, change)
        else:
            # An edit re-checks the period of an announced case and is audited.
            consultation_update(consultation=obj, actor=request.user, changes=form.service_changes())
        for warning in consultation_period_warnings(obj):
            self.message_user(request, warning, messages.WARNING)

    def save_related(self, request, form, formsets, change):
        """The 該当箇所 and 資料 are saved by consultation_draft_revise (a new version after 公示)."""
        drafts = [formset for formset in formsets if formset.model in (DraftSection, Attachment)]
        if not change or not drafts:
            super().save_related(request, form, formsets, change)
            return
        form.save_m2m()
        edits = []
        for formset in drafts:
            formset.save(commit=False)
            edits += [DraftEdit(obj=obj) for obj in formset.new_objects]
            edits += [DraftEdit(obj=obj) for obj, _fields in formset.changed_objects]
            edits += [DraftEdit(obj=obj, delete=True) for obj in formset.deleted_objects]
        version = consultation_draft_revise(
            actor=request.user,
            consultation=form.instance,
            edits=edits,
            reason=form.cleaned_data.get(DRAFT_CHANGE_REASON_FIELD, ""),
        )
        if version is not None:
            self.message_user(
                request,
                _("案を第%(n)s版にしました。変更と理由を案件のページの変更履歴に公表しています。")
                % {"n": version.number},
                messages.SUCCESS,
            )
        for formset in formsets:
            if formset not in drafts:
                self.save_formset(request, form, formset, change=change)


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
