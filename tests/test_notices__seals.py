"""Each issuing organ's seal image sits in its reserved place on the notice: 42 mm across,
centred over the organ's name, two seals side by side without touching (GB/T 9704-2012
§7.3.5.1); drafts carry no seal; only real PNGs of red round seals are accepted."""

import io
import subprocess

import pdfplumber
import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageDraw

from notices.models import IssuingOrgan
from notices.organs import seal_for
from notices.pdf import render_pdf
from notices.seals import clean_seal
from notices.specimens import specimen_seal

from .conftest import SHOTS
from .test_notices__layout import notice as realistic_notice

MM = 72 / 25.4
ORGANS = ("衡阳市市场监督管理局", "衡阳市财政局")


@pytest.fixture
def sealed(db):
    for name in ORGANS:
        organ = IssuingOrgan.objects.create(name=name)
        organ.seal.save("seal.png", ContentFile(specimen_seal(name)))


@pytest.fixture
def joint_notice(sealed, programme, city):
    """The realistic 13-item joint notice, in the database as issued."""
    notice = realistic_notice(programme=programme, created_by=city)
    notice.save()
    return notice


def seals_and_names(data: bytes):
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            if page.images:
                names = {w["text"]: w for w in page.extract_words() if w["text"] in ORGANS
                         and w["top"] > 100 * MM}
                return number, sorted(page.images, key=lambda i: i["x0"]), names
    return None, [], {}


def test_the_seals_sit_centred_over_their_organs_names(joint_notice):
    _number, images, names = seals_and_names(render_pdf(joint_notice, draft=False))
    assert len(images) == 2 and set(names) == set(ORGANS)
    for image, organ in zip(images, ORGANS, strict=True):
        assert abs((image["x1"] - image["x0"]) / MM - 42) < 0.5
        assert abs((image["bottom"] - image["top"]) / MM - 42) < 0.5
        word = names[organ]
        centre = (word["x0"] + word["x1"]) / 2
        assert abs((image["x0"] + image["x1"]) / 2 - centre) / MM < 2
        # the name runs across the seal a little below its centre (居印章中心偏下)
        assert image["top"] < word["top"] < word["bottom"] < image["bottom"]
        middle = (image["top"] + image["bottom"]) / 2
        assert 0 < (word["top"] + word["bottom"]) / 2 - middle < 6 * MM
    first, second = images
    assert abs(first["top"] - second["top"]) < 0.5  # side by side
    assert (second["x0"] - first["x1"]) / MM > 2  # not touching


def test_the_seals_are_on_the_page_with_the_signature_and_date(joint_notice, tmp_path):
    data = render_pdf(joint_notice, draft=False)
    number, images, _names = seals_and_names(data)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[number - 1]
        text = page.extract_text().replace(" ", "")
        date = next(w for w in page.extract_words() if w["text"].endswith("日")
                    and "年" in w["text"])
    assert "2020年12月8日" in text and "附件：" in text
    last = images[-1]  # the last seal presses on the date as well
    assert last["top"] < date["top"] < date["bottom"] < last["bottom"]
    assert last["x0"] < (date["x0"] + date["x1"]) / 2 < last["x1"]
    # the README's picture of the signature page
    pdf_file = tmp_path / "notice.pdf"
    pdf_file.write_bytes(data)
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", str(number), "-l", str(number),
                    "-singlefile", str(pdf_file), str(SHOTS / "notice_signature_seals")],
                   check=True)


def test_a_draft_carries_no_seal(joint_notice):
    _number, images, _names = seals_and_names(render_pdf(joint_notice, draft=True))
    assert images == []


def test_an_organ_without_a_seal_keeps_its_room(sealed, programme, city):
    IssuingOrgan.objects.filter(name="衡阳市财政局").update(seal="")
    notice = realistic_notice(programme=programme, created_by=city)
    notice.save()
    assert seal_for("衡阳市财政局") is None
    _number, images, names = seals_and_names(render_pdf(notice, draft=False))
    assert len(images) == 1
    centres = [(names[o]["x0"] + names[o]["x1"]) / 2 / MM for o in ORGANS]
    assert centres[1] - centres[0] >= 46  # the second seal's room is still there


def png(draw, size=(400, 400), mode="RGBA", background=(0, 0, 0, 0)) -> bytes:
    image = Image.new(mode, size, background)
    draw(ImageDraw.Draw(image))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def ring(colour):
    return lambda d: d.ellipse((10, 10, 390, 390), outline=colour, width=30)


def test_a_specimen_seal_is_accepted_and_written_anew():
    data = specimen_seal("衡阳市财政局")
    cleaned = clean_seal(data)
    assert Image.open(io.BytesIO(cleaned)).format == "PNG"


@pytest.mark.parametrize("upload, complaint", [
    (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "PNG"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "PNG"),
    (png(ring((0, 0, 200, 255))), "红色"),
    (png(lambda d: d.rectangle((5, 5, 395, 395), outline=(212, 0, 0, 255), width=30)),
     "圆形"),
    (png(ring((212, 0, 0, 255)), size=(400, 300)), "正方形"),
    (png(ring((212, 0, 0, 255)), size=(200, 200)), "过小"),
    (png(lambda d: None), "空白"),
])
def test_only_a_red_round_png_is_a_seal(upload, complaint):
    with pytest.raises(ValidationError) as refused:
        clean_seal(upload)
    assert complaint in str(refused.value.messages)


def test_a_jpeg_renamed_png_is_refused():
    out = io.BytesIO()
    Image.new("RGB", (400, 400), (212, 0, 0)).save(out, format="JPEG")
    with pytest.raises(ValidationError):
        clean_seal(out.getvalue())


@pytest.mark.django_db
def test_the_admin_keeps_the_seal_as_written_anew_and_refuses_others():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from notices.admin import IssuingOrganForm

    upload = SimpleUploadedFile("seal.png", specimen_seal("衡阳市财政局"), "image/png")
    form = IssuingOrganForm({"name": "衡阳市财政局", "key_name": ""}, {"seal": upload})
    assert form.is_valid(), form.errors
    organ = form.save()
    assert organ.seal.name.startswith("seals/") and seal_for("衡阳市财政局").startswith(
        "data:image/png;base64,")
    blue = SimpleUploadedFile("seal.png", png(ring((0, 0, 200, 255))), "image/png")
    form = IssuingOrganForm({"name": "衡阳市财政局", "key_name": ""}, {"seal": blue},
                            instance=organ)
    assert not form.is_valid() and "红色" in str(form.errors["seal"])
