"""Excel import of review results: template, row-level errors, all or nothing."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from subsidy.models import Application
from workflows.stages import State

from .factories import ApplicationFactory, region
from .helpers import signed_in


def filled(template_bytes, results):
    book = load_workbook(io.BytesIO(template_bytes))
    sheet = book.active
    for row in sheet.iter_rows(min_row=2):
        if row[0].value in results:
            row[3].value, row[4].value = results[row[0].value]
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("results.xlsx", out.getvalue())


@pytest.mark.django_db
def test_county_imports_its_preliminary_review(programme, county):
    apps = [ApplicationFactory(programme=programme, organisation__region=county.region)
            for _ in range(3)]
    Application.objects.filter(pk__in=[a.pk for a in apps]).update(state=State.SUBMITTED)
    foreign = ApplicationFactory(programme=programme, organisation__region=region("430424"))
    Application.objects.filter(pk=foreign.pk).update(state=State.SUBMITTED)
    client = signed_in(county)
    template = client.get("/desk/review/import/?template=1").content
    numbers = [c.value for c in load_workbook(io.BytesIO(template)).active["A"]][1:]
    assert sorted(numbers) == sorted(a.number for a in apps)  # only the county's own

    bad = client.post("/desk/review/import/", {"file": filled(template, {
        apps[0].number: ("推荐", "同意"), apps[1].number: ("退回修改", ""),
        apps[2].number: ("批准", "")})})
    page = bad.content.decode()
    assert bad.status_code == 422 and "第 3 行" in page and "第 4 行" in page
    assert set(Application.objects.filter(pk__in=[a.pk for a in apps])
               .values_list("state", flat=True)) == {State.SUBMITTED}  # nothing imported

    good = client.post("/desk/review/import/", {"file": filled(template, {
        apps[0].number: ("推荐", "同意推荐"), apps[1].number: ("退回修改", "补充材料"),
        apps[2].number: ("不予支持", "不符合条件")})})
    assert good.status_code == 200 and "已导入 3 行" in good.content.decode()
    states = [Application.objects.get(pk=a.pk).state for a in apps]
    assert states == [State.CITY_REVIEW, State.RETURNED, State.REJECTED]
    assert Application.objects.get(pk=foreign.pk).state == State.SUBMITTED


@pytest.mark.django_db
def test_foreign_numbers_and_garbage_files_are_refused(programme, county):
    foreign = ApplicationFactory(programme=programme, organisation__region=region("430424"))
    Application.objects.filter(pk=foreign.pk).update(state=State.SUBMITTED)
    client = signed_in(county)
    template = client.get("/desk/review/import/?template=1").content
    book = load_workbook(io.BytesIO(template))
    book.active.append([foreign.number, "", "", "推荐", ""])
    out = io.BytesIO()
    book.save(out)
    response = client.post("/desk/review/import/",
                           {"file": SimpleUploadedFile("r.xlsx", out.getvalue())})
    assert "不存在或不在您的范围内" in response.content.decode()
    garbage = client.post("/desk/review/import/",
                          {"file": SimpleUploadedFile("r.xlsx", b"not a workbook")})
    assert garbage.status_code == 422 and "无法读取该文件" in garbage.content.decode()
    assert Application.objects.get(pk=foreign.pk).state == State.SUBMITTED


@pytest.mark.django_db
def test_a_damaged_workbook_is_explained_not_a_500(county):
    client = signed_in(county)
    book = io.BytesIO(client.get("/desk/review/import/?template=1").content)
    import zipfile

    damaged = io.BytesIO()
    with zipfile.ZipFile(book) as source, zipfile.ZipFile(damaged, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.endswith("sheet1.xml"):
                data = data[: len(data) // 2]  # cut the sheet's XML in half
            target.writestr(item, data)
    response = client.post("/desk/review/import/",
                           {"file": SimpleUploadedFile("r.xlsx", damaged.getvalue())})
    assert response.status_code == 422 and "无法读取该文件" in response.content.decode()
