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
]
