from django.urls import path

from . import documents, views

urlpatterns = [
    path("", views.home, name="home"),
    path("register/", views.register, name="register"),
    path("my/", views.DashboardView.as_view(), name="dashboard"),
    path("my/excel/", views.MyApplicationsExcelView.as_view(), name="dashboard_excel"),
    path("my/organisation/", views.OrganisationView.as_view(), name="organisation"),
    path("notifications/", views.NotificationsView.as_view(), name="notifications"),
    path("programmes/<int:pk>/", views.ProgrammeView.as_view(), name="programme"),
    path("programmes/<int:programme_pk>/apply/<str:code>/", views.ApplicationCreateView.as_view(),
         name="application_new"),
    path("programmes/<int:programme_pk>/blank-forms/<str:code>/",
         documents.BlankFormPdfView.as_view(), name="blank_form_pdf"),
    path("applications/<int:pk>/", views.ApplicationView.as_view(), name="application"),
    path("applications/<int:pk>/pdf/", documents.ApplicationFormPdfView.as_view(),
         name="application_pdf"),
    path("applications/<int:pk>/edit/", views.ApplicationEditView.as_view(),
         name="application_edit"),
    path("applications/<int:pk>/attachments/<int:attachment_pk>/",
         views.AttachmentDownloadView.as_view(), name="attachment"),
]
