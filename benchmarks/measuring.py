"""Measuring helpers of bench_county: resident-memory rise, statements sent, timings, output lines."""
import os
import statistics
import threading
import time


class PeakRSS:
    """The rise of the process's resident set size while the block runs (sampled every 20 ms)."""

    def __enter__(self):
        self.page = os.sysconf("SC_PAGE_SIZE")
        self.start = self.peak = self._rss()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _rss(self):
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * self.page

    def _sample(self):
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, self._rss())

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._rss())

    @property
    def mib(self):
        return (self.peak - self.start) / 2**20


class Queries:
    """Counts the statements sent to the database while the block runs (survives request resets)."""

    def __enter__(self):
        from django.db import connection

        self.count = 0
        self._wrapper = connection.execute_wrapper(self)
        self._wrapper.__enter__()
        return self

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)

    def __exit__(self, *exc):
        self._wrapper.__exit__(*exc)

    def __len__(self):
        return self.count


def timed(fn):
    began = time.perf_counter()
    value = fn()
    return time.perf_counter() - began, value


def line(name, product, baseline, **extra):
    parts = [name, f"product={product:.4f}", f"baseline={baseline:.4f}", f"ratio={product / baseline:.2f}"]
    parts += [f"{key}={value}" for key, value in extra.items()]
    print(" ".join(parts), flush=True)


def p50(client, url, repeat):
    """The median seconds of ``repeat`` GETs of ``url`` by the test ``client`` (each must answer 200)."""
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - began)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times)
