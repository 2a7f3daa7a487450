"""What each declared step of the assets models does besides moving its status.

The models declare the steps (``Asset``, ``DisposalRequest``, ``StockTake``, ``IssueRequest``,
``DamageRecord``); ``logistics.workflow.guard.run`` locks the row, checks permission and status, calls
the function here with the locked record, the acting user and the validated input, moves the status,
saves and writes the timeline event. Each function returns a ``StepResult`` with the timeline text.
One module per area: ``ledger`` (asset cards), ``disposals``, ``stocktake``, ``stock`` (issue
requests), ``damages``.
"""
