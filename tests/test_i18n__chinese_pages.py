"""The Chinese interface has no English in it where a person reads: the admin (its index and
every registered model's list, add and change pages, as the administrator sees them), the
notice sign-off pages (viewflow's lists, filters, process and step pages, the flow chart),
the sign-in and two-factor pages, and the categories an applicant picks from.

Words in Latin letters that remain are what a Chinese page names that way: acronyms, product
and key names, codes with digits. The data the tests create is Chinese, so a Latin word is
the interface's own. Icons' alt texts (Django's "True", "Search") are not read here."""

import html
import importlib
import json
import re
from decimal import Decimal

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import ApiToken, Role
from notices.services import draft_disbursement_notice
from notices.signoff import start_signoff, take_step, waiting_task
from notifications.models import Notification
from publicity.objections import receive_objection
from subsidy.models import Application, Category
from workcalendar.models import ScheduleGap
from workcalendar.schedules import record_gap
from workcalendar.workdays import ScheduleMissing
from workflows import services as engine
from workflows.stages import State

from .factories import PASSWORD, ApplicationFactory, UserFactory, attach_required
from .helpers import signed_in, totp_device
from .publicity_data import TODAY, objection_data, published_batch

pytestmark = [pytest.mark.django_db, pytest.mark.today(TODAY)]

#: Latin words a Chinese page may show: acronyms and names that have no Chinese of their own.
ALLOWED = {
    "API", "PDF", "PNG", "SHA", "TOTP", "IP", "HTTP", "Accept", "GET", "POST", "Unix", "BPMN",
    "Excel", "LDAP", "Django", "Control", "Command", "Mac", "Microsoft", "Google",
    "Authenticator", "YubiKey",
    "English",  # the language switcher names each language in itself
    "GXQ",  # the code of 衡阳高新技术产业开发区 (fixtures/regions.json)
}
#: A word: Latin letters not part of a code (with digits), an address, a file name or a
#: masked secret (the admin shows a password hash as "vR*****").
WORD = re.compile(r"(?<![\w@./-])[A-Za-z][A-Za-z'’]+(?![\w@./*-])")
#: Names an administrator types, which the admin's help texts name: a notice template's
#: variables, the keys of a category's score sheet and of its rule settings.
CODE_WORDS = {"programme", "label", "accepted", "total", "key", "max", "components", "field",
              "rate", "cap"}
HIDDEN = {"script", "style", "template", "textarea"}  # textareas hold what was typed


def visible_parts(page: str) -> list[str]:
    """The texts of a page a person reads: its text, titles, placeholders, button values
    and the option labels of viewflow's select fields; not scripts, styles, icon names
    (Material icons are ligatures) or typed contents."""
    page = re.sub(r"<({})\b.*?</\1>".format("|".join(HIDDEN)), " ", page, flags=re.S)
    page = re.sub(r'<i class="material-icons[^"]*"[^>]*>[^<]*</i>', " ", page)
    page = re.sub(r'<(button|span)[^>]*class="[^"]*material-icons[^"]*"[^>]*>[^<]*</\1>',
                  " ", page)
    parts = [html.unescape(m) for m in re.findall(
        r'\s(?:title|placeholder|label)="([^"]*)"', page)]
    parts += [html.unescape(m) for m in re.findall(
        r'<input[^>]*type="(?:submit|button)"[^>]*value="([^"]*)"', page)]
    for options in re.findall(r'optgroups="([^"]*)"', page):
        parts += [group["options"]["label"] for group in json.loads(html.unescape(options))]
    text = re.sub(r"<[^>]+>", "\n", page)
    parts += [html.unescape(line).strip() for line in text.splitlines() if line.strip()]
    return parts


def english(page: str) -> list[str]:
    """The texts of the page that hold a Latin word not in ALLOWED."""
    found = []
    for part in visible_parts(page):
        words = set(WORD.findall(part)) - ALLOWED - CODE_WORDS
        if words:
            found.append(part[:120])
    return found


def assert_chinese(client, url, **post):
    answer = client.post(url, post) if post else client.get(url)
    assert answer.status_code == 200, (url, answer.status_code)
    found = english(answer.content.decode())
    assert found == [], (url, found)
    return answer


def test_the_check_finds_english():
    """What the other tests rely on: English text, a title, an option label is found; a
    code, an acronym, an icon, a script are not."""
    page = ('<h1>申报</h1><p>Process list</p><a title="Brief">摘要</a>'
            '<vf-field-select label="创建" optgroups="[{&quot;options&quot;: {&quot;label&quot;:'
            ' &quot;Yesterday&quot;}}]"></vf-field-select><i class="material-icons">inbox</i>'
            '<script>var x = "English";</script><td>T-000001</td><td>PDF</td>'
            '<textarea>typed text</textarea>')
    assert sorted(english(page)) == ["Brief", "Process list", "Yesterday"]


# --- the admin ----------------------------------------------------------------------------

@pytest.fixture
def administrator(reference):
    return UserFactory(username="系统管理员", first_name="管理员", role=Role.ADMIN,
                       is_staff=True, is_superuser=True)


@pytest.fixture
def records(administrator, programme):
    """One of each kind of record the admin lists."""
    city = UserFactory(username="市局经办", role=Role.CITY)
    chief = UserFactory(username="科长", role=Role.CHIEF)
    waiting = [ApplicationFactory(programme=programme, approved_amount=Decimal("30000"))
               for _ in range(2)]
    Application.objects.filter(pk__in=[a.pk for a in waiting]).update(
        state=State.AWAITING_DISBURSEMENT)
    notice = draft_disbursement_notice(city, programme, [a.pk for a in waiting])
    start_signoff(notice)
    take_step(chief, notice, True, "同意")
    batch, apps = published_batch(programme, city)
    receive_objection(batch, objection_data(apps[0]))
    submitted = ApplicationFactory(programme=programme)
    attach_required(submitted)
    engine.perform(submitted, "submit", submitted.created_by)
    Notification.objects.create(user=chief, subject="通知", body="内容")
    ApiToken.issue(chief, name="接口")
    Group.objects.create(name="经办人员")
    record_gap(ScheduleMissing(2027), ScheduleGap.Outcome.FALLBACK,
               ScheduleGap.Context.REMINDERS)
    device = TOTPDevice.objects.create(user=chief, name="手机", confirmed=True)
    backup = StaticDevice.objects.create(user=chief, name="备用", confirmed=True)
    StaticToken.objects.create(device=backup, token="12345678")
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        extra = {"failures_since_start": 2} if model is AccessAttempt else {}
        model.objects.create(username="科长", ip_address="127.0.0.1", user_agent="浏览器",
                             http_accept="*/*", path_info="/accounts/login/", **extra)
    return {"notice": notice, "device": device}


def admin_pages():
    """The list and add page of every model the admin registers."""
    for model, model_admin in admin.site._registry.items():
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        yield model, model_admin, base


def test_the_admin_reads_in_chinese(administrator, records):
    client = signed_in(administrator)
    # the test client sends no browser name: django-axes records "<unknown>" for it
    AccessLog.objects.update(user_agent="浏览器", http_accept="*/*", path_info="/")
    index = assert_chinese(client, "/admin/").content.decode()
    for word in ("登录记录", "身份验证器", "签发环节"):
        assert word in index
    for model, model_admin, base in admin_pages():
        assert_chinese(client, base)
        if model_admin.has_add_permission(client.get(base).wsgi_request):
            assert_chinese(client, base + "add/")
        for pk in model._default_manager.order_by("pk").values_list("pk", flat=True)[:5]:
            assert_chinese(client, f"{base}{pk}/change/")
    assert_chinese(client, f"/admin/accounts/user/{administrator.pk}/change/")


def test_permissions_are_named_in_chinese(administrator, records):
    page = signed_in(administrator).get("/admin/auth/group/add/").content.decode()
    assert "用户与权限 | 用户 | 可添加用户" in page
    assert "Can add" not in page


def test_the_admin_in_english_keeps_the_english_names(administrator, records):
    client = signed_in(administrator)
    client.cookies["django_language"] = "en"
    page = client.get("/admin/").content.decode()
    assert "Login record" in page and "Authenticator" in page


# --- the sign-off pages -------------------------------------------------------------------

def test_the_signoff_pages_read_in_chinese(records):
    notice = records["notice"]
    leader = UserFactory(username="局领导", role=Role.LEADER)
    client = signed_in(leader)
    task = waiting_task(notice)
    process = task.process_id
    for url in ("/desk/signoff/", "/desk/signoff/queue/", "/desk/signoff/inbox/",
                "/desk/signoff/archive/", "/desk/signoff/tasks/", "/desk/signoff/flows/",
                f"/desk/signoff/{process}/", f"/desk/signoff/{process}/{task.flow_task.name}/"
                f"{task.pk}/detail/"):
        assert_chinese(client, url)
    page = client.get("/desk/signoff/flows/").content.decode()
    assert "第 1–1 条，共 1 条" in page
    chart = client.get("/desk/signoff/chart/").content.decode()
    assert "同意" in chart and ">yes<" not in chart
    client.post(f"/desk/signoff/{process}/sign/{task.pk}/assign/")
    assert_chinese(client, f"/desk/signoff/{process}/sign/{task.pk}/execute/")


# --- signing in ---------------------------------------------------------------------------

def test_the_sign_in_and_two_factor_pages_read_in_chinese(reference):
    chief = UserFactory(username="科长", role=Role.CHIEF)
    totp_device(chief)
    client = Client()
    assert_chinese(client, "/accounts/login/")
    assert_chinese(client, "/accounts/login/", **{
        "login_view-current_step": "auth", "auth-username": chief.username,
        "auth-password": PASSWORD})
    assert_chinese(client, "/accounts/login/", **{"wizard_goto_step": "backup"})

    newcomer, client = UserFactory(username="新科员", role=Role.CITY), Client()
    client.post("/accounts/login/", {"login_view-current_step": "auth",
                                     "auth-username": newcomer.username,
                                     "auth-password": PASSWORD})
    assert_chinese(client, "/account/two_factor/setup/")
    assert_chinese(client, "/account/two_factor/setup/",
                   **{"setup_view-current_step": "welcome"})

    enrolled = signed_in(chief)
    for url in ("/account/two_factor/", "/account/two_factor/backup/tokens/",
                "/account/two_factor/disable/"):
        assert_chinese(enrolled, url)


# --- what applicants read -----------------------------------------------------------------

def test_categories_are_named_in_the_readers_language(programme, applicant):
    client = signed_in(applicant)
    page = assert_chinese(client, f"/programmes/{programme.pk}/").content.decode()
    assert "Key-enterprise IP protection pilot" not in page
    assert_chinese(client, f"/programmes/{programme.pk}/apply/01/")
    client.cookies["django_language"] = "en"
    page = client.get(f"/programmes/{programme.pk}/").content.decode()
    assert "Key-enterprise IP protection pilot" in page


def test_descriptions_saved_before_lose_their_english_names(reference):
    """Databases loaded from the earlier fixtures: the migration drops the English name."""
    from django.apps import apps

    migration = importlib.import_module(
        "subsidy.migrations.0018_category_descriptions_without_english")
    category = Category.objects.get(code="04")
    Category.objects.filter(pk=category.pk).update(
        description=f"{category.name}（{category.name_en}）。资助方式：按比例核定，不超过上限。")
    migration.drop_english_names(apps, None)
    category.refresh_from_db()
    assert category.description == f"{category.name}。资助方式：按比例核定，不超过上限。"
