"""render_document: --list, --sample, --context."""
import io
import json

import pytest
from django.core.management import CommandError, call_command

from documents.kinds import KINDS

from .docx_helpers import load


def _call(*args):
    out = io.StringIO()
    call_command("render_document", *args, stdout=out)
    return out.getvalue()


def test_list_prints_one_kind_per_line_key_first():
    lines = _call("--list").splitlines()
    assert [line.split("\t")[0] for line in lines] == list(KINDS)
    assert lines[0] == "registration_card\t积分登记卡（党员个人积分登记）"
    assert all(len(line.split("\t")) == 2 and line.split("\t")[1] for line in lines)


def test_sample_renders_a_docx(tmp_path):
    out = tmp_path / "notice.docx"
    message = _call("publicity_notice", "--sample", "--out", str(out))
    assert str(out) in message
    doc = load(out.read_bytes())
    assert any("关于2025年第一季度党员积分情况的公示" == p.text for p in doc.paragraphs)


def test_context_file_renders_the_authors_data(tmp_path):
    ctx = dict(KINDS["result_notice"].sample, member_name="李四", grade="合格", score="75")
    src = tmp_path / "ctx.json"
    src.write_text(json.dumps(ctx, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "out.docx"
    _call("result_notice", "--context", str(src), "--out", str(out))
    text = "\n".join(p.text for p in load(out.read_bytes()).paragraphs)
    assert "李四同志：" in text and "评定等次为合格" in text


def test_errors_are_clear(tmp_path):
    with pytest.raises(CommandError, match="未知的公文类型“nope”"):
        _call("nope", "--sample", "--out", str(tmp_path / "x.docx"))
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"org_name": "X", "issue_date": "2025-01-01"}), encoding="utf-8")
    with pytest.raises(CommandError, match="缺少必填数据：doc_number"):
        _call("result_notice", "--context", str(bad), "--out", str(tmp_path / "x.docx"))
    with pytest.raises(CommandError, match="找不到数据文件"):
        _call("result_notice", "--context", str(tmp_path / "missing.json"), "--out", str(tmp_path / "x.docx"))
    with pytest.raises(CommandError, match="--sample"):
        _call("result_notice", "--out", str(tmp_path / "x.docx"))
