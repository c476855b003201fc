"""How long `import qlab` takes, against `import qiskit` alone (whole process, median of runs).

Run: .venv/bin/python benchmarks/import_time.py [--runs 9]
Each row starts a fresh Python process, so it measures what a student waits for when a kernel
runs the first cell. `qlab` stays light by loading Qiskit, Cirq and matplotlib only when used.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

CASES = {
    "python (nothing imported)": "pass",
    "import qlab": "import qlab",
    "import qlab; qlab.device('iqm-spark')": "import qlab; qlab.device('iqm-spark')",
    "import qiskit": "import qiskit",
    "import cirq": "import cirq",
}


def measure(code: str, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    measure("import qiskit, cirq, qlab", 1)  # warm the file cache once
    rows = [(name, statistics.median(measure(code, args.runs))) for name, code in CASES.items()]
    qiskit_time = dict(rows)["import qiskit"]
    print(f"{'whole process':45s} {'median s':>9s} {'vs qiskit':>10s}   ({args.runs} runs each)")
    for name, seconds in rows:
        print(f"{name:45s} {seconds:9.3f} {seconds / qiskit_time:10.2f}")


if __name__ == "__main__":
    main()
