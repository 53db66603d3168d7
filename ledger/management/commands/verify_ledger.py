"""python manage.py verify_ledger [--organisation CODE] [--skip-files]

Recomputes every hash of every organisation's ledger chain and reports, per organisation,
the first entry whose content or order was tampered with. Then does the same for every
organisation's document chain (``documents.chain``: each issued document's SHA-256), also
re-reading each stored file unless ``--skip-files``. Exit status 0 and a summary when
every chain is intact; a CommandError (exit status 1) naming organisation, seq, id and
what mismatched otherwise.
"""
from django.core.management.base import BaseCommand, CommandError

from documents import chain as document_chain
from ledger.verify import organisations_with_ledgers, verify_all
from organisations.models import Organisation


class Command(BaseCommand):
    help = "校验积分台账的哈希链，报告第一条被篡改（内容或顺序）的记录；发现篡改时以非零状态退出。"

    def add_arguments(self, parser):
        parser.add_argument("--organisation", metavar="CODE", help="只校验该编码的组织的台账")
        parser.add_argument("--skip-files", action="store_true", help="公文哈希链只核对记录，不重新读取文件")

    def handle(self, *args, organisation=None, skip_files=False, **options):
        if organisation:
            try:
                organisations = [Organisation.objects.get(code=organisation)]
            except Organisation.DoesNotExist:
                raise CommandError(f"没有编码为“{organisation}”的组织。") from None
            with_documents = organisations
        else:
            organisations = organisations_with_ledgers()
            with_documents = document_chain.organisations_with_documents()
        documents = document_chain.verify_all(with_documents, read_files=not skip_files)
        for report in documents:
            org = report.organisation
            if report.ok:
                self.stdout.write(
                    f"正常  {org.code}（{org.name}）公文哈希链：{report.entries} 份，链头 seq={report.head_seq} {report.head_hash}"
                )
            else:
                self.stderr.write(f"篡改  {report.problem}")
        bad_documents = [report for report in documents if not report.ok]

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
        if bad_documents:
            raise CommandError(
                f"公文哈希链校验失败：{len(bad_documents)} 个组织的公文记录或文件被篡改。首个问题：{bad_documents[0].problem}"
            )
        issued = sum(report.entries for report in documents)
        self.stdout.write(self.style.SUCCESS(
            f"台账校验通过：{len(reports)} 个组织，{entries} 条记录；公文哈希链 {len(documents)} 个组织，{issued} 份公文。"))
