"""The disbursement notice as an office issues it (GB/T 9704-2012), measured on a realistic
13-item joint notice: positions from pdfplumber and from the rendered page's ink."""

import io
import shutil
import subprocess
from datetime import date
from decimal import Decimal

import pdfplumber
import pytest
from PIL import Image

from notices.models import Notice
from notices.pdf import allocation_table, render_pdf
from notices.titles import title_lines, words
from subsidy.money import capital_rmb, document_unit, format_in_unit

pytestmark = pytest.mark.skipif(not shutil.which("pdftoppm"),
                                reason="poppler-utils not installed (scripts/setup.sh does)")

MM = 72 / 25.4
TEXT_TOP_MM, TEXT_BOTTOM_MM = 37, 262
ROWS = [
    ("430405", "珠晖区", "衡阳堃喆科技有限公司", "高价值发明专利培育项目", "200000"),
    ("430405", "珠晖区", "衡阳示范机械有限公司", "知识产权贯标", "30000"),
    ("430406", "雁峰区", "衡阳雁峰电子科技股份有限公司", "专利导航分析项目", "150000"),
    ("430407", "石鼓区", "湖南石鼓新材料有限公司", "知识产权质押融资贴息", "107000.53"),
    ("430408", "蒸湘区", "衡阳蒸湘生物医药有限公司", "马德里商标国际注册", "0.05"),
    ("430412", "南岳区", "南岳衡山茶业有限公司", "南岳云雾茶地理标志运用", "300000"),
    ("430421", "衡阳县", "衡阳县农机制造有限公司", "知识产权密集型企业培育", "250000"),
    ("430422", "衡南县", "衡南县智能装备有限公司", "高价值发明专利培育项目", "200000"),
    ("430423", "衡山县", "衡山县竹木制品有限公司", "知识产权贯标", "30000"),
    ("430424", "衡东县", "衡东新材料股份有限公司", "知识产权强链护链", "400000"),
    ("430426", "祁东县", "祁东黄花菜产业发展有限公司", "祁东黄花菜地理标志促进", "200000"),
    ("430481", "耒阳市", "耒阳市矿山机械有限公司", "专利运营转化项目", "150000"),
    ("430482", "常宁市", "常宁市有色金属冶炼有限公司", "知识产权贯标", "90345.29"),
]
BODY = "\n".join([
    "根据有关规定，经单位申报、县市区初审推荐、市局审核、验收、公示等程序，现将资金予以下拨。"
    * 6,
    "一、资金拨付",
    "（一）拨付时限。请各县市区市场监督管理局、财政局在收到本通知后15个工作日内，将资金足额拨付到项目单位。"
    * 3,
    "（二）拨付备案。拨付完成后，请于5个工作日内将拨付凭证复印件报市市场监督管理局备案。" * 3,
    "二、其他事项",
    "对弄虚作假、骗取资助资金的单位，一经查实，将追回已拨资金，并依法依规处理。" * 2,
])


def notice(rows=ROWS, body=BODY, **fields) -> Notice:
    values = {"title": "关于下拨2020年度第三批验收通过的知识产权培育资助项目资金的通知",
              "addressees": "各县市区（园区）市场监督管理局、财政局：", "body": body,
              "attachment_title": "2020年度第三批验收通过的知识产权培育资助项目资金分配表",
              "copy_to": "省市场监督管理局，市审计局。", "contact": "刘晓燕，0734-8888888",
              "issuers": ["衡阳市市场监督管理局", "衡阳市财政局"], "number_prefix": "衡市监办",
              "year": 2020, "serial": 112, "issued_on": date(2020, 12, 8),
              "rows": [{"region_code": code, "county": county, "number": f"2020-{i:04d}",
                        "organisation": org, "title": title, "category": "企业知识产权贯标培育",
                        "amount": amount}
                       for i, (code, county, org, title, amount) in enumerate(rows, 1)]}
    return Notice(**{**values, **fields})


@pytest.fixture(scope="module")
def joint():
    return render_pdf(notice(), draft=False)


def texts(data: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def ink(data: bytes, page: int, tmp_path) -> Image.Image:
    source = tmp_path / "notice.pdf"
    source.write_bytes(data)
    subprocess.run(["pdftoppm", "-png", "-r", "300", "-f", str(page), "-l", str(page),
                    "-singlefile", str(source), str(tmp_path / "page")], check=True)
    return Image.open(tmp_path / "page.png").convert("RGB")


PX = 300 / 25.4


def rows_with(image, test, x_from_mm, x_to_mm, y_from_mm=0, y_to_mm=297, step=2):
    return [y / PX for y in range(int(y_from_mm * PX), int(y_to_mm * PX))
            if any(test(image.getpixel((x, y)))
                   for x in range(int(x_from_mm * PX), int(x_to_mm * PX), step))]


def red(p):
    return p[0] > 150 and p[1] < 100 and p[2] < 100


def dark(p):
    return sum(p) < 300


def test_the_signature_stays_with_the_bodys_last_lines(joint):
    pages = [text.replace(" ", "") for text in texts(joint)]
    signed = [i for i, text in enumerate(pages) if "2020年12月8日" in text.split("抄送")[0]
              and "附件" in text]
    assert len(signed) == 1
    page = pages[signed[0]]
    for expected in ("衡阳市市场监督管理局", "衡阳市财政局", "（联系人：刘晓燕", "依法依规处理。"):
        assert expected in page, expected
    # lines of the body came along: the page is not the signature block alone
    assert page.index("依法依规处理") < page.index("附件：")


def test_joint_signers_stand_side_by_side_with_room_for_two_seals(joint):
    with pdfplumber.open(io.BytesIO(joint)) as pdf:
        for page in pdf.pages:
            words_ = page.extract_words()
            names = [w for w in words_ if w["text"] in ("衡阳市市场监督管理局", "衡阳市财政局")
                     and w["top"] > 100 * MM]
            if len(names) == 2:
                break
    first, last = sorted(names, key=lambda w: w["x0"])
    assert abs(first["top"] - last["top"]) < 1  # one line
    centres = [(w["x0"] + w["x1"]) / 2 / MM for w in (first, last)]
    assert centres[1] - centres[0] >= 42 + 4  # two 42 mm seals that do not touch
    date_word = next(w for w in words_ if w["text"].startswith("2020年12月8日"))
    assert date_word["top"] > last["top"] and \
        abs((date_word["x0"] + date_word["x1"]) / 2 / MM - centres[1]) < 3  # under the last


def test_the_closing_block_is_on_an_unnumbered_even_page(joint):
    pages = texts(joint)
    assert len(pages) % 2 == 0 and "抄送" in pages[-1] and "印发" in pages[-1]
    assert "—" not in pages[-1]
    assert all("—" in text for text in pages[:-1] if text.strip())


def test_a_closing_that_ends_even_stays_under_the_table():
    data = render_pdf(notice(body="现将资金予以下拨。"), draft=False)
    pages = texts(data)
    assert len(pages) % 2 == 0 and "抄送" in pages[-1]


def test_titles_break_between_words():
    for title, width in (("关于下拨2020年度第三批验收通过的知识产权培育资助项目资金的通知", 19.5),
                         ("2020年度第三批验收通过的知识产权培育资助项目资金分配表", 24),
                         ("2020年度知识产权培育资助项目第三批验收通过名单公示", 19.5)):
        lines = title_lines(title, width)
        assert "".join(lines) == title and len(lines) == 2
        for word in ("知识产权", "培育资助", "通知", "验收通过", "分配表"):
            assert not any(line.endswith(word[:i]) and title.count(word)
                           and lines[lines.index(line) + 1].startswith(word[i:])
                           for line in lines[:-1] for i in range(1, len(word))), (title, word)
        assert len(lines[0]) != len(lines[1])  # a trapezoid, not a rectangle


def test_a_drafter_may_break_the_title_themselves():
    title = "关于下拨2020年度知识产权培育资助项目资金的通知"
    assert title_lines(title, 19.5, hint="关于下拨2020年度\n知识产权培育资助项目资金的通知") \
        == ["关于下拨2020年度", "知识产权培育资助项目资金的通知"]
    assert "知识产权培育资助项目" in words(title)


def test_the_pdf_titles_are_printed_on_the_lines_chosen(joint):
    first = texts(joint)[0].replace(" ", "").splitlines()
    assert "关于下拨2020年度第三批验收通过的" in first
    assert "知识产权培育资助项目资金的通知" in first


def test_amounts_are_in_yuan_when_wan_would_round():
    table = allocation_table(notice().rows)
    assert table["unit"] == "元" and table["amount_header"] == "资助金额（元）"
    assert table["total"] == sum(Decimal(r[4]) for r in ROWS)
    assert table["total_text"] == "2107345.87元"
    assert all(len(r["amount"].split(".")[1]) == 2 for r in table["rows"])
    round_table = allocation_table(notice(rows=[(*r[:4], "30000") for r in ROWS]).rows)
    assert round_table["unit"] == "万元" and round_table["total_text"] == "39.00万元"
    assert document_unit(["30000", "12500"]) == "万元" and document_unit(["12345"]) == "元"
    assert format_in_unit("107000.53", "元") == "107000.53"
    assert capital_rmb(Decimal("107000.53")) == "人民币壹拾万柒仟元零伍角叁分"


def test_the_header_and_page_numbers_sit_where_the_standard_puts_them(joint, tmp_path):
    page = ink(joint, 1, tmp_path)
    reds = rows_with(page, red, 30, 180, step=3)
    assert abs(reds[0] - TEXT_TOP_MM - 35) < 0.6  # the mark's top edge 35 mm down
    rule = [y for y in reds if all(red(page.getpixel((int(x * PX), int(y * PX))))
                                   for x in range(30, 180, 10))]
    number = rows_with(page, dark, 70, 140, 100, rule[0])
    assert abs(rule[0] - number[-1] - 4) < 0.6  # the red rule 4 mm below the number
    dash = rows_with(page, dark, 166, 168, TEXT_BOTTOM_MM, 280, step=1)
    assert abs((dash[0] + dash[-1]) / 2 - TEXT_BOTTOM_MM - 7) < 0.6


def test_only_the_headings_are_set_in_kaiti(joint):
    with pdfplumber.open(io.BytesIO(joint)) as pdf:
        chars = [c for page in pdf.pages[:3] for c in page.chars]
    kaiti = "".join(c["text"] for c in chars if "WenKai" in c["fontname"]
                    or "Kai" in c["fontname"])
    assert "（一）拨付时限。" in kaiti and "请各县市区" not in kaiti
