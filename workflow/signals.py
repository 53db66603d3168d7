"""``task_offered``: a new human task of a ``RoleView`` exists (sent after its commit).

Sender: the flow class. Keyword arguments: ``task`` (the viewflow Task, status NEW) and
``process``. ``task.flow_task.predicate.holders(process.coerced)`` names the users holding the
role the task is offered to (``workflow.permissions``). Receivers must not raise: the signal is
sent from ``transaction.on_commit(..., robust=True)``.
"""
from django.dispatch import Signal

task_offered = Signal()

#: ``task_urged``: someone urged (催办) an open task (sent after its commit). Sender: the flow
#: class. Keyword arguments: ``task``, ``process``, ``by`` (the user who urged), ``reason``.
#: Receivers must not raise (``transaction.on_commit(..., robust=True)``).
task_urged = Signal()
