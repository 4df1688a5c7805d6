from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from consultations.admin import ConsultationAdmin, run_consultation_action
from results.models import SurveyTally
from results.services.publication import results_publish


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
