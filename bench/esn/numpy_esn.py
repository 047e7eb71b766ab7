"""The same Echo State Network in NumPy/SciPy, as Python users run it: a SciPy CSR
matrix-vector product in a Python loop for the states, X^T X + ridge and a Cholesky-based
solve for the readout. Reads the matrices written by esn-bench.mjs so both sides run the
identical network, and prints one JSON line of timings (and a state checksum)."""
import json
import warnings
import sys
import time

import numpy as np
import scipy.linalg
import scipy.sparse


def main(folder: str) -> None:
    warnings.filterwarnings("ignore", category=scipy.linalg.LinAlgWarning)  # ill-conditioned by design (tiny ridge)
    meta = json.load(open(f"{folder}/meta.json"))
    n, steps, washout, ridge, leak = meta["units"], meta["steps"], meta["washout"], meta["ridge"], meta["leakRate"]
    row_start = np.fromfile(f"{folder}/row_start.bin", dtype=np.int32)
    col_index = np.fromfile(f"{folder}/col_index.bin", dtype=np.int32)
    values = np.fromfile(f"{folder}/values.bin", dtype=np.float64)
    w = scipy.sparse.csr_matrix((values, col_index, row_start), shape=(n, n))
    w_in = np.fromfile(f"{folder}/w_in.bin", dtype=np.float64).reshape(n, 1)
    bias = np.fromfile(f"{folder}/bias.bin", dtype=np.float64)
    u = np.fromfile(f"{folder}/inputs.bin", dtype=np.float64).reshape(steps, 1)
    y = np.fromfile(f"{folder}/targets.bin", dtype=np.float64).reshape(steps, 1)

    # Best of `repeats` runs on each side: the machine is shared and timings are noisy.
    repeats = meta["repeats"]
    harvest = float("inf")
    for _ in range(repeats):
        x = np.zeros(n)
        states = np.empty((steps, n))
        t0 = time.perf_counter()
        for t in range(steps):
            x = (1 - leak) * x + leak * np.tanh(w @ x + w_in @ u[t] + bias)
            states[t] = x
        harvest = min(harvest, time.perf_counter() - t0)

    fit_ms = None
    if meta["fit"]:
        for _ in range(repeats):
            t0 = time.perf_counter()
            X = np.hstack([np.ones((steps - washout, 1)), u[washout:], states[washout:]])
            Y = y[washout:]
            G = X.T @ X
            G[np.diag_indices_from(G)] += ridge
            G[0, 0] -= ridge  # the bias is not penalised, as in the TypeScript readout
            W_out = scipy.linalg.solve(G, X.T @ Y, assume_a="pos")
            ms = (time.perf_counter() - t0) * 1e3
            fit_ms = ms if fit_ms is None else min(fit_ms, ms)
            del W_out
    print(json.dumps({
        "numpy": np.__version__, "scipy": scipy.__version__,
        "harvest_us_per_step": harvest / steps * 1e6,
        "fit_ms": fit_ms,
        "state_checksum": float(np.abs(states[-1]).sum()),
    }))


if __name__ == "__main__":
    main(sys.argv[1])
