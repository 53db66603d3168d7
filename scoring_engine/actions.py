"""Actions (处理措施) a member's result calls for: commendation, talks, rectification, disposal."""
from dataclasses import dataclass

from .conditions import Condition, parse_condition
from .errors import SchemeError, join
from .reader import Reader

ACTIONS = (
    "commend",           # 表彰 / 推荐
    "talk",              # 谈心谈话 / 警示提醒 / 约谈
    "admonish",          # 诫勉谈话
    "rectify",           # 限期改正 / 整改
    "dispose",           # 不合格党员处置 (needs the higher committee's approval)
    "extend_probation",  # 延长预备期
    "cancel_probation",  # 取消预备党员资格
)


@dataclass(frozen=True, slots=True)
class ActionRule:
    when: Condition
    actions: tuple



def parse_action(raw, path, names, labels):
    obj = Reader(raw, path)
    when = parse_condition(obj.raw("when", {}), obj.where("when"), names, labels)
    actions = obj.strings("do")
    for i, action in enumerate(actions):
        if action not in ACTIONS:
            raise SchemeError(join(obj.where("do"), i),
                              f"未知处理措施 {action!r}，可选：{', '.join(ACTIONS)} (unknown action)")
    obj.raw("reason", None)
    obj.done()
    return ActionRule(when, actions)

