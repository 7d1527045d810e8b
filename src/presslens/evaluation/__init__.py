"""End-to-end evaluation of the stages with the reference scorers in ``shared/eval``: each module turns an
evaluation set into inputs, runs the whole presslens pipeline (``record.pipeline``) on them, writes presslens
records and scores them as the published figures are scored. It sits above ``record``, beside ``web``; the
``presslens eval ...`` commands call it."""
