from django.urls import path

from . import letters_public_views, views

app_name = "feedback"
urlpatterns = [
    path("consultations/<int:pk>/submit/", views.SubmitView.as_view(), name="submit"),
    path("letter/submit/", views.LetterSubmitView.as_view(), name="letter_submit"),
    path("letter/published/", letters_public_views.letters_published, name="letters_published"),
    path("letter/published.csv", letters_public_views.letters_published_csv, name="letters_published_csv"),
    path("letter/published.xlsx", letters_public_views.letters_published_xlsx, name="letters_published_xlsx"),
    path("receipt/<str:receipt_number>/", views.receipt, name="receipt"),
    path("mypage/submissions/", views.my_submissions, name="my_submissions"),
    path("mypage/submissions/<str:receipt_number>/withdraw/", views.WithdrawView.as_view(), name="withdraw"),
    path("mypage/submissions/<str:receipt_number>/reply/", views.letter_reply, name="letter_reply"),
]
