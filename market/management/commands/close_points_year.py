"""``python manage.py close_points_year VILLAGE_CODE CYCLE_START --by USERNAME``: a village's year end.

Resets or carries over the points left in the village's cycle starting ``CYCLE_START``
(``YYYY-MM-DD``), as its scheme's ``[redemption] year_end`` says, by writing reset entries
to the village's ledger chain (``market.services.year_end.close_cycle``). ``--by`` names the
user it is done as (the village's secretary); the permission and every check of the service
apply. Exits with an error naming the reason when the service refuses.
"""
import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from organisations.models import Organisation
from workflow.forms import error_messages

from ...services.year_end import close_cycle


class Command(BaseCommand):
    help = "按积分方案办理行政村年度积分清零或结转（写入台账的清零/结转记录）。"

    def add_arguments(self, parser):
        parser.add_argument("village", help="行政村编码（Organisation.code）")
        parser.add_argument("cycle_start", help="周期起始日 YYYY-MM-DD")
        parser.add_argument("--by", required=True, help="办理人用户名（村党组织书记）")

    def handle(self, village, cycle_start, by, **options):
        organisation = Organisation.objects.filter(code=village).first()
        if organisation is None:
            raise CommandError(f"没有编码为“{village}”的组织。")
        user = get_user_model().objects.filter(username=by).first()
        if user is None:
            raise CommandError(f"没有用户“{by}”。")
        try:
            start = datetime.date.fromisoformat(cycle_start)
        except ValueError:
            raise CommandError(f"周期起始日“{cycle_start}”应为 YYYY-MM-DD。") from None
        try:
            close = close_cycle(organisation, by=user, cycle_start=start)
        except (ValidationError, PermissionDenied) as exc:
            raise CommandError("；".join(error_messages(exc))) from None
        self.stdout.write(f"{close}：{close.households} 户，合计 {close.points} 分，已写入台账。")
