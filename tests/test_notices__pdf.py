"""The disbursement notice: issued with its number, frozen, and readable as an official
document (text extracted with pdftotext, fonts with pdffonts, page size with pdfinfo)."""

import hashlib
import shutil
import subprocess
from datetime import date
from decimal import Decimal

import pytest
from django.core.checks import run_checks
from django.core.exceptions import ValidationError
from django.core.management import call_command

from notices.models import NoticeStatus
from notices.services import draft_disbursement_notice, issue_notice
from subsidy.models import Application
from workflows.stages import State

from .conftest import SHOTS
from .factories import ApplicationFactory, OrganisationFactory, region

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"),
                                reason="poppler-utils not installed (scripts/setup.sh does)")


def tool(*args) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


@pytest.fixture
def awaiting(programme):
    rows = [("430405", "衡阳堃喆科技有限公司", "30000"),
            ("430405", "衡阳示范机械有限公司", "12500"),
            ("430424", "衡东新材料股份有限公司", "200000")]
    apps = []
    for code, name, amount in rows:
        app = ApplicationFactory(programme=programme, title=f"{name}贯标项目",
                                 organisation=OrganisationFactory(name=name, region=region(code)),
                                 approved_amount=Decimal(amount))
        apps.append(app)
    Application.objects.filter(pk__in=[a.pk for a in apps]).update(
        state=State.AWAITING_DISBURSEMENT)
    return apps


@pytest.mark.django_db
def test_issued_notice_pdf(awaiting, programme, city, tmp_path):
    notice = draft_disbursement_notice(city, programme, [a.pk for a in awaiting],
                                       "第三批验收通过的")
    notice = issue_notice(city, notice)
    assert notice.status == NoticeStatus.ISSUED and notice.number == \
        f"衡市监办〔{notice.year}〕1号"
    data = notice.pdf.read()
    assert hashlib.sha256(data).hexdigest() == notice.pdf_sha256
    path = tmp_path / "notice.pdf"
    path.write_bytes(data)
    text = tool("pdftotext", "-raw", str(path), "-").replace(" ", "").replace("\n", "")
    title = "关于下拨2021年度第三批验收通过的知识产权培育资助项目资金的通知"
    for expected in (notice.number, title,
                     "衡阳堃喆科技有限公司", "衡阳示范机械有限公司", "衡东新材料股份有限公司",
                     "3.00", "1.25", "20.00", "珠晖区小计", "4.25", "衡东县小计", "24.25",
                     "贰拾肆万贰仟伍佰元整", "衡阳市市场监督管理局", "衡阳市财政局", "文件",
                     "抄送", "印发", "—1—"):
        assert expected in text, expected
    fonts = tool("pdffonts", str(path))
    assert "CJK" in fonts and " yes yes " in fonts  # embedded and subset
    assert "A4" in tool("pdfinfo", str(path))
    assert all(a.state == State.DISBURSEMENT_NOTIFIED for a in
               Application.objects.filter(pk__in=[a.pk for a in awaiting]))
    with pytest.raises(ValidationError):
        issue_notice(city, notice)  # issued once, never again
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile",
                    str(path), str(SHOTS / "notice-p1")], check=True)


@pytest.mark.django_db
def test_draft_renders_with_a_watermark_from_the_command(awaiting, programme, city, tmp_path):
    notice = draft_disbursement_notice(city, programme, [a.pk for a in awaiting])
    out = tmp_path / "draft.pdf"
    call_command("render_notice", notice.pk, "--out", str(out), stdout=open("/dev/null", "w"))
    text = tool("pdftotext", str(out), "-")
    assert "草" in text and "稿" in text and "衡市监办〔" in text  # the rotated watermark
    assert Application.objects.filter(state=State.AWAITING_DISBURSEMENT).count() == 3


def test_system_checks_demand_a_cjk_font(settings):
    assert not [e for e in run_checks() if e.id.startswith("notices.")]
    settings.NOTICE_FONTS = {**settings.NOTICE_FONTS, "body": ["No Such Font SC"]}
    assert [e.id for e in run_checks() if e.id.startswith("notices.")] == ["notices.E001"]


@pytest.mark.django_db
def test_a_mistaken_notice_is_superseded_never_edited(awaiting, programme, city, tmp_path):
    from notices.services import supersede_notice

    old = issue_notice(city, draft_disbursement_notice(city, programme,
                                                       [a.pk for a in awaiting]))
    frozen = old.pdf_sha256
    new = supersede_notice(city, old)
    with pytest.raises(ValidationError):
        supersede_notice(city, old)  # one replacement only
    new = issue_notice(city, new)
    old.refresh_from_db()
    assert old.status == NoticeStatus.REVOKED and old.pdf_sha256 == frozen
    assert new.serial == old.serial + 1 and new.supersedes == old
    path = tmp_path / "new.pdf"
    path.write_bytes(new.pdf.read())
    assert f"（{old.number}）即行废止" in tool("pdftotext", "-raw", str(path), "-").replace(
        "\n", "")


@pytest.mark.django_db
def test_the_body_comes_from_the_programmes_own_template(awaiting, programme, city):
    programme.disbursement_notice_template = (
        "依据{{ programme.call_number }}，下拨{{ total_capital }}。")
    programme.save()
    notice = draft_disbursement_notice(city, programme, [a.pk for a in awaiting])
    assert notice.body == "依据衡市监办〔2021〕68号，下拨人民币贰拾肆万贰仟伍佰元整。"


@pytest.mark.django_db
@pytest.mark.today(date(2021, 9, 28))  # a batch cannot start in the past
def test_publicity_notice_from_a_publicity_batch(programme, city, tmp_path):
    from notices.services import draft_publicity_notice
    from publicity.models import BatchKind
    from publicity.services import create_batch

    apps = [ApplicationFactory(programme=programme, approved_amount=Decimal("50000"),
                               title=f"拟资助项目{i}") for i in range(2)]
    Application.objects.filter(pk__in=[a.pk for a in apps]).update(state=State.APPROVED)
    batch = create_batch(city, programme, BatchKind.APPROVAL,
                         "2021年度知识产权培育资助拟资助项目公示", date(2021, 9, 28), 5,
                         [a.pk for a in apps])
    notice = issue_notice(city, draft_publicity_notice(city, batch))
    path = tmp_path / "publicity.pdf"
    path.write_bytes(notice.pdf.read())
    text = tool("pdftotext", "-raw", str(path), "-").replace("\n", "").replace(" ", "")
    for expected in ("2021年度知识产权培育资助拟资助项目公示",
                     "2021年9月28日至2021年10月9日", "匿名或逾期异议", "拟资助项目0",
                     "拟资助项目1", "10.00", notice.number):
        assert expected in text, expected
    # titled by its list, no addressee, issued by the bureau alone, its list named once
    assert notice.title == batch.title and notice.addressees == ""
    assert notice.issuers == ["衡阳市市场监督管理局"] and "财政局" not in text.split("抄送")[0]
    assert notice.attachment_title == "2021年度知识产权培育资助拟资助项目名单"
    assert set(Application.objects.values_list("state", flat=True)) == {State.APPROVED}
