"""The standard member categories (党员类别) that schemes refer to by code."""

STANDARD_CATEGORIES = [
    ("in_service", "在职", "在职党员（机关、事业单位、企业、学校在岗）"),
    ("rural", "农村", "农村党员"),
    ("mobile", "流动", "流动党员（外出务工经商等）"),
    ("retired", "离退休", "离退休党员"),
    ("village_cadre", "村干部", "村（社区）“两委”干部党员"),
    ("no_post", "无职", "农村无职党员"),
]


def ensure_standard_categories(MemberCategory):
    """Create the standard categories that do not exist yet; never changes existing ones."""
    created = 0
    for code, name, description in STANDARD_CATEGORIES:
        if MemberCategory.objects.filter(code=code).exists() or MemberCategory.objects.filter(name=name).exists():
            continue
        MemberCategory.objects.create(code=code, name=name, description=description)
        created += 1
    return created
