"""The ledger import, run by the task runner and never in a request.

`importing.start_import` stores an uploaded file as a queued `ImportBatch` and enqueues `import_ledger_file`
once the batch is committed; the runner reads, checks and writes it (`importing.run_import`) while the batch's
page shows the progress.
"""

from __future__ import annotations

from django_tasks import task

from lvchuang.ledgers.importing import run_import
from lvchuang.ledgers.models import ImportBatch


@task()
def import_ledger_file(batch_id: int) -> str:
    """Import one stored file; returns the batch's final status."""
    batch = ImportBatch.objects.select_related("uploaded_by").get(pk=batch_id)
    return str(run_import(batch).status)
