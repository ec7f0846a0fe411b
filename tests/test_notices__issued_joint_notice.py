"""The issue's acceptance test: a realistic 13-item joint notice drafted from the items'
acceptance batch and issued through the services, sealed and signed by both organs, measured
as the office would check it before sending it out."""

import io
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pdfplumber
import pytest
from django.core.files.base import ContentFile
from PIL import Image
from pyhanko.pdf_utils.reader import PdfFileReader

from notices.models import IssuingOrgan
from notices.services import draft_disbursement_notice, issue_notice
from notices.specimens import specimen_seal
from publicity.models import AcceptanceBatch
from subsidy.models import Application, Programme
from workflows.stages import State

from .conftest import SHOTS
from .factories import ApplicationFactory, OrganisationFactory, region
from .test_notices__layout import MM, ROWS, texts
from .test_notices__signatures import validate

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils")]
ORGANS = ("衡阳市市场监督管理局", "衡阳市财政局")


@pytest.fixture
def issued(signing_keys, programme, city):
    Programme.objects.filter(pk=programme.pk).update(issuers=list(ORGANS),
                                                     notice_contact="刘晓燕，0734-8888888")
    programme.refresh_from_db()
    for name in ORGANS:
        organ, _created = IssuingOrgan.objects.get_or_create(name=name)
        organ.seal.save("seal.png", ContentFile(specimen_seal(name)))
    apps = [ApplicationFactory(programme=programme, title=title, approved_amount=Decimal(amount),
                               organisation=OrganisationFactory(name=org, region=region(code)))
            for code, _county, org, title, amount in ROWS]
    Application.objects.filter(pk__in=[a.pk for a in apps]).update(
        state=State.AWAITING_DISBURSEMENT)
    AcceptanceBatch.objects.create(programme=programme, number=3,
                                   created_by=city).applications.set(apps)
    notice = issue_notice(city, draft_disbursement_notice(city, programme,
                                                          [a.pk for a in apps]))
    return notice, notice.pdf.read()


def test_the_issued_joint_notice_can_go_out_as_it_is(issued, signing_keys, tmp_path):
    notice, data = issued
    year = notice.programme.year
    pages = [text.replace(" ", "") for text in texts(data)]

    # titled by the items' acceptance batch, broken between words
    assert notice.title == f"关于下拨{year}年度第三批验收通过的知识产权培育资助项目资金的通知"
    first = pages[0].splitlines()
    assert f"关于下拨{year}年度第三批验收通过的" in first
    assert "知识产权培育资助项目资金的通知" in first

    # the signature block on one page with the body's last lines, two seals side by side
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        sealed = [n for n, page in enumerate(pdf.pages) if page.images]
        assert len(sealed) == 1
        page = pdf.pages[sealed[0]]
        seals = sorted(page.images, key=lambda image: image["x0"])
    text = pages[sealed[0]]
    for expected in (*ORGANS, "附件：", "（联系人：刘晓燕", "依法依规处理。"):
        assert expected in text, expected
    assert text.index("依法依规处理") < text.index("附件：")
    assert len(seals) == 2 and abs(seals[0]["top"] - seals[1]["top"]) < 0.5
    assert (seals[1]["x0"] - seals[0]["x1"]) / MM > 2  # the seals do not touch

    # the 版记 on an even page of its own number-less kind
    assert len(pages) % 2 == 0 and "抄送" in pages[-1] and "—" not in pages[-1]

    # amounts: in 元 (107000.53 and 0.05 cannot be written in 万元 with two decimals)
    table = "".join(pages[1:-1])
    assert "资助金额" in table and "（元）" in table  # the header, over two lines
    amounts = re.findall(r"\d[\d,]*\.\d+", table)
    assert amounts and all(re.fullmatch(r"\d{1,3}(,\d{3})*\.\d{2}|\d+\.\d{2}", a)
                           for a in amounts)
    assert "人民币" in pages[0] + pages[1]

    # signed by both organs, valid under the office's CA
    assert len(PdfFileReader(io.BytesIO(data)).embedded_signatures) == 2
    path = tmp_path / "notice.pdf"
    path.write_bytes(data)
    result = validate(path, signing_keys.ca_pem)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("The signature is judged VALID") == 2
    draw_the_pages(path, tmp_path)


def draw_the_pages(pdf: Path, work: Path) -> None:
    """The README's picture of the issued notice: its pages side by side, three to a row."""
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(pdf), str(work / "page")], check=True)
    pages = [Image.open(path) for path in sorted(work.glob("page-*.png"))]
    width, height = pages[0].size
    rows = -(-len(pages) // 3)
    sheet = Image.new("RGB", (3 * width + 20, rows * height + 10 * (rows - 1)), "#888888")
    for index, page in enumerate(pages):
        sheet.paste(page, ((index % 3) * (width + 10), (index // 3) * (height + 10)))
    sheet.save(SHOTS / "notice-pages.png", optimize=True)
