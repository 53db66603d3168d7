"""Every transition of the review chain, callable from views, Celery tasks and the shell.

One module per stage (import the stage, ``from reviews.services import meeting``):

* ``rounds`` — open a review round, collect declarations into it;
* ``declarations`` — declare (申报), add evidence, withdraw, who may see a declaration;
* ``meeting`` — the branch meeting (支部会议审核): record it, decide each declaration, report upward;
* ``meeting_correction`` — correct a meeting recorded wrongly before the round is filed (更正会议记录);
* ``filing`` — the higher committee files or returns the round (上级审查备案);
* ``publicity`` — results publicity and the republication of corrections (公示, automatic nodes);
* ``posting`` — the round's points into the ledger (记入台账, automatic node);
* ``objections`` — lodge, answer, file the explanation, supervise an overdue answer (异议);
* ``points`` — parsing typed points, the points that count and their sign;
* ``common`` — the workflow locks, the round's status change, the audited field lists.

Each public function here:

* checks the organisation-tree permission (``organisations.permissions``) for the user it
  is given, so a code path without HTTP cannot bypass it (``PermissionDenied``);
* validates its input and raises ``ValidationError({field: ValidationError(msg, code=...)})``
  with a Chinese message that names the problem and a code from ``reviews.errors``;
* runs atomically under the round's workflow lock (``select_for_update`` on the process
  row): a step that fails leaves the workflow where it was, and two people completing the
  same step at once get exactly one success and one clear ``StepConflict``;
* writes an ``AuditEntry`` (``reviews.audit.AuditAction``, who, when, before/after) and
  requests the step's document, its context built by the kind's ``build_context``
  (``documents.kinds``) from the records it reports on.

The ``flow_*`` functions are the bodies of the automatic workflow nodes in
``reviews.flows``; they run inside the flow lock that viewflow already holds.
"""
