from django.urls import path

from . import views

urlpatterns = [
    path("", views.batch_list, name="publicity_list"),
    path("objections/", views.objection_lookup, name="publicity_objection_lookup"),
    path("<int:pk>/", views.batch_detail, name="publicity_detail"),
    path("<int:pk>/print/", views.batch_print, name="publicity_print"),
    path("<int:pk>/excel/", views.batch_excel, name="publicity_excel"),
]
