"""The applicant organisations: enterprises, universities, institutes, agencies,
associations and county governments of Hengyang's 13 counties, with valid credit codes,
addresses, contact persons and phones."""

from dataclasses import dataclass

from ..identifiers import USCC_ALPHABET, uscc_check_character
from ..models import Organisation, OrgType, Region
from .reference import rng

SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余"
            "杜叶程苏魏吕丁任沈姚卢谭廖贺龙邹段雷欧阳")
GIVEN = ("建国 志强 海涛 丽娟 晓燕 卫东 明辉 红梅 俊杰 宇航 秀英 桂芳 伟 芳 敏 静 丽华 强 磊 军 洋 "
         "勇 艳 杰 娟 涛 超 秀兰 霞 平 刚 桂英 文斌 子豪 思远 佳怡 雨萱 浩然 嘉欣 振华 国庆 春生 "
         "小红 建平 新民 立新 永红 海燕 湘云 衡生 建华 玉兰 德明 少华 光辉 雪梅").split()

def division_code(region: Region) -> str:
    """The first six characters of a credit code: where the organisation registered (the
    park's with the city)."""
    return region.code if region.code.isdigit() else "430400"


ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def organisation_code(first8: str) -> str:
    """The 9-character organisation code (GB 11714) of a credit code, with its check."""
    total = sum(int(c, 36) * w for c, w in zip(first8, ORG_CODE_WEIGHTS, strict=True))
    check = 11 - total % 11
    return first8 + {10: "X", 11: "0"}.get(check, str(check))


def credit_code(prefix: str, region_code: str, org_code: str) -> str:
    """A unified social credit code with a correct check character."""
    first17 = f"{prefix}{region_code}{org_code}"
    return first17 + uscc_check_character(first17)


def person_name(r) -> str:
    surname = r.choice(SURNAMES[:-2]) if r.random() < 0.97 else "欧阳"
    return surname + r.choice(GIVEN)


@dataclass(frozen=True)
class OrgSpec:
    name: str
    org_type: str
    region: str  # region code
    #: the registration authority and kind: 91 enterprise, 12 public institution,
    #: 11 government office, 51 social organisation, 52 private non-enterprise (a college)
    prefix: str
    street: str


CITY_DISTRICTS = ("430405", "430406", "430407", "430408", "GXQ")
STREETS = {
    "430405": ["东风北路", "衡州大道", "酃湖路", "茶山坳镇工业园"],
    "430406": ["先锋路", "白沙洲工业园", "岳屏路", "雁峰大道"],
    "430407": ["人民路", "松木工业园", "石鼓大道", "合江套路"],
    "430408": ["解放大道", "蒸湘北路", "船山大道", "长丰大道"],
    "430412": ["祝融路", "衡山路", "南岳大道"],
    "430421": ["西渡镇蒸阳大道", "西渡工业园"],
    "430422": ["云集镇衡南大道", "三塘工业园"],
    "430423": ["开云镇新城大道", "衡山经济开发区"],
    "430424": ["城关镇洣水大道", "衡东经济开发区"],
    "430426": ["洪桥街道永昌路", "祁东经济开发区"],
    "430481": ["蔡子池街道五一路", "耒阳经济开发区"],
    "430482": ["宜阳街道青阳路", "常宁水口山经济开发区"],
    "GXQ": ["华新大道", "延安路", "芙蓉路", "祝融大道"],
}
#: How an enterprise's name starts in each county (city districts: 衡阳 or 湖南).
COUNTY_PREFIX = {"430421": "衡阳县", "430422": "衡南", "430423": "衡山", "430424": "衡东",
                 "430426": "祁东", "430481": "耒阳市", "430482": "常宁市", "430412": "南岳"}
BRANDS = ("恒泰 华宇 金源 瑞丰 宏宇 天成 鑫达 雁城 船山 湘南 华晟 博创 正和 盛达 永兴 凯美 泰和 "
          "腾飞 锦程 众和 新宇 安泰 德润 丰源 海德 科盛 力达 三力 润达 鸿运 湘泉 宝利 金泓 长盛 "
          "衡岳 回雁 衡兴 湘衡 中湘 汇川 建衡 同创 星辰 华锐 祝融 岳屏 蒸阳 衡新").split()
INDUSTRIES = ("精密机械 智能装备 输变电设备 新材料 有色金属 电子科技 生物医药 化工 食品 农业科技 "
              "建材 纺织 汽车零部件 钢管 电线电缆 环保科技 信息技术 光电科技 矿山机械 油茶科技 "
              "医疗器械 机电 锂电科技 液压科技 轨道交通装备").split()

UNIVERSITIES = [
    ("南华大学", "430408", "12"), ("衡阳师范学院", "430405", "12"), ("湖南工学院", "430405", "12"),
    ("湖南交通工程学院", "430408", "52"), ("湖南财经工业职业技术学院", "430408", "12"),
    ("湖南环境生物职业技术学院", "430407", "12"), ("湖南高速铁路职业技术学院", "GXQ", "12"),
    ("衡阳幼儿师范高等专科学校", "430407", "12"), ("湖南工商职业学院", "GXQ", "12"),
]
INSTITUTIONS = [
    ("衡阳市知识产权服务中心", "430408"), ("衡阳市科学技术信息研究所", "430408"),
    ("衡阳市产商品质量监督检验所", "430406"), ("衡阳市生产力促进中心", "GXQ"),
    ("衡阳市农业科学研究所", "430407"), ("衡阳市林业科学研究所", "430405"),
    ("衡阳市标准化研究所", "430408"), ("衡阳市检验检测中心", "430406"),
    ("衡南县农业技术推广中心", "430422"), ("耒阳市科技服务中心", "430481"),
    ("常宁市产品质量检验所", "430482"), ("衡山县科技情报研究所", "430423"),
    ("祁东县农业科学研究所", "430426"), ("衡东县检验检测中心", "430424"),
    ("衡阳县农业技术推广中心", "430421"), ("南岳区茶叶研究所", "430412"),
]
AGENCIES = [
    ("衡阳市雁城专利事务所（普通合伙）", "430408"), ("衡阳市船山知识产权代理有限公司", "430408"),
    ("湖南衡岳专利代理事务所（普通合伙）", "GXQ"), ("衡阳华智知识产权服务有限公司", "GXQ"),
    ("衡阳湘南商标事务所有限公司", "430406"), ("衡阳市正和专利代理事务所", "430405"),
    ("衡阳博知知识产权运营有限公司", "430407"), ("耒阳市知行知识产权服务有限公司", "430481"),
    ("衡阳市科创知识产权代理有限公司", "GXQ"), ("衡阳恒信知识产权咨询有限公司", "430408"),
    ("衡阳市中衡专利事务所（普通合伙）", "430405"), ("常宁市华信知识产权服务有限公司", "430482"),
    ("衡阳智诚知识产权代理有限公司", "430406"), ("衡东县信达知识产权服务有限公司", "430424"),
]
ASSOCIATIONS = [
    ("衡阳市专利协会", "430408"), ("衡阳市商标协会", "430408"),
    ("祁东县黄花菜产业协会", "430426"), ("南岳区云雾茶协会", "430412"),
    ("衡东县黄贡椒产业协会", "430424"), ("常宁市油茶产业协会", "430482"),
    ("衡阳市湘莲产业协会", "430421"), ("衡阳市输变电装备产业商会", "GXQ"),
    ("衡山县萱洲脐橙协会", "430423"), ("耒阳市竹木产业协会", "430481"),
    ("衡南县农产品商会", "430422"), ("衡阳市有色金属行业协会", "430482"),
]


def catalogue() -> list[OrgSpec]:
    """Every demo organisation, in a fixed order: the two the README names first
    (applicant1, applicant2), then enterprises, universities, institutes, agencies,
    associations and the county governments and market regulators."""
    r = rng("organisations")
    counties = list(STREETS)
    specs = [OrgSpec("衡阳恒泰精密机械有限公司", OrgType.ENTERPRISE, "430405", "91", "东风北路"),
             OrgSpec("衡东华宇新材料股份有限公司", OrgType.ENTERPRISE, "430424", "91",
                     "衡东经济开发区")]
    used = {s.name for s in specs}
    while len(specs) < 96:
        region = counties[len(specs) % len(counties)]
        start = COUNTY_PREFIX.get(region) or r.choice(("衡阳", "衡阳", "衡阳市", "湖南"))
        suffix = "股份有限公司" if r.random() < 0.25 else "有限公司"
        name = f"{start}{r.choice(BRANDS)}{r.choice(INDUSTRIES)}{suffix}"
        if name in used:
            continue
        used.add(name)
        specs.append(OrgSpec(name, OrgType.ENTERPRISE, region, "91", r.choice(STREETS[region])))
    specs += [OrgSpec(n, OrgType.UNIVERSITY, c, p, r.choice(STREETS[c]))
              for n, c, p in UNIVERSITIES]
    specs += [OrgSpec(n, OrgType.PUBLIC_INSTITUTION, c, "12", r.choice(STREETS[c]))
              for n, c in INSTITUTIONS]
    specs += [OrgSpec(n, OrgType.SERVICE_AGENCY, c, "91", r.choice(STREETS[c]))
              for n, c in AGENCIES]
    specs += [OrgSpec(n, OrgType.ASSOCIATION, c, "51", r.choice(STREETS[c]))
              for n, c in ASSOCIATIONS]
    for region in Region.objects.order_by("code"):
        government = ("衡阳高新技术产业开发区管理委员会" if region.code == "GXQ"
                      else f"{region.name}人民政府")
        regulator = ("衡阳高新技术产业开发区市场监督管理局" if region.code == "GXQ"
                     else f"{region.name}市场监督管理局")
        for name in (government, regulator):
            specs.append(OrgSpec(name, OrgType.COUNTY_GOVERNMENT, region.code, "11",
                                 r.choice(STREETS[region.code])))
    return specs


def organisations() -> list[Organisation]:
    """Create or update every catalogue organisation; in catalogue order."""
    r = rng("contacts")
    regions = {region.code: region for region in Region.objects.all()}
    out, codes = [], set()
    for index, spec in enumerate(catalogue()):
        region = regions[spec.region]
        uscc = ""
        while not uscc or uscc in codes:
            # new-style codes of enterprises (MA…), numeric ones of the older bodies
            first8 = ("MA4L" + "".join(r.choice(USCC_ALPHABET) for _ in range(4))
                      if spec.prefix == "91" else f"43{r.randint(0, 999999):06d}")
            uscc = credit_code(spec.prefix, division_code(region), organisation_code(first8))
        codes.add(uscc)
        town = "衡阳市" if spec.region in CITY_DISTRICTS else ""
        address = f"{town}{region.name if spec.region != 'GXQ' else '高新区'}{spec.street}" \
                  f"{r.randint(1, 399)}号"
        phone = (f"0734-{r.randint(8100000, 8899999)}" if r.random() < 0.6
                 else f"1{r.choice('35789')}{r.randint(0, 9)}{r.randint(10000000, 99999999)}")
        org, _created = Organisation.objects.update_or_create(
            uscc=uscc, defaults={"name": spec.name, "org_type": spec.org_type, "region": region,
                                 "address": address, "contact_name": person_name(r),
                                 "contact_phone": phone,
                                 "email": f"contact{index + 1}@example.com"})
        out.append(org)
    return out
