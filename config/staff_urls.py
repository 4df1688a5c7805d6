"""The staff site (/staff/): one namespace, each app contributing its own pages."""

from accounts.urls import staff_urlpatterns as accounts
from committees.urls import staff_urlpatterns as committees
from consultations.urls import staff_urlpatterns as consultations
from feedback.urls import staff_urlpatterns as intake
from letters.urls import staff_urlpatterns as letters
from opinions.urls import staff_urlpatterns as opinions
from plans.urls import staff_urlpatterns as plans
from results.urls import staff_urlpatterns as results
from triage.urls import staff_urlpatterns as triage

app_name = "staff"
urlpatterns = [*triage, *consultations, *intake, *opinions, *letters, *results, *plans, *committees, *accounts]
