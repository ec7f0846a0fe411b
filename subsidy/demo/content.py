"""What the demo's people write: project titles and summaries, the category forms' values,
and the reasons of returns, refusals, objections and expert opinions."""

from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal

from ..funding import rule_maximum
from ..identifiers import patent_check_digit
from ..models import ProgrammeCategory

TECH = ("高精度数控机床主轴", "特高压变压器绕组", "锂电池三元正极材料", "无缝钢管在线热处理",
        "高纯氧化锌制备", "铅锌冶炼烟气余热回收", "油茶籽低温压榨", "黄花菜鲜品保鲜加工",
        "智能电能表计量芯片", "轨道车辆制动控制", "稀土永磁同步电机", "工业废水重金属去除",
        "光伏并网逆变器", "煤矿液压支架电液控制", "中药配方颗粒提取", "输电线路巡检机器人",
        "汽车线束连接器", "耐磨合金铸件", "PCB高频覆铜板", "农用植保无人机喷洒")
INDUSTRY_CHAINS = ("输变电装备", "有色金属新材料", "汽车零部件", "电子信息", "油茶精深加工",
                   "生物医药", "先进钢铁材料", "轨道交通装备")
GEOGRAPHICAL_INDICATIONS = ("祁东黄花菜", "南岳云雾茶", "衡东黄贡椒", "常宁茶油", "衡阳湘莲",
                            "萱洲脐橙", "耒阳油茶", "衡南湘黄鸡")
INSURERS = ("中国人民财产保险股份有限公司衡阳市分公司",
            "中国平安财产保险股份有限公司衡阳中心支公司",
            "中国太平洋财产保险股份有限公司衡阳中心支公司")
BANKS = ("中国银行衡阳分行", "中国建设银行衡阳市分行", "中国工商银行衡阳分行",
         "华融湘江银行衡阳分行", "衡阳农村商业银行")
CERTIFIERS = ("中知（北京）认证有限公司", "中规（北京）认证有限公司",
              "华智众创（北京）认证有限公司")
SOFT_TOPICS = ("衡阳市知识产权质押融资风险补偿机制", "衡阳市地理标志产业发展路径",
               "衡阳市高校专利转化现状与对策", "衡阳市知识产权纠纷多元化解机制",
               "衡阳市重点产业专利布局分析", "县域知识产权强县建设评价指标")
OTHER_TYPES = ("知识产权宣传培训", "专利信息公共服务", "知识产权人才培养",
               "中小企业知识产权托管")

TITLES = {
    "01": ["{short}知识产权保护体系建设", "{short}商业秘密保护体系建设",
           "{short}海外知识产权维权能力建设"],
    "02": ["{short}电商平台知识产权保护机制建设", "网络店铺商标侵权监测与处置系统建设"],
    "03": ["{county}专利侵权纠纷行政裁决规范化建设", "{county}行政裁决与调解衔接机制试点"],
    "04": ["专利执行保险保费补贴", "知识产权侵权责任保险保费补贴"],
    "05": ["{tech}发明专利转让", "{tech}专利许可实施"],
    "06": ["PCT国际专利申请资助（{n}件）", "{tech}海外专利布局（{n}件）"],
    "07": ["{tech}发明专利产业化", "{tech}关键技术专利实施"],
    "08": ["{tech}高价值专利组合培育", "{tech}核心专利培育"],
    "09": ["{tech}高价值专利培育", "{tech}专利组合培育与转化"],
    "10": ["专利权质押贷款贴息", "商标专用权质押融资贴息"],
    "11": ["知识产权密集型企业奖励"],
    "12": ["{gi}地理标志产品保护与品牌建设", "{gi}地理标志促进工程"],
    "13": ["{gi}地理标志专用标志推广使用", "{gi}地理标志运用保护"],
    "14": ["马德里商标国际注册资助（{n}件）"],
    "15": ["{chain}产业链专利导航与协同保护", "{chain}产业知识产权联盟建设"],
    "16": ["{county}知识产权强县建设试点"],
    "17": ["{n}项发明专利在衡转化实施", "{tech}专利在衡转化"],
    "18": ["专利代理服务能力提升", "知识产权运营服务平台建设", "知识产权托管服务中小企业"],
    "19": ["知识产权快速维权服务平台建设", "专利预审服务能力建设", "知识产权保护综合服务窗口建设"],
    "20": ["{chain}产业专利导航分析", "{chain}产业专利预警分析"],
    "21": ["GB/T 29490-2023 知识产权合规管理体系贯标认证"],
    "22": ["{topic}研究"],
    "23": ["{other}项目"],
}


def short_name(org_name: str) -> str:
    """衡阳恒泰精密机械有限公司 → 恒泰精密机械 (as a project title names it)."""
    name = org_name
    for end in ("股份有限公司", "有限公司", "（普通合伙）", "事务所"):
        name = name.removesuffix(end)
    for start in ("衡阳市", "衡阳县", "衡阳", "湖南", "衡南", "衡山", "衡东", "祁东", "耒阳市",
                  "常宁市", "南岳"):
        if name.startswith(start) and len(name) > len(start) + 2:
            return name[len(start):]
    return name


def patent_number(r, year: int) -> str:
    """A valid Chinese invention patent number (ZL2023 1 0123456.X form, check digit right)."""
    digits = f"{r.randint(year - 6, year - 1)}1{r.randint(0, 9999999):07d}"
    return f"ZL{digits}.{patent_check_digit(digits)}"


def trademark_number(r) -> str:
    """A Chinese trademark registration number as a certificate prints it (第12345678号)."""
    return f"第{r.randint(10000000, 69999999)}号"


def madrid_registrations(r, count: int) -> list[dict]:
    """`count` Madrid registrations, each with its designated countries (1 to 12)."""
    numbers = r.sample(range(1600000, 1800000), count)
    return [{"number": str(n), "countries": r.randint(1, 12)} for n in numbers]


def _in_year(r, year: int, submit_by: date, first: date) -> date:
    """A day from `first` to a few days before `submit_by`, within the year's window (which
    ends on 30 November)."""
    last = min(submit_by - timedelta(days=5), date(year, 11, 30))
    return first + timedelta(days=r.randint(0, max(0, (last - first).days)))


def title(r, code: str, org, county: str, count: int) -> str:
    """A project title for category `code` (`count`: the items a per-item title names)."""
    pattern = r.choice(TITLES[code])
    return pattern.format(short=short_name(org.name), county=county, tech=r.choice(TECH),
                          n=count, gi=r.choice(GEOGRAPHICAL_INDICATIONS),
                          chain=r.choice(INDUSTRY_CHAINS), topic=r.choice(SOFT_TOPICS),
                          other=r.choice(OTHER_TYPES))


def summary(r, project_title: str, org) -> str:
    goal = r.choice(("形成可复制推广的工作机制", "新增发明专利申请10件以上",
                     "带动新增产值3000万元以上",
                     "建成专业化服务团队", "培育一批高价值专利"))
    return (f"{org.name}实施“{project_title}”，已配备专职人员和配套资金，"
            f"计划于年内完成建设任务，{goal}。")


def _money(value) -> Decimal:
    return Decimal(value).quantize(Decimal("1"), rounding=ROUND_DOWN)


def form_values(r, category, org, project_title: str, count: int, year: int,
                submit_by: date) -> tuple[dict, Decimal]:
    """The category form's values (as the form posts them) and the amount asked for, within
    the category's rule: a capped request asks up to the cap, a percentage or per-item rule
    asks what its base (`count` items) gives, a fixed amount asks the fixed amount."""
    values = {"project_summary": summary(r, project_title, org)}
    cap = category.cap or Decimal(0)
    names = [f["name"] for f in category.form_fields]  # in order: each draws from `r`
    if "trademark_numbers" in names and "商标" in project_title:
        values["trademark_numbers"] = "\n".join(trademark_number(r)
                                                for _ in range(r.randint(1, 3)))
    elif "patent_numbers" in names:
        values["patent_numbers"] = "\n".join(patent_number(r, year)
                                             for _ in range(r.randint(1, 3)))
    pc = ProgrammeCategory(category=category)  # the category's own figures
    if category.funding_rule == "fixed":
        asked = category.fixed_amount
    elif category.funding_rule == "per_item":
        values["item_count"] = str(count)
        asked = min(category.unit_amount * count, cap)
    elif category.funding_rule == "per_country":
        registrations = madrid_registrations(r, count)
        values[category.rule_field] = "\n".join(f"{item['number']} {item['countries']}"
                                                 for item in registrations)
        asked = rule_maximum(pc, {category.rule_field: registrations})
    elif category.funding_rule == "components":
        interest = _money(r.randint(6, 30) * Decimal(5000))
        values.update(interest_paid=str(interest),
                      evaluation_fee=str(_money(r.randint(10, 60) * Decimal(500))),
                      insurance_fee=str(_money(r.randint(0, 40) * Decimal(500))))
        asked = rule_maximum(pc, values)
    elif category.funding_rule == "percentage":
        base = _money(r.randint(6, 30) * (cap / category.rate) / 20 / 1000) * 1000
        values[category.rule_field] = str(base)
        asked = min(_money(base * category.rate), cap)
    else:
        asked = _money(cap * Decimal(r.randint(25, 75)) / 100 / 1000) * 1000
    loan_start = _in_year(r, year, submit_by, date(year, 1, 5)) if "loan_start" in names \
        else None
    fillers = {
        "insurer": lambda: r.choice(INSURERS),
        "policy_number": lambda: f"PZHD{year}4304{r.randint(10000000, 99999999)}",
        "filing_numbers": lambda: "\n".join(f"PCT/CN{year - 1}/{r.randint(100000, 199999)}"
                                            for _ in range(int(values.get("item_count", 2)))),
        "loan_contract_number": lambda: f"{year}衡质贷字第{r.randint(1, 300):03d}号",
        "bank": lambda: r.choice(BANKS),
        "loan_amount": lambda: str(_money(Decimal(values.get("interest_paid", 100000)) * 20)),
        "loan_start": lambda: loan_start.isoformat(),
        "loan_end": lambda: (loan_start + timedelta(days=364)).isoformat(),
        "valid_invention_patents": lambda: str(r.randint(30, 160)),
        "certificate_number": lambda: (f"{str(year)[2:]}1{r.randint(10, 99)}"
                                       f"IP{r.randint(1000, 9999)}R0M"),
        "certification_body": lambda: r.choice(CERTIFIERS),
        "certified_on": lambda: _in_year(r, year, submit_by, date(year, 1, 10)).isoformat(),
        "project_type": lambda: r.choice(OTHER_TYPES),
    }
    for name in names:
        if name not in values and name in fillers:
            values[name] = fillers[name]()
    if "standard" in names:  # the standard in force on the certificate's date
        values["standard"] = ("GB/T 29490-2023" if values["certified_on"] >= "2024-01-01"
                              else "GB/T 29490-2013")
    return values, Decimal(asked)


RETURNS = {
    "county": ["申报书未加盖单位公章，请上传盖章扫描件后重新提交。",
               "申报书中的统一社会信用代码与营业执照不一致，请核对后重新提交。",
               "项目概述过于简略，请补充项目实施内容和预期目标。"],
    "city": ["申请金额与附件中的投入预算不一致，请按预算核减后重新提交。",
             "专利号与附件中的专利证书不一致，请核对专利号。",
             "请补充近两年知识产权工作情况说明。"],
    "acceptance": ["绩效自评表缺少主要指标完成情况，请补充后重新提交验收。",
                   "资金使用证明缺少银行流水，请补充。"],
}
REJECTIONS = {
    "county": ["经核实，该单位已于上年度获得同类项目资助，不符合申报条件。",
               "申报项目与本类别资助内容不符，不予推荐。"],
    "city": ["该项目已获其他市级财政资金支持，不得重复申报。",
             "经市局审核，项目实施方案可行性不足，不予支持。"],
}
ACCEPTANCE_FAILURES = ["项目未完成申报书约定的主要考核指标，验收不通过。",
                       "项目资金未按规定用途使用，验收不通过。"]
OBJECTIONS = [
    ("该单位申报所用的专利已于去年转让给外地企业，该单位不再是专利权人，不应以该专利获得资助。",
     "经核查国家知识产权局专利登记簿，相关专利的权利人变更已于公示前撤回，专利权仍属申报单位，"
     "异议不成立。"),
    ("该企业在项目实施期内因产品质量问题被行政处罚，不应列入资助名单。",
     "经核实，异议人反映的行政处罚属实，且发生在项目实施期内，异议成立，撤出资助名单。"),
    ("项目申报材料中的合同金额与实际履行金额明显不符，请核实。",
     "经调取合同履行凭证，合同金额与申报不一致，异议成立，退回重新审核。"),
    ("该项目所称的专利导航成果与另一单位已验收项目高度雷同，请核查是否重复申报。", ""),
    ("公示名单中该单位的项目尚未实际开展，请核实。", ""),
]
REVISION_NOTES = "已按审核意见补充材料并更正申报内容。"
EXPERT_OPINIONS = ["项目技术路线清晰，专利质量较高，产业化前景良好，建议立项。",
                   "项目创新性较强，实施方案基本可行，建议适当压缩预算后立项。",
                   "申报单位具备实施基础，预期效益明确，同意立项。",
                   "项目与本类别方向相符，但考核指标偏保守，建议立项并加强过程管理。"]
