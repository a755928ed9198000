"""Compare P-onset pickers on the real records of ``tests/data``.

Each record (CE.68150, South Napa; UW.TBPA, UW.TKCO, UW.UPS, Nisqually) is
read whole at 100 Hz with skgen's default processing, then put behind 120 s
of pre-event noise twice: its own first 10 s tiled, and seeded Gaussian
noise of that level. On every version two pickers run on the vertical:

- AIC (``obspy.signal.trigger.aic_simple``) over the samples up to the
  vertical's peak, as :func:`skgen.io.pick_onset` does;
- recursive STA/LTA (1 s / 10 s), first trigger above 3
  (``recursive_sta_lta`` + ``trigger_onset``).

A pick is "false" when it is more than 2 s from the AIC pick on the record
without added noise (the noise shifts every onset by exactly 120 s). Also
printed: the 5 % Husid time (the fallback) and the time of the peak.

Usage::

    python benchmarks/onset_pickers.py
"""

from pathlib import Path

import numpy as np
from obspy.signal.trigger import recursive_sta_lta, trigger_onset

from skgen.io import pick_onset, read_records
from skgen.signal import husid_times

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
FILES = ["CE.68150.mseed"] + [f"uw10530748.UW.{s}.mseed" for s in ("TBPA", "TKCO", "UPS")]
FS = 100.0
PAD = 120.0


def sta_lta(vertical):
    ratio = recursive_sta_lta(vertical, int(1 * FS), int(10 * FS))
    on = trigger_onset(ratio, 3.0, 1.0)
    return on[0][0] / FS if len(on) else np.nan


def main():
    rng = np.random.default_rng(0)
    false = {"aic": 0, "sta/lta": 0}
    tries = 0
    print(f"{'record':<10} {'noise':<9} {'AIC':>8} {'STA/LTA':>8} {'Husid 5%':>9} {'peak':>7}  (s)")
    for name in FILES:
        X, stations = read_records(DATA / name, fs=FS, n_times=30000, window="start")
        record = X[0].astype(np.float64)
        n = int(np.max(np.nonzero(np.abs(record).sum(axis=0))[0])) + 1
        record = record[:, :n]
        reference, _ = pick_onset(record, FS)
        quiet = record[:, : int(10 * FS)]
        versions = {
            "none": (record, 0.0),
            "tiled": (np.concatenate([np.resize(quiet, (3, int(PAD * FS))), record], 1), PAD),
            "gaussian": (
                np.concatenate(
                    [rng.normal(0, quiet.std(axis=1, keepdims=True), (3, int(PAD * FS))), record],
                    1,
                ),
                PAD,
            ),
        }
        for noise, (data, shift) in versions.items():
            aic, _ = pick_onset(data, FS)
            trigger = sta_lta(data[2])
            # The 5 % Husid time of the summed energy of the three channels.
            energy = np.sqrt(np.sum(np.square(data, dtype=np.float64), axis=0))
            husid = husid_times(energy, FS, [0.05])[0]
            print(
                f"{stations[0]:<10} {noise:<9} {aic - shift:>8.2f} {trigger - shift:>8.2f} "
                f"{husid - shift:>9.2f} "
                f"{np.argmax(np.abs(data[:2]).max(axis=0)) / FS - shift:>7.2f}"
            )
            if noise != "none":
                tries += 1
                false["aic"] += abs(aic - shift - reference) > 2.0
                false["sta/lta"] += not abs(trigger - shift - reference) <= 2.0
    for picker, count in false.items():
        print(f"{picker}: {count} false pick(s) in {tries} noisy records")


if __name__ == "__main__":
    main()
