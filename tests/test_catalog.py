"""The device catalog: names, figures with sources, and devices an instructor adds from a file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import qlab
from qlab.errors import DeviceFileError, UnknownDeviceError
from qlab.hardware.spec import load_spec

CHIP = {
    "name": "lab-chip",
    "title": "Our lab's 3-qubit line",
    "num_qubits": 3,
    "coupling": [[0, 1], [1, 2]],
    "native_gates": ["r", "cz"],
    "figures": {
        "t1": {"value": [50e-6, 60e-6, 55e-6], "source": "M"},
        "error_2q": {"value": {"0-1": 0.01, "1-2": 0.02}, "source": "M"},
        "readout_error": {"value": 0.03, "source": "M", "stand_in": True},
    },
    "sources": {"M": "measured in our lab, 2026-11"},
}


def test_the_catalog_lists_the_shipped_devices_with_their_shapes() -> None:
    assert qlab.devices() == ["ideal", "ionq-aria", "ionq-forte", "iqm-spark"]
    spark, aria, forte = (qlab.device(n) for n in ("iqm-spark", "ionq-aria", "ionq-forte"))
    assert spark.coupled_pairs == ((0, 2), (1, 2), (2, 3), (2, 4))  # a star around QB3
    assert spark.native_gates == ("r", "cz")
    assert (aria.num_qubits, len(aria.coupled_pairs)) == (25, 25 * 24 // 2)
    assert aria.native_gates == ("gpi", "gpi2", "ms") and forte.native_gates == ("gpi", "gpi2", "zz")
    assert qlab.device("ideal").noiseless
    assert qlab.device("iqm-spark") is qlab.device("IQM-Spark ")  # one object: backends built once


def test_every_figure_cites_a_source_and_forte_says_which_are_stand_ins() -> None:
    for name in qlab.devices():
        for key, fig in qlab.device(name).figures.items():
            assert fig["source"], f"{name}.{key} has no source"
    forte = qlab.device("ionq-forte").figures
    assert {k for k, f in forte.items() if f["stand_in"]} == {
        "duration_1q", "duration_2q", "t1", "t2", "readout_error", "dt",
    }
    assert "Aria" in forte["readout_error"]["note"]


def test_published_figures_convert_as_their_sources_read_them() -> None:
    """IQM publishes depolarizing lambdas (r = 3 lambda / 4, lambda / 2); IonQ's fidelities are
    process fidelities, as IonQ's own noise models read them (arXiv:2308.05071): lambda = 16e/15
    for two qubits (forte-1: 4.64e-3 * 16/15 = 0.004949), 4e/3 for one, r = e d / (d + 1)."""
    spark = qlab.device("iqm-spark").spec
    assert spark.error_2q()[(0, 2)] == pytest.approx(0.75 * 0.0335)  # r = 3 lambda / 4
    assert spark.error_1q()[1] == pytest.approx(0.0054 / 2)  # r = lambda / 2
    forte = qlab.device("ionq-forte").spec
    assert forte.figures["error_2q"].reads_as == "process"
    assert forte.depolarizing_2q()[(0, 35)] == pytest.approx(0.004949, abs=1e-6)
    assert forte.error_2q()[(0, 35)] == pytest.approx(4.64e-3 * 4 / 5)
    aria = qlab.device("ionq-aria").spec
    assert aria.depolarizing_2q()[(0, 24)] == pytest.approx(16 * 0.004 / 15)
    assert aria.depolarizing_1q()[0] == pytest.approx(4 * 0.0005 / 3)


def test_a_device_file_says_how_an_error_figure_reads(tmp_path: Path) -> None:
    chip = {**CHIP, "name": "process-chip"}
    chip["figures"] = {**CHIP["figures"], "error_1q": {"value": 0.003, "source": "M", "reads_as": "process"}}
    path = tmp_path / "process-chip.json"
    path.write_text(json.dumps(chip))
    assert load_spec(path).depolarizing_1q()[0] == pytest.approx(0.004)
    chip["figures"]["error_1q"]["reads_as"] = "entanglement"
    path.write_text(json.dumps(chip))
    with pytest.raises(DeviceFileError, match="figures.error_1q.reads_as"):
        load_spec(path)
    chip["figures"]["error_1q"]["reads_as"] = "process"
    chip["figures"]["t1"] = {**chip["figures"]["t1"], "reads_as": "process"}
    path.write_text(json.dumps(chip))
    with pytest.raises(DeviceFileError, match="figures.t1.reads_as"):
        load_spec(path)


def test_an_unknown_name_lists_the_devices_and_suggests_the_closest() -> None:
    with pytest.raises(UnknownDeviceError) as err:
        qlab.device("ionq-arya")
    message = str(err.value)
    assert "ideal, ionq-aria, ionq-forte, iqm-spark" in message
    assert "Did you mean 'ionq-aria'?" in message
    with pytest.raises(UnknownDeviceError, match="not a int"):
        qlab.device(5)


def test_an_instructor_adds_a_device_from_a_file(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "lab-chip.json"
    path.write_text(json.dumps(CHIP))
    monkeypatch.setenv("QLAB_DEVICE_PATH", str(tmp_path))
    assert "lab-chip" in qlab.devices()
    chip = qlab.device("lab-chip")
    assert chip.coupled_pairs == ((0, 1), (1, 2)) and chip.spec.label(2) == "q2"
    assert chip.spec.readout_error() == (0.03, 0.03, 0.03)
    # the same device runs, noisy, through the one path both frameworks use
    from qiskit import QuantumCircuit

    qc = QuantumCircuit(3)
    qc.h(0)
    qc.cx(0, 2)  # not coupled: routed through qubit 1
    native = qlab.transpile(qc, chip, seed=1)
    assert set(native.count_ops()) <= {"r", "cz"}
    counts = qlab.run(qc, chip, shots=500, seed=2)
    assert sum(counts.values()) == 500


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"num_qubits": 0}, "num_qubits"),
        ({"coupling": [[0, 3]]}, "coupling"),
        ({"coupling": "ring"}, "coupling"),
        ({"native_gates": ["r", "sqrt_swap"]}, "native_gates"),
        ({"native_gates": ["r"]}, "native_gates"),
        ({"name": "Lab Chip"}, "name"),
        ({"figures": {"t1": {"value": 1e-5}}}, "figures.t1.source"),
        ({"figures": {"t1": {"value": 1e-5, "source": "X"}}}, "figures.t1.source"),
        ({"figures": {"t3": {"value": 1e-5, "source": "M"}}}, "figures.t3"),
        ({"figures": {"readout_error": {"value": 1.5, "source": "M"}}}, "figures.readout_error"),
        ({"figures": {"t2": {"value": [1e-5, 2e-5], "source": "M"}}}, "figures.t2"),
        ({"figures": {"error_2q": {"value": {"0-2": 0.01}, "source": "M"}}}, "figures.error_2q"),
        ({"qubit_labels": ["A", "B"]}, "qubit_labels"),
    ],
)
def test_a_malformed_device_file_names_the_field(tmp_path: Path, change: dict, field: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({**CHIP, **change}))
    with pytest.raises(DeviceFileError) as err:
        load_spec(path)
    assert f"field '{field}'" in str(err.value) and str(path) in str(err.value)


def test_a_missing_field_or_broken_json_is_named(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({k: v for k, v in CHIP.items() if k != "coupling"}))
    with pytest.raises(DeviceFileError, match="field 'coupling' is missing"):
        qlab.add_device(path)
    path.write_text('{"name": "x",')
    with pytest.raises(DeviceFileError, match="not valid JSON.*line 1"):
        qlab.add_device(path)
    with pytest.raises(DeviceFileError, match="no such device file"):
        qlab.add_device(tmp_path / "nope.json")
