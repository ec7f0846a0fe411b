"""The public print sheet of a 公示 ends as the publicity document does: with the organ that
publishes it alone (no finance countersignature) and the date, right-aligned under the list."""

import re

import pytest
from django.test import Client

from subsidy.models import Programme

from .factories import ApplicationFactory
from .publicity_data import TODAY, published_batch

pytestmark = [pytest.mark.django_db, pytest.mark.today(TODAY)]


def test_the_print_sheet_ends_with_the_lead_organ_and_the_date(programme, city):
    Programme.objects.filter(pk=programme.pk).update(
        issuers=["衡阳市市场监督管理局", "衡阳市财政局"])
    listed = [ApplicationFactory(programme=programme, approved_amount=1000)]
    batch = published_batch(programme, city, apps=listed)[0]
    page = Client().get(f"/publicity/{batch.pk}/print/").content.decode()
    line = re.search(r'<p class="issued">(.*?)<br>(.*?)</p>', page)
    assert line, "no organ-and-date line"
    start = batch.start_date
    assert line.groups() == ("衡阳市市场监督管理局", f"{start.year}年{start.month}月{start.day}日")
    assert "衡阳市财政局" not in page
    assert page.index('class="issued"') > page.index("</table>")
