from django.urls import path

from . import staff_queue_views, staff_views

app_name = "staff"
urlpatterns = [
    path("", staff_views.home, name="home"),
    path("consultations/<int:pk>/entry/", staff_views.entry, name="entry"),
    path("consultations/<int:pk>/import/", staff_views.csv_import, name="csv_import"),
    path("queue/", staff_queue_views.queue, name="queue"),
    path("submissions/<int:pk>/", staff_queue_views.detail, name="submission_detail"),
    path("submissions/<int:pk>/personal-data/", staff_queue_views.personal_data, name="personal_data"),
]

# パブリック・コメント workbench (意見の概要と市の考え方).
from . import staff_workbench_views as workbench  # noqa: E402

urlpatterns += [
    path("consultations/<int:pk>/workbench/", workbench.overview, name="workbench"),
    path("consultations/<int:pk>/workbench/seed/", workbench.seed, name="workbench_seed"),
    path("consultations/<int:pk>/workbench/move/", workbench.items_move, name="workbench_move"),
    path("consultations/<int:pk>/workbench/submissions/<int:submission_pk>/split/", workbench.split,
         name="workbench_split"),
    path("consultations/<int:pk>/workbench/groups/<int:group_pk>/", workbench.group_detail, name="workbench_group"),
    path("consultations/<int:pk>/workbench/groups/<int:group_pk>/merge/", workbench.group_merge,
         name="workbench_merge"),
    path("consultations/<int:pk>/workbench/groups/<int:group_pk>/review/", workbench.group_review,
         name="workbench_review"),
    path("consultations/<int:pk>/workbench/groups/<int:group_pk>/withhold/", workbench.group_withhold,
         name="workbench_withhold"),
    path("consultations/<int:pk>/workbench/table/", workbench.table, name="workbench_table"),
    path("consultations/<int:pk>/workbench/table.csv", workbench.table_csv, name="workbench_table_csv"),
]

# 市長への手紙 case handling.
from . import staff_letter_views as letters  # noqa: E402

urlpatterns += [
    path("letters/", letters.letter_list, name="letter_list"),
    path("letters/<int:pk>/", letters.letter_detail, name="letter_detail"),
    path("letters/<int:pk>/personal-data/", letters.letter_personal_data, name="letter_personal_data"),
    path("letters/<int:pk>/route/", letters.letter_route_view, name="letter_route"),
    path("letters/<int:pk>/draft/", letters.letter_draft_view, name="letter_draft"),
    path("letters/<int:pk>/approve/", letters.letter_approve_view, name="letter_approve"),
    path("letters/<int:pk>/send/", letters.letter_send_view, name="letter_send"),
    path("letters/<int:pk>/file/", letters.letter_file_view, name="letter_file"),
    path("letters/<int:pk>/publish/", letters.letter_publish_view, name="letter_publish"),
    path("letters/<int:pk>/print/", letters.letter_print, name="letter_print"),
]

# Dashboards (counts from the aggregate tables).
from . import staff_dashboard_views as dashboard  # noqa: E402

urlpatterns += [
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("dashboard/policies/", dashboard.policies, name="dashboard_policies"),
    path("dashboard/policies/<str:code>/", dashboard.policy, name="dashboard_policy"),
    path("dashboard/refresh/", dashboard.refresh, name="dashboard_refresh"),
]
