"""``manage.py simulate SCENARIO.json``: dry-run a scheme on a roster and a year of events.

The contract is ../shared/SCENARIOS.md. The command reads the scenario, runs the pure
scoring engine and prints the result JSON on stdout; it reads and writes no database
rows, so a scheme designer can try a scheme, and an auditor recompute a published
result, without touching the running system. Bad input exits non-zero with a message
on stderr naming the offending field.
"""
import json
import sys
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError

import scoring_engine


class Command(BaseCommand):
    help = "试算积分方案（不写数据库）：读取场景 JSON，在标准输出打印结果 JSON。"
    requires_system_checks = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("scenario", help="场景文件路径（JSON），“-” 表示标准输入")
        parser.add_argument("--compact", action="store_true", help="输出单行 JSON")

    def handle(self, *args, scenario, compact=False, **options):
        try:
            if scenario == "-":
                text = sys.stdin.read()
            else:
                with open(scenario, encoding="utf-8") as handle:
                    text = handle.read()
        except OSError as error:
            raise CommandError(f"无法读取场景文件 {scenario}: {error.strerror}") from None
        try:
            # Decimal, never float: 0.1 must stay 0.1 all the way to the published total.
            data = json.loads(text, parse_float=Decimal)
        except json.JSONDecodeError as error:
            raise CommandError(f"场景文件不是合法的 JSON：第 {error.lineno} 行第 {error.colno} 列：{error.msg}") from None
        try:
            result = scoring_engine.simulate(data)
        except scoring_engine.SchemeError as error:
            raise CommandError(f"场景无效：{error}") from None
        indent = None if compact else 2
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=indent))
