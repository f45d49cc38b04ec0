"""Run jobs at the same moment on separate database connections (the
"two workers at once" tests; PostgreSQL, transactional tests)."""

import threading


def at_once(*jobs):
    """Start each job in its own thread, released together by a barrier.
    Returns, in order, what each job returned or the exception it raised."""
    barrier = threading.Barrier(len(jobs))
    outcomes = [None] * len(jobs)

    def run(index, job):
        from django.db import connections

        try:
            barrier.wait()
            outcomes[index] = job()
        except Exception as error:  # noqa: BLE001 - handed back to the test
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def failures(outcomes):
    return [o for o in outcomes if isinstance(o, Exception)]
