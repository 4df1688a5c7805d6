"""{% survey_waves consultation %}: the 督促 table and the 調査の運営 link on a survey's staff pages."""

from django import template

from accounts.roles import CITYWIDE_ROLES, has_role
from results.selectors.survey_operations import survey_wave_rates

register = template.Library()


@register.inclusion_tag("results/includes/survey_waves_section.html", takes_context=True)
def survey_waves(context, consultation):
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "consultation": consultation,
        "waves": survey_wave_rates(survey=consultation),
        "can_operate": user is not None and has_role(user, *CITYWIDE_ROLES),
    }
