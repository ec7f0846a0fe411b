"""Document titles broken into lines between words, in a 梯形 or 菱形 (GB/T 9704 §7.3.1:
标题回行时，要做到词意完整，排列对称，长短适宜，间距恰当，使用梯形或菱形).

A title is cut into words by the longest words of `WORDS` (and any the caller adds, such as
the category names); characters no word covers stay together with their neighbours, so a
line only ever breaks where two known words meet. Among the ways to put the words on the
fewest lines that fit, the most even one whose shape is a trapezoid (lines growing or
shrinking) or a diamond (the middle longest) is chosen; a rectangle (all lines alike) or an
hourglass (the middle shortest) is taken only when nothing else fits.
"""

import re
from functools import lru_cache
from itertools import combinations, pairwise

#: Words of subsidy notices and their titles that a line never splits.
WORDS = (
    "关于", "下拨", "拨付", "下达", "印发", "公布", "年度", "第一批", "第二批", "第三批", "第四批",
    "第五批", "第六批", "验收通过", "验收", "通过", "知识产权", "培育资助", "培育", "资助", "项目",
    "知识产权培育资助项目", "资金", "分配表", "通知", "公示", "名单", "拟立项", "拟奖励", "后补助",
    "立项", "奖励", "衡阳市", "市场监督管理局", "财政局", "专利", "商标", "地理标志", "高价值",
    "发明专利",
    "质押融资", "马德里", "贯标", "企业", "高校", "示范", "优势", "专项", "实施", "计划",
    "申报", "组织", "工作", "有关", "事项",
)
#: Characters that close the word before them: never the first of a line (的通知 → 的 stays).
CLOSING = "的之和及与、，：）》〕”"
#: Characters that open the word after them: never the last of a line.
OPENING = "（《〔“"
#: A number with its unit reads as one word: 2020年度, 13个, 第3批.
NUMBER = re.compile(r"第?\d+(年度|年|个|批|号|项)?")

#: Widths in em of the title font's glyphs: CJK 1, Latin letters and digits about 0.55
#: (Noto Serif CJK SC), taken a little wide so a line that fits here fits on the page.
NARROW_EM = 0.6


def width_em(text: str) -> float:
    """The width of `text` in ems of the title's font, slightly generous."""
    return sum(NARROW_EM if ord(ch) < 0x2E80 else 1.0 for ch in text)


def words(title: str, extra: tuple[str, ...] = ()) -> list[str]:
    """The title cut into the pieces a line may break between."""
    lexicon = sorted({*WORDS, *extra}, key=len, reverse=True)
    pieces, start, i = [], 0, 0

    def cut(at):
        nonlocal start
        if at > start:
            pieces.append(title[start:at])
        start = at

    while i < len(title):
        number = NUMBER.match(title, i)
        if number and number.end() > i:
            cut(i)
            i = number.end()
            cut(i)
            continue
        word = next((w for w in lexicon if title.startswith(w, i)), None)
        if word:
            cut(i)
            i += len(word)
            cut(i)
            continue
        i += 1
    cut(len(title))
    return _glued(_merged_unknown(pieces, lexicon))


def _merged_unknown(pieces: list[str], lexicon: list[str]) -> list[str]:
    """Runs of characters no word covers join the word before them (a name stays whole)."""
    known = set(lexicon)
    out: list[str] = []
    for piece in pieces:
        if out and piece not in known and not NUMBER.fullmatch(piece) \
                and not all(ch in CLOSING or ch in OPENING for ch in piece):
            out[-1] += piece
        else:
            out.append(piece)
    return out


def _glued(pieces: list[str]) -> list[str]:
    """Closing characters join the piece before, opening ones the piece after."""
    out: list[str] = []
    for piece in pieces:
        while piece and piece[0] in CLOSING and out:
            out[-1] += piece[0]
            piece = piece[1:]
        if not piece:
            continue
        if out and out[-1][-1] in OPENING:
            out[-1] += piece
        else:
            out.append(piece)
    return out


def _shape_cost(widths: list[float]) -> float:
    """Lower is better: even lines in a trapezoid or a diamond; rectangles and hourglasses
    only as a last resort."""
    spread = max(widths) - min(widths)
    if len(widths) == 1:
        return 0.0
    if spread < 1:
        return 100 + spread  # a rectangle
    if len(widths) >= 3:
        middle = widths[1:-1]
        if min(middle) < min(widths[0], widths[-1]):
            return 100 + spread  # an hourglass
    return spread


@lru_cache(maxsize=256)
def _best(pieces: tuple[str, ...], max_em: float) -> tuple[str, ...]:
    sizes = [width_em(p) for p in pieces]
    for count in range(1, len(pieces) + 1):
        best, best_cost = None, None
        for cuts in combinations(range(1, len(pieces)), count - 1):
            bounds = (0, *cuts, len(pieces))
            widths = [sum(sizes[a:b]) for a, b in pairwise(bounds)]
            if max(widths) > max_em:
                continue
            cost = _shape_cost(widths)
            if best_cost is None or cost < best_cost:
                best, best_cost = bounds, cost
        if best is not None:
            return tuple("".join(pieces[a:b]) for a, b in pairwise(best))
    return pieces  # a single word wider than the line: WeasyPrint wraps it


def title_lines(title: str, max_em: float, *, hint: str = "",
                extra: tuple[str, ...] = ()) -> list[str]:
    """The title's lines: the drafter's own (`hint`, one line each, when it spells the
    title), else broken between words to fit `max_em` ems a line."""
    given = [line.strip() for line in hint.splitlines() if line.strip()]
    if given and "".join(given) == title:
        return given
    return list(_best(tuple(words(title, extra)), max_em))


def hint_matches(title: str, hint: str) -> bool:
    """Whether a drafter's line breaks spell the title exactly (empty: no breaks given)."""
    given = [line.strip() for line in hint.splitlines() if line.strip()]
    return not given or "".join(given) == title
