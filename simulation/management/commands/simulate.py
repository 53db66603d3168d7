"""``manage.py simulate SCENARIO.json [--workflow]``: try a scheme on a roster and a year of events.

The contract is ../shared/SCENARIOS.md. The command reads the scenario and prints the result
JSON on stdout. By default it runs the pure scoring engine and reads or writes no database
row, reading the file as a stream (``scoring_engine.simulate_file``: events folded as they are
read, so memory follows the roster rather than the number of events), so a scheme designer can try a scheme, and an auditor recompute a published result,
without touching the running system. With ``--workflow`` the same scenario goes through the
real review chain and year-end evaluation (``simulation.workflow``) inside a transaction that
is rolled back at the end, and the result is read back from the stored results: the proof
that the chain and the engine agree. Bad input, or a step the chain refuses, exits non-zero
with a message on stderr naming the offending field or event.
"""
import io
import json
import shutil
import sys
import tempfile
from contextlib import contextmanager
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError

import scoring_engine
from simulation.workflow import WalkRefused, simulate_workflow


class Command(BaseCommand):
    help = ("试算积分方案：读取场景 JSON，在标准输出打印结果 JSON。默认只用计分引擎、不写数据库；"
            "--workflow 则走完真实的审核流程和年终评定（事务结束时全部回滚）。")
    requires_system_checks = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("scenario", help="场景文件路径（JSON），“-” 表示标准输入")
        parser.add_argument("--compact", action="store_true", help="输出单行 JSON")
        parser.add_argument("--workflow", action="store_true",
                            help="经真实审核流程（申报、支部会议、上级备案、公示、台账、年终评定）计算，结束时回滚")

    def handle(self, *args, scenario, compact=False, workflow=False, **options):
        result = self._workflow(scenario) if workflow else self._engine(scenario)
        # json.dumps's text, written a piece at a time rather than built whole (a county's result is megabytes).
        encoder = json.JSONEncoder(ensure_ascii=False, indent=None if compact else 2)
        pieces, size = [], 0
        for piece in encoder.iterencode(result):
            pieces.append(piece)
            size += len(piece)
            if size >= 1 << 16:
                self.stdout.write("".join(pieces), ending="")
                pieces, size = [], 0
        self.stdout.write("".join(pieces))

    def _engine(self, scenario):
        """The engine alone, the file read as a stream: memory follows the roster, not the events."""
        try:
            with _opened(scenario) as handle:
                return scoring_engine.simulate_file(handle)
        except OSError as error:
            raise CommandError(f"无法读取场景文件 {scenario}: {error.strerror}") from None
        except UnicodeDecodeError as error:
            raise CommandError(f"场景文件不是 UTF-8 文本 ({error.reason})") from None
        except json.JSONDecodeError as error:
            raise CommandError(f"场景文件不是合法的 JSON：第 {error.lineno} 行第 {error.colno} 列：{error.msg}") from None
        except scoring_engine.SchemeError as error:
            raise CommandError(f"场景无效：{error}") from None

    def _workflow(self, scenario):
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
            return simulate_workflow(data)
        except scoring_engine.SchemeError as error:
            raise CommandError(f"场景无效：{error}") from None
        except WalkRefused as refused:
            raise CommandError(f"审核流程拒绝：{refused}") from None


@contextmanager
def _opened(scenario):
    """The scenario file as text; standard input is first copied to a temporary file, so the
    reader may go over it twice (events written before the roster) without holding it."""
    if scenario != "-":
        with open(scenario, encoding="utf-8") as handle:
            yield handle
        return
    source = getattr(sys.stdin, "buffer", None)
    with tempfile.TemporaryFile() as spool:
        if source is not None:
            shutil.copyfileobj(source, spool)
        else:   # a text stream put in place of stdin (tests, embedding)
            for chunk in iter(lambda: sys.stdin.read(1 << 20), ""):
                spool.write(chunk.encode("utf-8"))
        spool.seek(0)
        with io.TextIOWrapper(spool, encoding="utf-8") as handle:
            yield handle
