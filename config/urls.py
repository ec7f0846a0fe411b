from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView
from django.views.i18n import set_language
from two_factor.urls import urlpatterns as two_factor_urls
from two_factor.views import LoginView

from accounts.views import TokensView
from api.api import api
from config.access import public
from desk.site import site

# the admin's titles (Django's own say "Django 站点管理员")
admin.site.site_header = _("知识产权培育资助申报系统")
admin.site.site_title = _("知识产权培育资助申报系统")

urlpatterns = [
    # one sign-in page for everyone, with the second factor (the admin's own asks no code)
    path("admin/login/", public(RedirectView.as_view(url="/accounts/login/", query_string=True)),
         name="admin_login"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    # password, then (for staff, or anyone who enrolled) the code from the authenticator app
    path("accounts/login/", public(LoginView.as_view()), name="login"),
    path("accounts/logout/", public(auth_views.LogoutView.as_view()), name="logout"),
    path("account/tokens/", TokensView.as_view(), name="api_tokens"),
    path("", include(two_factor_urls)),  # /account/two_factor/: enrol, backup codes, disable
    path("i18n/setlang/", public(set_language), name="set_language"),
    path("desk/", site.urls),
    path("publicity/", include("publicity.urls")),
    path("captcha/", include("captcha.urls")),  # the objection form's challenge images
    path("", include("portal.urls")),
]
