"""``python manage.py load_demo``: build the demo county, stage by stage.

Each stage is a dotted path to a callable taking ``stdout``; other apps append their
own stage (for example review rounds) to :data:`DEMO_STAGES`. Every stage must be
idempotent: running the command twice changes nothing. All stages are imported before
any runs, so a listed stage that cannot be imported stops the command with an error
instead of being skipped.
"""
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import import_string

DEMO_STAGES = [
    "members.demo.build_people",
    # before the rounds: their declarations of this year name the items of the scheme in force
    "reviews.demo_scheme.build_scheme_in_force",
    "reviews.demo.build_rounds",
    "market.demo.build_household_round",
    "market.demo.build_market",
    "appraisals.demo.build_year_end",
]


class Command(BaseCommand):
    help = "创建演示数据（某县、城关镇、12个党支部、约150名党员、青石村60户及其积分超市、各角色账号）；可重复运行。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true",
            help="在 DEBUG 关闭（生产）时也创建演示数据和演示账号。",
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG 已关闭：演示数据含固定密码的账号，不应装入生产环境。确需装入请加 --force。"
            )
        stages = []
        for path in DEMO_STAGES:
            try:
                stages.append((path, import_string(path)))
            except ImportError as exc:
                raise CommandError(f"演示数据步骤“{path}”无法导入：{exc}") from exc
        for path, stage in stages:
            self.stdout.write(f"== {path}")
            with transaction.atomic():
                stage(self.stdout)
        self.stdout.write(self.style.SUCCESS("演示数据已就绪。"))
