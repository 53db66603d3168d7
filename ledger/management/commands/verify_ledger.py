"""python manage.py verify_ledger [--organisation CODE]

Recomputes every hash of every organisation's ledger chain and reports, per organisation,
the first entry whose content or order was tampered with. Exit status 0 and a summary
when every chain is intact; a CommandError (exit status 1) naming organisation, seq, id
and what mismatched otherwise.
"""
from django.core.management.base import BaseCommand, CommandError

from ledger.verify import organisations_with_ledgers, verify_all
from organisations.models import Organisation


class Command(BaseCommand):
    help = "校验积分台账的哈希链，报告第一条被篡改（内容或顺序）的记录；发现篡改时以非零状态退出。"

    def add_arguments(self, parser):
        parser.add_argument("--organisation", metavar="CODE", help="只校验该编码的组织的台账")

    def handle(self, *args, organisation=None, **options):
        if organisation:
            try:
                organisations = [Organisation.objects.get(code=organisation)]
            except Organisation.DoesNotExist:
                raise CommandError(f"没有编码为“{organisation}”的组织。") from None
        else:
            organisations = organisations_with_ledgers()

        reports = verify_all(organisations)
        bad = [report for report in reports if not report.ok]
        for report in reports:
            org = report.organisation
            if report.ok:
                self.stdout.write(
                    f"正常  {org.code}（{org.name}）：{report.entries} 条，链头 seq={report.head_seq} {report.head_hash}"
                )
            else:
                self.stderr.write(f"篡改  {report.tamper}")
        entries = sum(report.entries for report in reports if report.ok)
        if bad:
            raise CommandError(
                f"台账校验失败：{len(bad)} 个组织的台账被篡改。首个问题：{bad[0].tamper}"
            )
        self.stdout.write(self.style.SUCCESS(f"台账校验通过：{len(reports)} 个组织，{entries} 条记录。"))
