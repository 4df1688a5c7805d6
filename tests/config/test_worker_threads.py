"""Each Celery worker process runs numpy/scikit-learn with one BLAS thread."""

from threadpoolctl import threadpool_info, threadpool_limits

from config.celery_app import _one_blas_thread_per_worker_process


def test_a_worker_process_starts_with_one_blas_thread():
    import numpy  # noqa: F401  (loads the BLAS the limit applies to)

    with threadpool_limits(limits=None):  # Restore whatever was set when the test ends.
        _one_blas_thread_per_worker_process()
        pools = [pool for pool in threadpool_info() if pool["user_api"] == "blas"]
        assert pools, "numpy has no BLAS loaded"
        assert {pool["num_threads"] for pool in pools} == {1}
