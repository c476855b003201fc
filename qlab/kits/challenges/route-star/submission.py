"""Routing on the star: your team's submission.  /  팀 제출 파일.

Rewrite the target circuit (README.md; ``target_circuit()`` below reads it) for the iqm-spark star:
5 qubits, native gates ``r`` and ``cz`` only, every CZ between the centre QB3 (qubit 2) and another
qubit, no measurements. Logical qubit i starts on device qubit i; at the end the qubits may be in
any order. Score: the number of CZ gates (fewer is better). The unitary is checked.

목표 회로를 별 모양 칩에 맞게 다시 쓰세요: 5큐비트, 네이티브 게이트 ``r``, ``cz`` 만, 모든 CZ는
가운데 QB3(큐비트 2)와 다른 큐비트 사이, 측정 없음. 논리 큐비트 i는 장치 큐비트 i에서 시작하고,
끝날 때 순서는 바뀌어도 됩니다. 점수: CZ 게이트 수(적을수록 좋음). 유니터리가 같은지 확인합니다.

Check your score locally / 내 점수 확인:  python score_local.py
"""

from __future__ import annotations

from qiskit import QuantumCircuit, qasm2, transpile

import qlab
from qlab.kits import load_challenge

TEAM = "your-team-name"


def target_circuit() -> QuantumCircuit:
    """The circuit to rewrite (the challenge's data).  /  다시 써야 할 목표 회로."""
    return qasm2.loads(load_challenge("route-star").data["target_qasm"])


def circuit() -> QuantumCircuit:
    """Return your native rewrite of the target.  /  목표 회로를 네이티브 게이트로 다시 쓴 회로."""
    # A starting point that already scores: Qiskit's router on the device's backend, with logical
    # qubit i kept on device qubit i at the start. Beat it: count the SWAPs it needs and ask which
    # ones you can avoid, or fold into the CX gates around them.
    # 출발점: 장치 백엔드에서 Qiskit 라우터를 쓰되, 처음 배치는 논리 큐비트 i = 장치 큐비트 i.
    # 필요한 SWAP을 세어 보고, 어떤 SWAP을 없애거나 주변 CX와 합칠 수 있을지 생각해 보세요.
    backend = qlab.device("iqm-spark").qiskit_backend()
    return transpile(target_circuit(), backend=backend, initial_layout=[0, 1, 2, 3, 4],
                     seed_transpiler=1, optimization_level=1)
