from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from consultations.admin import ConsultationAdmin, run_consultation_action
from results.models import SurveyMatrixItem, SurveyTally
from results.services.publication import results_publish
from results.services.survey_matrix import FIELDS as MATRIX_FIELDS
from results.services.survey_matrix import (
    survey_matrix_item_create,
    survey_matrix_item_delete,
    survey_matrix_item_errors,
    survey_matrix_item_update,
)


def _publish_results(*, consultation, actor):
    # The 決定日 entered on the form; today when it was left empty.
    decided_on = consultation.decided_on or timezone.localdate()
    return results_publish(consultation=consultation, actor=actor, decided_on=decided_on)


@admin.action(description=_("結果を公表する（意見の概要と市の考え方）"))
def publish_results(modeladmin, request, queryset):
    run_consultation_action(modeladmin, request, queryset, _publish_results, _("結果を公表しました。"))


# Publication needs the 意見要旨 (opinions), which sits above consultations,
# so the action is added to the consultation admin from here.
ConsultationAdmin.actions = [*ConsultationAdmin.actions, publish_results]


@admin.register(SurveyTally)
class SurveyTallyAdmin(admin.ModelAdmin):
    """Read-only: tallies are derived data, rebuilt by survey_tallies_refresh."""

    list_display = ("consultation", "respondents", "computed_at")
    readonly_fields = ("consultation", "respondents", "computed_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class SurveyMatrixItemAdminForm(forms.ModelForm):
    class Meta:
        model = SurveyMatrixItem
        fields = ("consultation", *MATRIX_FIELDS)

    def clean(self):
        data = super().clean()
        consultation = data.get("consultation") or (self.instance.consultation if self.instance.pk else None)
        if consultation is not None:
            errors = survey_matrix_item_errors(
                consultation=consultation,
                label=data.get("label", ""),
                importance_question=data.get("importance_question"),
                satisfaction_question=data.get("satisfaction_question"),
                item=self.instance if self.instance.pk else None,
            )
            if errors:
                raise ValidationError(errors)
        return data


@admin.register(SurveyMatrixItem)
class SurveyMatrixItemAdmin(admin.ModelAdmin):
    """重要度×満足度 items; every save goes through the audited services."""

    form = SurveyMatrixItemAdminForm
    list_display = ("label", "consultation", "importance_question", "satisfaction_question", "policy", "order")
    list_filter = ("consultation",)
    list_select_related = ("consultation", "importance_question", "satisfaction_question", "policy")
    raw_id_fields = ("importance_question", "satisfaction_question")

    def get_readonly_fields(self, request, obj=None):
        # An item stays with its survey; make a new one for another survey.
        return ("consultation",) if obj else ()

    def save_model(self, request, obj, form, change):
        data = {field: form.cleaned_data.get(field) for field in MATRIX_FIELDS}
        data["order"] = data["order"] or 0
        if change:
            saved = survey_matrix_item_update(item=obj, actor=request.user, **data)
        else:
            saved = survey_matrix_item_create(consultation=obj.consultation, actor=request.user, **data)
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        survey_matrix_item_delete(item=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            survey_matrix_item_delete(item=obj, actor=request.user)
