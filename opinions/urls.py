from django.urls import path

from opinions import staff_views as workbench

# Mounted under /staff/ in the "staff" namespace by config/staff_urls.py.
_CASE = "consultations/<int:pk>/workbench/"
staff_urlpatterns = [
    path(_CASE, workbench.overview, name="workbench"),
    path(f"{_CASE}seed/", workbench.seed, name="workbench_seed"),
    path(f"{_CASE}move/", workbench.items_move, name="workbench_move"),
    path(
        f"{_CASE}submissions/<int:submission_pk>/split/",
        workbench.split,
        name="workbench_split",
    ),
    path(f"{_CASE}groups/<int:group_pk>/", workbench.group_detail, name="workbench_group"),
    path(
        f"{_CASE}groups/<int:group_pk>/merge/",
        workbench.group_merge,
        name="workbench_merge",
    ),
    path(
        f"{_CASE}groups/<int:group_pk>/review/",
        workbench.group_review,
        name="workbench_review",
    ),
    path(
        f"{_CASE}groups/<int:group_pk>/withhold/",
        workbench.group_withhold,
        name="workbench_withhold",
    ),
    path(f"{_CASE}table/", workbench.table, name="workbench_table"),
    path(f"{_CASE}table.csv", workbench.table_csv, name="workbench_table_csv"),
]
