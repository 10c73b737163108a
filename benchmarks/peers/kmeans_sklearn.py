# kmeans_sklearn.py - the scikit-learn side of `colortrack-bench kmeans`.
#
# SPDX-License-Identifier: MIT
# Part of the ColorTrack workbench benchmarks. Not part of the product: it exists only
# so that the k-means benchmark can time scikit-learn's KMeans side by side with ours, in the same
# invocation, on the same samples, with the same k, restarts, seed and thread count.
#
# Reads raw little-endian float32 (a, b) pairs (N rows, interleaved), fits
# sklearn.cluster.KMeans(n_clusters=K, n_init=RESTARTS, random_state=SEED) after WARMUP untimed fits,
# times each of REPEATS fits with time.perf_counter (wall) and time.process_time (CPU of all threads),
# and prints one JSON object on stdout. Thread counts are set by the caller through OMP_NUM_THREADS /
# OPENBLAS_NUM_THREADS; --threads only asserts them (threadpoolctl limits, when it is installed).
#
# usage: python3 kmeans_sklearn.py SAMPLES.f32 [--k 16] [--restarts 10] [--seed 0] [--repeats 5]
#                                  [--warmup 1] [--threads T]
import argparse
import json
import statistics
import sys
import time


def main():
    p = argparse.ArgumentParser(description="scikit-learn KMeans timing for colortrack-bench kmeans")
    p.add_argument("samples")
    p.add_argument("--k", type=int, default=16)
    p.add_argument("--restarts", type=int, default=10)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--warmup", type=int, default=1)
    p.add_argument("--threads", type=int, default=None)
    a = p.parse_args()

    try:
        import numpy as np
        import sklearn
        from sklearn.cluster import KMeans
    except ImportError as e:
        print(json.dumps({"error": f"cannot import scikit-learn: {e}"}))
        return 3

    limits = None
    try:
        from threadpoolctl import threadpool_limits, threadpool_info
        if a.threads is not None:
            limits = threadpool_limits(limits=a.threads)
    except ImportError:
        threadpool_info = None

    ab = np.fromfile(a.samples, dtype="<f4")
    if ab.size == 0 or ab.size % 2:
        print(json.dumps({"error": f"{a.samples}: {ab.size} floats is not a whole number of (a, b) pairs"}))
        return 2
    x = ab.reshape(-1, 2)

    def fit():
        return KMeans(n_clusters=a.k, n_init=a.restarts, random_state=a.seed).fit(x)

    for _ in range(a.warmup):
        fit()
    seconds, cpu, inertias, iterations = [], [], [], []
    for _ in range(a.repeats):
        c0, t0 = time.process_time(), time.perf_counter()
        km = fit()
        seconds.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
        inertias.append(float(km.inertia_))
        iterations.append(int(km.n_iter_))

    threads = {}
    if threadpool_info is not None:
        for pool in threadpool_info():
            threads[f"{pool['user_api']}:{pool['internal_api']}"] = pool["num_threads"]
    try:
        from sklearn.utils._openmp_helpers import _openmp_effective_n_threads
        threads["sklearn_openmp_effective"] = _openmp_effective_n_threads()
    except ImportError:
        pass

    print(json.dumps({
        "median_seconds": statistics.median(seconds),
        "seconds": seconds,
        "median_cpu_seconds": statistics.median(cpu),
        "cpu_seconds": cpu,
        "inertia": statistics.median(inertias),
        "inertias": inertias,
        "n_iter": iterations,
        "n_samples": int(x.shape[0]),
        "dtype": str(x.dtype),
        "sklearn_version": sklearn.__version__,
        "numpy_version": np.__version__,
        "python": sys.version.split()[0],
        "threads": threads,
    }))
    if limits is not None:
        limits.unregister()
    return 0


if __name__ == "__main__":
    sys.exit(main())
