"""The demo data set: the 2021 programme modelled on the source, organisations and users.

Loaded by `manage.py seed_demo`; every step is an update-or-create, so running it again
changes nothing.
"""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.management import call_command
from django.db import transaction

from accounts.models import Role, User

from .identifiers import uscc_check_character
from .models import Category, Organisation, Programme, ProgrammeCategory, ProgrammeStatus, Region

PROGRAMME = {
    "year": 2021,
    "title": "2021年度知识产权培育资助",
    "call_title": "关于申报2021年度知识产权培育资助的通知",
    "call_number": "衡市监办〔2021〕68号",
    "issuers": ["衡阳市市场监督管理局", "衡阳市财政局"],
    "call_date": date(2021, 7, 15),
    "applications_open": None,
    "applications_close": None,
    # Work done from 1 January counts although the call is dated July.
    "implementation_start": date(2021, 1, 1),
    "implementation_end": date(2021, 11, 30),
    "total_budget": Decimal("8000000.00"),
    "status": ProgrammeStatus.OPEN,
    "office_phone": "0734-8000000",
    "office_address": "衡阳市蒸湘区解放大道 1 号 衡阳市市场监督管理局知识产权科（示范地址）",
}

#: Per-category budget in yuan (sum 7,700,000 of the 8,000,000 total; the rest is reserve).
CATEGORY_BUDGETS = {
    "01": 600000, "02": 400000, "03": 300000, "04": 200000, "05": 400000, "06": 300000,
    "07": 600000, "08": 400000, "09": 400000, "10": 400000, "11": 300000, "12": 300000,
    "13": 300000, "14": 150000, "15": 300000, "16": 500000, "17": 200000, "18": 200000,
    "19": 500000, "20": 300000, "21": 300000, "22": 150000, "23": 300000,
}

#: (name, organisation type, region code, 9-character organisation code, credit-code prefix)
ORGANISATIONS = [
    ("衡阳示范精密机械有限公司", "enterprise", "430405", "MA4L1A2B3", "91"),
    ("衡东示范新材料股份有限公司", "enterprise", "430424", "MA4L2C4D5", "91"),
    ("衡阳示范理工学院", "university", "430407", "44000123X", "12"),
    ("衡阳示范知识产权代理事务所", "service_agency", "430408", "MA4L3E6F7", "91"),
    ("衡南县人民政府", "county_government", "430422", "006000123", "11"),
]


def credit_code(prefix: str, region_code: str, org_code: str) -> str:
    """A unified social credit code with a correct check character."""
    first17 = f"{prefix}{region_code}{org_code}"
    return first17 + uscc_check_character(first17)


def seed(password: str | None = None) -> dict:
    """Load reference data and the demo programme, organisations and users; return counts."""
    password = password or settings.DEMO_PASSWORD
    call_command("loaddata", "regions", "categories", verbosity=0)
    with transaction.atomic():
        programme, _ = Programme.objects.update_or_create(
            year=PROGRAMME["year"], title=PROGRAMME["title"], defaults=PROGRAMME)
        for category in Category.objects.all():
            ProgrammeCategory.objects.update_or_create(
                programme=programme, category=category,
                defaults={"budget": Decimal(CATEGORY_BUDGETS[category.code])})
        orgs = []
        for name, org_type, region_code, org_code, prefix in ORGANISATIONS:
            region = Region.objects.get(code=region_code)
            org, _ = Organisation.objects.update_or_create(
                uscc=credit_code(prefix, region_code, org_code),
                defaults={"name": name, "org_type": org_type, "region": region,
                          "contact_name": "张经办", "contact_phone": "0734-8000000"})
            orgs.append(org)
        users = [
            ("applicant1", Role.APPLICANT, {"organisation": orgs[0]}),
            ("applicant2", Role.APPLICANT, {"organisation": orgs[1]}),
            ("city", Role.CITY, {}),
            ("chief", Role.CHIEF, {}),
            ("leader", Role.LEADER, {}),
            ("finance", Role.FINANCE, {}),
            # three experts: the expert-review categories ask for three experts' scores
            ("expert", Role.EXPERT, {}),
            ("expert2", Role.EXPERT, {}),
            ("expert3", Role.EXPERT, {}),
            ("admin", Role.ADMIN, {"is_staff": True, "is_superuser": True}),
        ]
        users += [(f"county-{r.code}", Role.COUNTY, {"region": r}) for r in Region.objects.all()]
        for username, role, extra in users:
            user, _ = User.objects.update_or_create(
                username=username,
                defaults={"role": role, "email": f"{username}@example.com", **extra})
            user.set_password(password)
            user.save(update_fields=["password"])
    return {"regions": Region.objects.count(), "categories": Category.objects.count(),
            "organisations": len(orgs), "users": len(users)}
