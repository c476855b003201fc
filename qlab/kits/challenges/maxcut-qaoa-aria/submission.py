"""MaxCut by QAOA on the IonQ Aria-like device: your team's submission.  /  팀 제출 파일.

Return the QAOA angles: ``{"gammas": [...], "betas": [...]}``, one gamma and one beta per layer
(1 to 10 layers). The scorer builds the circuit itself (H on all; per layer exp(-i gamma C), that is
rzz(-gamma) on every edge, and exp(-i beta sum X), that is rx(2*beta) on every qubit), compiles it for ionq-aria (at most 18 MS gates: one per edge
per layer, so at most 2 layers) and emulates it with the device's noise. Score: approximation ratio.

QAOA 각도를 돌려주세요: 층마다 gamma 하나, beta 하나. 회로는 채점기가 직접 만들고, ionq-aria용으로
컴파일한 뒤(MS 게이트 18개까지) 장치 잡음을 넣어 실행합니다. 점수: 근사비.

You may optimise inside angles() (the time limit is 120 s), or paste angles found in the notebook.
angles() 안에서 최적화해도 되고(제한 120초), 노트북에서 찾은 각도를 붙여 넣어도 됩니다.

Check your score locally / 내 점수 확인:  python score_local.py
"""

from __future__ import annotations

TEAM = "your-team-name"


def angles() -> dict:
    """Return {"gammas": [...], "betas": [...]}.  /  각도를 돌려주세요."""
    # A starting point: one layer, rough angles (about 0.82 without noise). Tune them, or add a
    # second layer. / 출발점: 1층, 대략적인 각도(잡음 없이 약 0.82). 각도를 조정하거나 2층으로 늘려 보세요.
    return {"gammas": [0.4], "betas": [0.3]}
