"""The demo's people: staff of the city bureau, the finance bureau and each county office,
experts, and one applicant account per organisation, all with Chinese names."""

from accounts.models import Role, User

from ..models import Region

#: username → (role, name as the pages show it, phone). The usernames are the README's.
STAFF = {
    "city": (Role.CITY, "刘晓燕", "0734-8251206"),
    "chief": (Role.CHIEF, "张建国（科长）", "0734-8251201"),
    "leader": (Role.LEADER, "陈志明（副局长）", "0734-8251101"),
    "finance": (Role.FINANCE, "赵丽娟（市财政局）", "0734-8223415"),
    "admin": (Role.ADMIN, "周强（系统管理员）", "0734-8251299"),
}

#: The experts of the scoring panel, with where they work.
EXPERTS = {
    "expert": "罗文清（南华大学 教授）",
    "expert2": "谭海燕（湖南工学院 教授）",
    "expert3": "彭卫东（衡阳市知识产权协会 高级工程师）",
    "expert4": "曾国华（衡阳师范学院 副教授）",
    "expert5": "贺美玲（专利代理师）",
}

#: The reviewer of each county office (username county-<code>), as 衡南县 李敏.
COUNTY_REVIEWERS = {
    "430405": "王海涛", "430406": "李红梅", "430407": "周俊杰", "430408": "刘丽华",
    "430412": "谭志强", "430421": "罗建军", "430422": "李敏", "430423": "彭秀英",
    "430424": "肖卫国", "430426": "邓桂芳", "430481": "曹明辉", "430482": "欧阳晓东",
    "GXQ": "唐文斌",
}


def staff_users(password_hash: str) -> dict[str, User]:
    """Create or update every staff account (password `password_hash`); {username: user}."""
    regions = {r.code: r for r in Region.objects.all()}
    wanted = [(username, role, name, phone, {}) for username, (role, name, phone)
              in STAFF.items()]
    wanted += [(username, Role.EXPERT, name, "", {}) for username, name in EXPERTS.items()]
    wanted += [(f"county-{code}", Role.COUNTY, f"{regions[code].name} {name}",
                f"0734-{6200000 + index * 1013}", {"region": regions[code]})
               for index, (code, name) in enumerate(COUNTY_REVIEWERS.items())]
    users = {}
    for username, role, name, phone, extra in wanted:
        admin = {"is_staff": True, "is_superuser": True} if role == Role.ADMIN else {}
        users[username], _created = User.objects.update_or_create(
            username=username,
            defaults={"role": role, "first_name": name, "last_name": "", "phone": phone,
                      "email": f"{username}@example.com", "password": password_hash,
                      **admin, **extra})
    return users


def applicant_users(organisations, password_hash: str) -> dict[int, User]:
    """One account per organisation, its contact person (applicant1, applicant2, … in the
    organisations' order); {organisation id: user}."""
    users = {}
    for index, org in enumerate(organisations, 1):
        username = f"applicant{index}"
        users[org.pk], _created = User.objects.update_or_create(
            username=username,
            defaults={"role": Role.APPLICANT, "organisation": org, "first_name": org.contact_name,
                      "last_name": "", "phone": org.contact_phone,
                      "email": f"{username}@example.com", "password": password_hash})
    return users
