import os

from celery import Celery
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("koe")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_init.connect
def _one_blas_thread_per_worker_process(**_kwargs):
    """Each worker process is one unit of concurrency already: BLAS threads on
    top (scikit-learn's fits, the vector means) oversubscribe the cores and
    burn CPU spinning. On the 2-core bench machine the topic bench's folds
    ran several times faster with one BLAS thread."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1)
