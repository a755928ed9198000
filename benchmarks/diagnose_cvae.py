"""Why the spectrogram CVAE trails: diagnostics that separate the causes.

The project's protocol (train on one region, register the other regions'
stations with frozen weights, score each region with
``HVSRAlignmentScorer(random_state=seed).report``), plus region A's
simulation again with another seed whose stations the network never saw
(column ``A new``). Per seed and region it measures the f0 alignment of:

resolution
    No network: each pool record's STFT magnitude (n_fft 256, 512, 1024,
    hop n_fft / 8) turned back into a waveform by the estimator's
    Griffin-Lim (32 iterations): what the representation and the phase
    retrieval allow.
phase
    The trained network's reconstructions of the pool records (posterior
    mean decoded), made waveforms with the records' true STFT phase or with
    Griffin-Lim; and how far Griffin-Lim's output is from the decoded
    magnitudes (spectral convergence, Fourier amplitude).
latent
    Samples from the station Gaussian (the estimator's ``sample``), from the
    mixture of the pool records' posteriors, from the prior N(0, I), and
    station-Gaussian samples given a pool record's true phase.
condition
    Reconstructions and samples with the unknown-station slot, and samples
    with another training station's slot.
data
    20 records per station, 12 training stations, 200 epochs, n_fft 512.
fix
    The estimator's options: ``batch_size`` 8 and 4, ``restore_spectrum``,
    with the intensity-measure distortions (generated / pool) beside; and
    the better-trained ``batch_size=4`` network's reconstructions and
    samples from the posterior mixture and the prior.

It also gives, per record, how far the f0 of a reconstruction is from the
record's own f0 (median ``|ln f0 ratio|``): a record-level measure with much
less noise than the alignment score. Every number is printed as mean
[min-max] over the seeds, next to the real-vs-real ceiling.

    nice -n 10 python benchmarks/diagnose_cvae.py --threads 1 --json diag.json

takes 15-20 minutes per seed on one thread of a shared 2-core machine (six
fits, three of them on twice the data or epochs). docs/method.rst, "Why the
baseline trails", gives the numbers of seeds 0, 1 and 2.

The groups can be chosen with ``--groups``; ``--quick`` is a tiny smoke run.
"""

import copy
import time

import numpy as np
import torch
from _common import (
    evaluate,
    fit_and_register,
    parse,
    parser,
    print_table,
    regions_of,
    simulate,
    write_json,
)
from sklearn.utils import check_random_state

from skgen import HVSRAlignmentScorer, SpectrogramCVAEGenerator, make_strong_motion
from skgen.nn.griffin_lim import griffin_lim, istft, spectral_convergence, stft
from skgen.signal import fourier_amplitude, hvsr, peak_frequency

GROUPS = ("resolution", "phase", "latent", "condition", "data", "fix")

# The estimator before this study (batch_size=8, the default until then)
# and after it; every variant states its parameters explicitly, so the
# numbers do not depend on the defaults of the skgen that runs the script.
BEFORE = dict(batch_size=8)
AFTER = dict(batch_size=4)

QUICK_MODEL = dict(n_times=1024, n_fft=64, hop_length=8, channels=(4, 8), latent_dim=4, epochs=2)


def seed_of(rng):
    return int(rng.randint(2**31 - 1))


# -- stand-in generators for the scorers -----------------------------------
class PoolTransform:
    """A stand-in generator: ``sample`` returns ``transform`` of records drawn
    from the station's pool (without replacement while they last).

    ``transform(records, station, rows, rng)`` gets the drawn pool records,
    the station label and the drawn rows of the pool.
    """

    fs = 100.0

    def __init__(self, transform):
        self.transform = transform

    def with_bank(self, X, stations):
        other = copy.copy(self)
        stations = np.asarray(stations)
        other.pool = {
            label: np.ascontiguousarray(X[stations == label], dtype=np.float32)
            for label in dict.fromkeys(stations)
        }
        return other

    def sample(self, station, n_samples, random_state=None):
        rng = check_random_state(random_state)
        pool = self.pool[station]
        rows = rng.choice(len(pool), n_samples, replace=n_samples > len(pool))
        return self.transform(pool[rows], station, rows, rng)


class Network:
    """The fitted CVAE's network and spectrogram transform, stage by stage.

    A diagnostic of the estimator's own pipeline: it calls the estimator's
    transforms (``_encode``, ``_magnitude``) rather than copies of them, so
    that what it measures cannot drift from what ``sample`` does
    (docs/method.rst, "The spectrogram CVAE baseline")."""

    def __init__(self, gen):
        self.gen = gen

    def spectrum(self, X):
        return stft(
            torch.from_numpy(np.asarray(X, np.float32)), self.gen.n_fft, self.gen.hop_length
        )

    def slot(self, station, unknown=False):
        index = self.gen.station_index_
        return len(index) if unknown else index.get(station, len(index))

    def encode(self, X, slot):
        slots = np.full(len(X), slot, dtype=np.int64)
        mean, logvar = self.gen._encode(np.asarray(X, np.float32), slots)
        return mean.astype(np.float64), logvar.astype(np.float64)

    def decode(self, z, slot):
        slots = torch.full((len(z),), slot, dtype=torch.long)
        with torch.no_grad():
            out = self.gen.module_.decode(torch.as_tensor(z, dtype=torch.float32), slots)
        return self.gen._magnitude(out)

    def waveforms(self, magnitude, n_times, rng, phase_of=None):
        """Griffin-Lim (the estimator's iterations) or, with ``phase_of`` (a
        complex STFT), that phase."""
        g = self.gen
        if phase_of is None:
            generator = torch.Generator().manual_seed(seed_of(rng))
            return griffin_lim(
                magnitude,
                g.n_fft,
                g.hop_length,
                n_iter=int(g.griffin_lim_iters),
                length=n_times,
                generator=generator,
            ).numpy()
        phase = phase_of / (phase_of.abs() + 1e-16)
        return istft(magnitude * phase, g.n_fft, g.hop_length, n_times).numpy()


def stft_round_trip(n_fft, iterations=32):
    """Records -> STFT magnitude -> Griffin-Lim, no network."""

    def transform(X, station, rows, rng):
        magnitude = stft(torch.from_numpy(X), n_fft, n_fft // 8).abs()
        generator = torch.Generator().manual_seed(seed_of(rng))
        return griffin_lim(
            magnitude, n_fft, n_fft // 8, iterations, X.shape[-1], generator=generator
        ).numpy()

    return transform


def reconstruction(net, phase="griffin-lim", unknown=False):
    """Posterior means of the pool records decoded, with their true phase or
    Griffin-Lim's."""

    def transform(X, station, rows, rng):
        slot = net.slot(station, unknown)
        mean, _ = net.encode(X, slot)
        phase_of = net.spectrum(X) if phase == "true" else None
        return net.waveforms(net.decode(mean, slot), X.shape[-1], rng, phase_of)

    return transform


def latent_samples(net, latent, phase="griffin-lim"):
    """Decoded draws from a latent model of the station's pool posteriors:
    ``"gaussian"`` (the estimator's station Gaussian), ``"mixture"`` (a pool
    record's posterior) or ``"prior"`` (N(0, I)); with ``phase="pool"`` the
    true phase of the drawn pool record replaces Griffin-Lim."""

    class Latent(PoolTransform):
        def sample(self, station, n_samples, random_state=None):
            rng = check_random_state(random_state)
            pool = self.pool[station]
            slot = net.slot(station)
            mean, logvar = net.encode(pool, slot)
            rows = rng.choice(len(pool), n_samples, replace=n_samples > len(pool))
            if latent == "gaussian":
                # The estimator's station Gaussian (docs/method.rst).
                covariance = np.atleast_2d(np.cov(mean, rowvar=False, bias=True))
                covariance += np.diag(np.exp(logvar).mean(axis=0))
                z = rng.multivariate_normal(mean.mean(axis=0), covariance, size=n_samples)
            elif latent == "mixture":
                noise = rng.standard_normal((n_samples, mean.shape[1]))
                z = mean[rows] + np.exp(0.5 * logvar[rows]) * noise
            else:
                z = rng.standard_normal((n_samples, mean.shape[1]))
            phase_of = net.spectrum(pool[rows]) if phase == "pool" else None
            return net.waveforms(net.decode(z, slot), pool.shape[-1], rng, phase_of)

    return Latent(None)


class Relabelled:
    """The estimator with each pool registered under a new label (so it gets
    the unknown-station slot) or with its slot replaced by another training
    station's (``other_slot``)."""

    def __init__(self, gen, other_slot=False, seed=0):
        self.gen, self.other_slot, self.seed = gen, other_slot, seed
        self.fs = gen.fs

    def with_bank(self, X, stations):
        stations = np.asarray(stations)
        other = copy.copy(self)
        if not self.other_slot:
            other.inner = self.gen.with_bank(X, np.array([f"{s}?" for s in stations]))
            other.rename = lambda label: f"{label}?"
            return other
        inner = self.gen.with_bank(X, stations)
        rng = np.random.RandomState(self.seed)
        n_train = len(self.gen.station_index_)
        bank = dict(inner.bank_)
        for label in dict.fromkeys(stations):
            own = self.gen.station_index_.get(label)
            choices = [slot for slot in range(n_train) if slot != own]
            entry = dict(bank[label])
            entry["slot"] = np.full_like(entry["slot"], rng.choice(choices))
            bank[label] = entry
        inner.bank_ = bank
        other.inner = inner
        other.rename = lambda label: label
        return other

    def sample(self, station, n_samples, random_state=None):
        return self.inner.sample(self.rename(station), n_samples, random_state=random_state)


# -- measurements --------------------------------------------------------------
def alignment(generator, data, seed):
    """``{region: f0 alignment}`` and ``{region: ceiling}``."""
    scores, ceilings = {}, {}
    for region, bunch in data.items():
        report = HVSRAlignmentScorer(random_state=seed).report(generator, bunch.X, bunch.stations)
        scores[region] = float(report.metrics["alignment"])
        ceilings[region] = float(report.ceiling["alignment"])
    return scores, ceilings


def record_f0(X):
    centers, curves = hvsr(X, 100.0)
    return peak_frequency(centers, curves)[0]


def f0_error(transform, data, seed):
    """Per region: median over records of ``|ln f0(transform(x)) / f0(x)|``
    (records where either has no f0 left out)."""
    rng = np.random.RandomState(seed)
    errors = {}
    for region, bunch in data.items():
        X = np.ascontiguousarray(bunch.X, dtype=np.float32)
        Y = np.concatenate(
            [
                transform(X[bunch.stations == label], label, None, rng)
                for label in dict.fromkeys(bunch.stations)
            ]
        )
        order = np.concatenate(
            [np.flatnonzero(bunch.stations == label) for label in dict.fromkeys(bunch.stations)]
        )
        ratio = np.log(record_f0(Y) / record_f0(X[order]))
        errors[region] = float(np.nanmedian(np.abs(ratio)))
    return errors


def griffin_lim_fidelity(net, data, seed):
    """How far Griffin-Lim's waveforms are from the decoded magnitudes of the
    reconstructions: spectral convergence of their STFT magnitude (and that
    of the true-phase waveforms, for reference), and the RMS over 1-20 Hz of
    ln(Fourier amplitude of Griffin-Lim / of true phase)."""
    rng = np.random.RandomState(seed)
    out = {"SC Griffin-Lim": {}, "SC true phase": {}, "FAS GL/true": {}}
    centers = np.geomspace(1.0, 20.0, 40)
    for region, bunch in data.items():
        convergence_gl, convergence_true, fas = [], [], []
        for label in dict.fromkeys(bunch.stations):
            X = np.ascontiguousarray(bunch.X[bunch.stations == label], dtype=np.float32)
            slot = net.slot(label)
            target = net.decode(net.encode(X, slot)[0], slot)
            gl = net.waveforms(target, X.shape[-1], rng)
            true = net.waveforms(target, X.shape[-1], rng, net.spectrum(X))
            convergence_gl.append(float(spectral_convergence(target, net.spectrum(gl).abs())))
            convergence_true.append(float(spectral_convergence(target, net.spectrum(true).abs())))
            ratio = np.log(fourier_amplitude(gl, 100.0, centers)[1]) - np.log(
                fourier_amplitude(true, 100.0, centers)[1]
            )
            fas.append(float(np.sqrt(np.mean(ratio**2))))
        out["SC Griffin-Lim"][region] = float(np.mean(convergence_gl))
        out["SC true phase"][region] = float(np.mean(convergence_true))
        out["FAS GL/true"][region] = float(np.mean(fas))
    return out


def fit(params, data, train, seed):
    generator = SpectrogramCVAEGenerator(random_state=seed, **params)
    seconds = fit_and_register(generator, data, train)
    return generator, seconds


def add_new_stations(data, train, n_stations, n_records, seed, **kwargs):
    """Region ``train`` again with another seed: stations the network never
    saw, relabelled so that they cannot collide with the training ones."""
    bunch = make_strong_motion(
        n_stations, n_records, region=train, random_state=seed + 100, **kwargs
    )
    bunch.stations = np.array([f"{s}*" for s in bunch.stations])
    data[f"{train} new"] = bunch
    return data


def run_seed(args, seed):
    """Every measurement of one seed: ``{table: {row: {region: value}}}``."""
    kwargs = dict(n_times=QUICK_MODEL["n_times"]) if args.quick else {}
    model = QUICK_MODEL if args.quick else {}
    regions = args.regions or regions_of(args.train)
    data = simulate(regions, args.stations, args.records, seed, **kwargs)
    if not args.no_new_stations:
        add_new_stations(data, args.train, args.stations, args.records, seed, **kwargs)
    tables = {"alignment": {}, "f0 error": {}, "griffin-lim": {}, "intensity": {}, "seconds": {}}
    align, f0err = tables["alignment"], tables["f0 error"]

    def score(name, generator):
        align[name], ceiling = alignment(generator, data, seed)
        align.setdefault("ceiling", ceiling)

    # The pool records themselves: the ceiling again (a check of the
    # stand-in generator).
    score("pool records", PoolTransform(lambda X, station, rows, rng: X))
    align = tables["alignment"] = {"ceiling": align["ceiling"], **align}

    if "resolution" in args.groups:
        for n_fft in (256, 512, 1024):
            if args.quick:
                n_fft //= 4
            transform = stft_round_trip(n_fft)
            score(f"STFT {n_fft} -> Griffin-Lim", PoolTransform(transform))
            f0err[f"STFT {n_fft} -> Griffin-Lim"] = f0_error(transform, data, seed)

    needs_before = {"phase", "latent", "condition", "fix"} & set(args.groups)
    if needs_before:
        gen, tables["seconds"]["batch_size=8"] = fit({**model, **BEFORE}, data, args.train, seed)
        net = Network(gen)
        score("samples (batch_size=8)", gen)
    if "phase" in args.groups:
        for phase in ("true", "griffin-lim"):
            name = f"reconstruction, {phase} phase"
            score(name, PoolTransform(reconstruction(net, phase)))
            f0err[name] = f0_error(reconstruction(net, phase), data, seed)
        tables["griffin-lim"] = griffin_lim_fidelity(net, data, seed)
    if "latent" in args.groups:
        score("samples, mixture of posteriors", latent_samples(net, "mixture"))
        score("samples, prior N(0, I)", latent_samples(net, "prior"))
        score("samples, pool record's phase", latent_samples(net, "gaussian", phase="pool"))
    if "condition" in args.groups:
        name = "reconstruction, true phase, unknown slot"
        score(name, PoolTransform(reconstruction(net, "true", unknown=True)))
        f0err[name] = f0_error(reconstruction(net, "true", unknown=True), data, seed)
        score("samples, unknown slot", Relabelled(gen))
        score("samples, another station's slot", Relabelled(gen, other_slot=True, seed=seed))
    if "fix" in args.groups:
        variants = (
            "batch_size=8",
            "batch_size=4",
            "batch_size=8, restore_spectrum",
            "batch_size=4, restore_spectrum",
        )
        gen_after, tables["seconds"]["batch_size=4"] = fit(
            {**model, **AFTER}, data, args.train, seed
        )
        net_after = Network(gen_after)
        for phase in ("true", "griffin-lim"):
            name = f"reconstruction, {phase} phase (batch_size=4)"
            score(name, PoolTransform(reconstruction(net_after, phase)))
            f0err[name] = f0_error(reconstruction(net_after, phase), data, seed)
        score("samples, mixture of posteriors (batch_size=4)", latent_samples(net_after, "mixture"))
        score("samples, prior N(0, I) (batch_size=4)", latent_samples(net_after, "prior"))
        for key in variants:
            base = gen if key.startswith("batch_size=8") else gen_after
            base = copy.copy(base).set_params(restore_spectrum="restore" in key)
            tables["intensity"][key] = evaluate(base, data, seed)
            align[f"samples ({key})"] = {
                r: row["f0 alignment"] for r, row in tables["intensity"][key].items()
            }
    if "data" in args.groups:
        variants = {
            "epochs=200": ({**model, **BEFORE, "epochs": 200}, None),
            "n_fft=512, hop_length=64": (
                {**model, **BEFORE, "n_fft": 512, "hop_length": 64},
                None,
            ),
            "20 records per station": ({**model, **BEFORE}, dict(records=2 * args.records)),
            "12 training stations": ({**model, **BEFORE}, dict(stations=2 * args.stations)),
        }
        if args.quick:
            variants["epochs=200"][0]["epochs"] = 4
            variants["n_fft=512, hop_length=64"][0].update(n_fft=128, hop_length=16)
        for name, (params, size) in variants.items():
            other = data
            if size is not None:
                other = simulate(
                    regions, args.stations, size.get("records", args.records), seed, **kwargs
                )
                if not args.no_new_stations:
                    records = size.get("records", args.records)
                    add_new_stations(other, args.train, args.stations, records, seed, **kwargs)
                if "stations" in size:
                    other[args.train] = make_strong_motion(
                        size["stations"],
                        args.records,
                        region=args.train,
                        random_state=seed,
                        **kwargs,
                    )
            variant, tables["seconds"][name] = fit(params, other, args.train, seed)
            scores, ceiling = alignment(variant, other, seed)
            align[f"samples ({name})"] = scores
            if size is not None:
                align[f"ceiling ({name})"] = ceiling
            f0err[f"reconstruction, true phase ({name})"] = f0_error(
                reconstruction(Network(variant), "true"), other, seed
            )
    return tables


def by_seed(results, table):
    """``[{region: {row: value}}]`` per seed, for ``print_table``."""
    runs = []
    for tables in results:
        rows = tables[table]
        regions = list(next(iter(rows.values())))
        runs.append({r: {row: values[r] for row, values in rows.items()} for r in regions})
    return runs


def main():
    cli = parser(__doc__.splitlines()[0])
    cli.add_argument("--regions", nargs="+", default=None, help="region presets (default all)")
    cli.add_argument("--groups", nargs="+", default=list(GROUPS), choices=GROUPS)
    cli.add_argument("--no-new-stations", action="store_true", help="leave out column 'A new'")
    cli.add_argument("--quick", action="store_true", help="tiny records and networks")
    args = parse(cli)
    if args.regions and args.train not in args.regions:
        args.regions = [args.train, *args.regions]
    results = []
    for seed in args.seeds:
        start = time.perf_counter()
        results.append(run_seed(args, seed))
        print(f"seed {seed} done in {time.perf_counter() - start:.0f} s", flush=True)
        write_json(args.json, {"seeds": args.seeds[: len(results)], "results": results})
    # Table titles give the fit time of the batch_size=8 network.
    seconds = [r["seconds"].get("batch_size=8", np.nan) for r in results]
    print_table("f0 alignment", by_seed(results, "alignment"), args.train, seconds)
    if results[0]["f0 error"]:
        print_table(
            "median |ln f0 ratio|, transformed record / record (0 is exact)",
            by_seed(results, "f0 error"),
            args.train,
            seconds,
        )
    if results[0]["griffin-lim"]:
        print_table(
            "Griffin-Lim vs the decoded magnitudes (batch_size=8 network)",
            by_seed(results, "griffin-lim"),
            args.train,
            seconds,
        )
    for key in results[0]["intensity"]:
        runs = [r["intensity"][key] for r in results]
        print_table(f"{key}: generated / pool", runs, args.train, seconds)
    for key in results[0]["seconds"]:
        values = [r["seconds"][key] for r in results]
        print(f"fit seconds, {key}: {np.mean(values):.0f} [{min(values):.0f}-{max(values):.0f}]")


if __name__ == "__main__":
    main()
