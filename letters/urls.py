from django.urls import path

from letters import staff_theme_views as themes
from letters import staff_views as staff
from letters import views

app_name = "letters"
urlpatterns = [
    path("letter/", views.letter_index, name="index"),
    path("letter/published/", views.letters_published, name="published"),
    path("letter/published.csv", views.letters_published_csv, name="published_csv"),
    path("letter/published.xlsx", views.letters_published_xlsx, name="published_xlsx"),
    path(
        "mypage/submissions/<code:receipt_number>/reply/",
        views.letter_reply,
        name="reply",
    ),
]

# Mounted under /staff/ in the "staff" namespace by config/staff_urls.py.
staff_urlpatterns = [
    path("letters/", staff.letter_list, name="letter_list"),
    # Themes of a 年度's letters, for a 課 or every 課 (?fiscal_year=2026&department=<id>|all).
    path("letters/themes/", themes.letter_themes, name="letter_themes"),
    path("letters/themes/status/", themes.letter_themes_status, name="letter_themes_status"),
    path("letters/themes/compute/", themes.letter_themes_compute, name="letter_themes_compute"),
    path("letters/<int:pk>/", staff.letter_detail, name="letter_detail"),
    path(
        "letters/<int:pk>/personal-data/",
        staff.letter_personal_data,
        name="letter_personal_data",
    ),
    path("letters/<int:pk>/route/", staff.letter_route_view, name="letter_route"),
    path("letters/<int:pk>/draft/", staff.letter_draft_view, name="letter_draft"),
    path("letters/<int:pk>/approve/", staff.letter_approve_view, name="letter_approve"),
    # 市長確認が必要 on or off (POST action=mark_mayor|unmark_mayor; letters.workflow).
    path("letters/<int:pk>/mayor-review/", staff.letter_mayor_review_view, name="letter_mayor_review"),
    path("letters/<int:pk>/send/", staff.letter_send_view, name="letter_send"),
    path("letters/<int:pk>/file/", staff.letter_file_view, name="letter_file"),
    path("letters/<int:pk>/publish/", staff.letter_publish_view, name="letter_publish"),
    path("letters/<int:pk>/print/", staff.letter_print, name="letter_print"),
]
