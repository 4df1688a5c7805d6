"""Filter form (GET) of the staff dashboards."""

from django import forms
from django.utils.translation import gettext_lazy as _l

from consultations.models import Consultation
from core.forms import KoeForm
from core.wareki import fiscal_year_label
from results.selectors.dashboard import DashboardFilters, stats_fiscal_years

GRAIN_CHOICES = [("month", _l("月別")), ("fiscal_year", _l("年度別"))]


class DashboardFilterForm(KoeForm):
    kind = forms.ChoiceField(
        label=_l("案件の種類"),
        required=False,
        choices=[("", _l("すべて")), *Consultation.Kind.choices],
    )
    fiscal_year = forms.TypedChoiceField(label=_l("年度"), required=False, coerce=int, empty_value=None)
    grain = forms.ChoiceField(label=_l("推移の単位"), required=False, choices=GRAIN_CHOICES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fiscal_year"].choices = [("", _l("全期間"))] + [
            (year, fiscal_year_label(year)) for year in stats_fiscal_years()
        ]

    def filters(self, **extra) -> DashboardFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return DashboardFilters(
            kind=data.get("kind", ""),
            fiscal_year=data.get("fiscal_year"),
            grain=data.get("grain") or "month",
            **extra,
        )
