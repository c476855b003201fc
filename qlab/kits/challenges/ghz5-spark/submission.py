"""GHZ-5 on the Spark-like star: your team's submission.  /  팀 제출 파일.

Rules (README.md): return a 5-qubit Qiskit circuit in the device's native gates only - ``r``
(PRX) and ``cz`` on coupled pairs (the centre QB3 = qubit 2 with each of the others). Circuit
qubit i is device qubit i. Final measurements are allowed (and ignored); nothing else is.
Score: the exact fidelity of your state with (|00000> + |11111>)/sqrt(2) under the device's noise.

규칙(README.md): 장치의 네이티브 게이트 ``r``(PRX)와 연결된 쌍 위의 ``cz``만 쓰는
5큐비트 Qiskit 회로를 돌려주세요. 회로의 큐비트 i가 장치의 큐비트 i입니다.

Check your score locally / 내 점수 확인:  python score_local.py
"""

from __future__ import annotations

from qiskit import QuantumCircuit

import qlab

TEAM = "your-team-name"


def circuit() -> QuantumCircuit:
    """Return your GHZ-5 circuit (native gates, 5 qubits).  /  GHZ-5 회로를 돌려주세요."""
    # A starting point that already scores: write the GHZ circuit with H and CX on a chain of
    # qubits, and let qlab translate it to r + cz and route it on the star. You can do better:
    # think about which qubit should be the source, and how many CZ gates you really need.
    # 출발점: H와 CX로 쓴 GHZ 회로를 qlab이 r + cz로 바꾸고 별 모양에 맞게 배치합니다.
    # 어느 큐비트에서 시작할지, CZ가 몇 개나 꼭 필요한지 생각해 보면 점수를 더 올릴 수 있습니다.
    logical = QuantumCircuit(5)
    logical.h(0)
    for q in range(4):
        logical.cx(q, q + 1)
    return qlab.transpile(logical, "iqm-spark", seed=1)
