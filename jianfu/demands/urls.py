from django.urls import path

from . import views, views_notice

app_name = "demands"

urlpatterns = [
    path("", views.filing_list, name="list"),
    path("new/<str:kind>/", views.filing_new, name="new"),
    path("<int:pk>/", views.filing_detail, name="detail"),
    path("<int:pk>/edit/", views.filing_edit, name="edit"),
    path("<int:pk>/submit/", views.filing_submit, name="submit"),
    path("<int:pk>/review/", views.filing_review, name="review"),
    path("<int:pk>/withdraw/", views.filing_withdraw, name="withdraw"),
    path("<int:pk>/merge/", views.meeting_merge, name="merge"),
    path("<int:pk>/versions/<int:a>/<int:b>/", views.revision_diff, name="diff"),
    path("<int:pk>/notice.docx", views_notice.notice_download, name="notice"),
    path("review/", views.review_queue, name="review_queue"),
    path("review/next/", views.review_next, name="review_next"),
    path("on-us/", views.on_us, name="on_us"),
    path("verify/", views.verify, name="verify"),
    path("unregistered/", views.unregistered_list, name="unregistered_list"),
    path("unregistered/new/", views.unregistered_new, name="unregistered_new"),
    path("unregistered/<int:pk>/", views.unregistered_detail, name="unregistered_detail"),
    path("unregistered/<int:pk>/accept/", views.unregistered_accept, name="unregistered_accept"),
    path("unregistered/<int:pk>/route/", views.unregistered_route, name="unregistered_route"),
    path("unregistered/<int:pk>/reply/", views.unregistered_reply, name="unregistered_reply"),
    path("unregistered/<int:pk>/close/", views.unregistered_close, name="unregistered_close"),
    path("figures/", views.figures, name="figures"),
    path("lists/", views.five_lists, name="five_lists"),
    path("lists/<int:pk>/", views.five_list, name="five_list"),
    path("lists/<int:pk>/approve/", views.five_list_approve, name="five_list_approve"),
    path("lists/<int:pk>/items/new/", views.list_item_new, name="list_item_new"),
    path("lists/items/<int:pk>/edit/", views.list_item_edit, name="list_item_edit"),
    path("lists/items/<int:pk>/deactivate/", views.list_item_deactivate, name="list_item_deactivate"),
]
