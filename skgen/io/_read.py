"""``read_records``: files in, records out, whatever their format.

The dispatcher knows the formats only by their detect/read pairs; files that
no format claims by name go to :func:`obspy.read`, which recognises its own
formats (miniSEED, SAC, K-NET, ...) by their content.
"""

import os

import obspy
from obspy import Stream

from ._afad import afad_record, is_afad_mat
from ._arrays import units_factor
from ._asdf import asdf_records, is_asdf
from ._cosmos import cosmos_records, is_cosmos
from ._files import FileErrors, check_file, expand_paths
from ._peer import is_peer_at2, peer_records
from ._record import finish, reading_options
from ._seisbench import is_seisbench, seisbench_records
from ._stream import read_obspy_file, stream_records


def _read_peer(indexed, reading, factor, errors, tag):
    return peer_records(indexed, reading.fs, factor, errors)


def _read_afad(indexed, reading, factor, errors, tag):
    records = []
    for index, path in indexed:
        try:
            records.append((index, afad_record(path, reading.fs, factor)))
        except ValueError as exc:
            errors([path], exc)
    return records


# (detect, read a list of (index, path)) per format, in the order tried: a
# SeisBench waveforms.hdf5 before the other HDF5 files, ASDF.
_FORMATS = (
    (is_peer_at2, _read_peer),
    (is_afad_mat, _read_afad),
    (is_cosmos, cosmos_records),
    (is_seisbench, seisbench_records),
    (is_asdf, asdf_records),
)


def _read_obspy(indexed, reading, factor, errors, inventory):
    """Every other file through obspy: one stream, then grouped per station."""
    stream = Stream()
    for _, path in indexed:
        try:
            stream += read_obspy_file(path)
        except ValueError as exc:
            errors([path], exc)
    factor = 1.0 if factor is None else factor
    records = stream_records(stream, reading.fs, inventory, factor, errors)
    # from_stream's order (station of first appearance, then time), placed
    # at the first of these files.
    return [(indexed[0][0], record) for record in records]


def _inventory(inventory):
    if isinstance(inventory, (str, os.PathLike)):
        check_file(inventory)
        try:
            return obspy.read_inventory(os.fspath(inventory))
        except Exception as exc:
            raise ValueError(f"{inventory}: cannot read as StationXML ({exc}).") from exc
    return inventory


def read_records(
    paths,
    fs=100.0,
    n_times=6000,
    inventory=None,
    *,
    window="event",
    pre_event=5.0,
    demean=True,
    detrend=True,
    taper=0.05,
    bandpass=None,
    units=None,
    tag=None,
    on_error="raise",
    return_meta=False,
):
    """Read strong-motion records from files into ``(X, stations)`` in m/s^2.

    Every record is converted to m/s^2, resampled (anti-aliased) to ``fs``,
    processed as a whole (demean, detrend, taper, optional band-pass) and cut
    to an ``n_times`` window that starts ``pre_event`` seconds before the
    P-wave onset (``docs/data.rst`` explains each step). Formats, by file
    name:

    - ``*.AT2`` (any case): PEER NGA-West2 files, three per record. Files
      are grouped by their name stem minus the component suffix (e.g.
      ``RSN6_IMPVALL.I_I-ELC180``, ``...-ELC270`` and ``...-ELC-UP`` form
      one record). The component is the last comma-separated field of the
      second header line, else the name's suffix: ``UP``, ``DWN``, ``V``
      (and ``DOWN``, ``DN``, ``UD``, ``VER``, ``VERT``, ``Z``) mean vertical,
      taken as positive up; an azimuth in degrees (``000``, ``090``,
      ``228``...) or ``N``/``E`` means a horizontal. The two horizontals are
      rotated from their azimuths to geographic E and N
      (:func:`obspy.signal.rotate.rotate2zne`). Values are converted from
      the header's unit (g in NGA-West2). Station: the header's station
      name, else the grouped stem.
    - ``*.mat``: AFAD-style MATLAB files, one record each
      (:func:`read_afad_mat`), converted from gal; without a stored rate
      they are taken as 100 Hz. Station: the file's metadata, else ``XXXX``
      from an ``AFAD.XXXX.`` name, else the file stem.
    - ``*.V1``, ``*.V2``, ``*.V1c``, ``*.V2c``: COSMOS V1/V2 files
      (:func:`read_cosmos`), converted from the header's units code; the
      channels of a station and start time (in one file or several) form one
      record, horizontals rotated from their azimuths to E and N. Station:
      ``NET.STA`` of the text header.
    - ``waveforms*.hdf5`` with its ``metadata*.csv`` beside it: a SeisBench
      data set (extra ``seisbench``), one record per metadata row, converted
      from ``data_format/unit``; station from the ``station_*_code`` columns.
    - ``*.h5``, ``*.hdf5``, ``*.asdf``: ASDF files (extra ``asdf``): those
      skgen writes (tag ``generated``, m/s^2), gmprocess workspaces (raw
      waveforms converted with the file's StationXML, or processed ones with
      ``tag``, from cm/s^2) and other ASDF files (one tag, or ``tag``, in
      counts with the file's StationXML). Each record gets its event's
      magnitude and the hypocentral distance to its station.
    - anything else: every format :func:`obspy.read` recognises (miniSEED,
      SAC, K-NET, ...), grouped into records by :func:`from_stream`'s rules,
      so the components of a record may sit in separate files. Data from
      different files are never merged into one channel: files holding the
      same station, component and time become separate records when each
      holds a whole record, else an error names them.

    Parameters
    ----------
    paths : str, path-like or sequence of those
        Files, directories (every file under them, recursively, except
        hidden files and StationXML, text and image files) and glob
        patterns (``"data/**/*.mseed"``).
    fs : float, default=100.0
        Target sampling rate in Hz (anti-aliased resampling).
    n_times : int, default=6000
        Samples per record.
    inventory : obspy.Inventory, str, path-like or None, default=None
        Instrument responses (or a StationXML file) for obspy-read files in
        counts; see :func:`from_stream`.
    window : {"event", "start"}, default="event"
        ``"event"``: the window starts ``pre_event`` seconds before the
        P-wave onset (:func:`pick_onset`), staying inside the record when it
        is long enough; ``"start"``: at the first sample. Records shorter
        than ``n_times`` are zero-padded at the end.
    pre_event : float, default=5.0
        Seconds kept before the onset.
    demean, detrend : bool, default=True
        Remove the mean; remove a linear trend.
    taper : float or None, default=0.05
        Fraction of the whole record tapered at each end (Hann); None or 0
        for none.
    bandpass : (float, float) or None, default=None
        Corners in Hz of a zero-phase 4-pole Butterworth band-pass.
    units : str or None, default=None
        Units of the files' values when the user knows them (``"m/s^2"``,
        ``"gal"`` or ``"cm/s^2"``, ``"g"``); replaces each format's own
        (AT2 header, AFAD gal, obspy ``calib``). Not with ``inventory``.
    tag : str or None, default=None
        ASDF files only: the waveforms to read, an ASDF tag or a gmprocess
        label (``"unprocessed"``, ``"default"``...), or ``"processed"`` for
        the one processed label of a gmprocess workspace. None: skgen's
        ``generated`` records, else gmprocess's raw waveforms, else the
        file's only tag.
    on_error : {"raise", "skip"}, default="raise"
        What to do with a file that cannot be read: raise a ValueError
        naming it, or leave it out and warn once
        (:class:`SkippedFilesWarning`) listing each skipped file and why.
    return_meta : bool, default=False
        Also return ``meta``.

    Returns
    -------
    X : ndarray of shape (n_records, 3, n_times), float32
        Acceleration in m/s^2, channels E, N, U.
    stations : ndarray of shape (n_records,), dtype object
        One label per record: AT2 and MATLAB records in order of their first
        file, records of obspy-read files together at the place of the first
        such file, in :func:`from_stream`'s order.
    meta : list of dict
        With ``return_meta=True``: per record, JSON-friendly, ``station``,
        ``files``, ``channels`` (codes of the E, N, U sources),
        ``sampling_rate`` (Hz, as stored), ``start_time`` (ISO time of the
        first sample, None when the format has no absolute time), ``onset``
        and ``window_start`` (seconds after the first sample),
        ``onset_time`` and ``window_start_time`` (ISO or None),
        ``onset_method`` (``"aic"`` or ``"husid"``; onset and method are
        None for a record of fewer than 8 samples), ``pga`` and
        ``pga_record`` (horizontal PGA of the window and of the whole
        processed record, m/s^2), for PEER files ``event`` and
        ``event_date`` from the header; ``magnitude`` and ``distance``
        (hypocentral, km; None when unknown) for COSMOS, ASDF and SeisBench
        files, ready for ``fit(X, stations, magnitude=..., distance=...)``;
        ``provenance`` (the generator's, with the waveform tag and the
        file's units for ASDF) for ASDF and SeisBench files.

    Raises
    ------
    FileNotFoundError
        If a file, directory, pattern or the StationXML file names nothing.
    ValueError
        If a file is unreadable, corrupt, truncated or of an unknown format
        (naming the file), or a record lacks a component (with
        ``on_error="raise"``); if no record can be read at all.

    Examples
    --------
    >>> import pathlib
    >>> import tempfile
    >>> import numpy as np
    >>> from skgen.io import read_records, to_stream
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> X = np.random.default_rng(0).normal(size=(2, 3, 500)).astype("float32")
    >>> to_stream(X, ["XX.STA1", "XX.STA2"], fs=100.0).write(
    ...     folder / "records.mseed", format="MSEED")
    >>> X_read, stations, meta = read_records(folder, fs=100.0, n_times=500,
    ...     window="start", demean=False, detrend=False, taper=None,
    ...     return_meta=True)
    >>> np.array_equal(X_read, X), list(stations), meta[0]["channels"]
    (True, ['XX.STA1', 'XX.STA2'], ['HNE', 'HNN', 'HNZ'])
    """
    if tag is not None and not isinstance(tag, str):
        raise TypeError(f"tag must be a string or None, got {type(tag).__name__}.")
    files = expand_paths(paths)
    reading = reading_options(fs, n_times, window, pre_event, demean, detrend, taper, bandpass)
    errors = FileErrors(on_error)
    factor = None if units is None else units_factor(units)
    if units is not None and inventory is not None:
        raise ValueError("give units or an inventory, not both: the inventory states the units.")
    inventory = _inventory(inventory)

    claimed = [[] for _ in _FORMATS]
    others = []
    for index, path in enumerate(files):
        slot = next((i for i, (detect, _) in enumerate(_FORMATS) if detect(path)), None)
        (others if slot is None else claimed[slot]).append((index, path))
    records = []
    for (_, read), indexed in zip(_FORMATS, claimed):
        if indexed:
            records += read(indexed, reading, factor, errors, tag)
    if others:
        records += _read_obspy(others, reading, factor, errors, inventory)
    errors.warn()
    if not records:
        reasons = "; ".join(f"{', '.join(f)}: {r}" for f, r in errors.skipped[:3])
        raise ValueError(f"no record could be read from {len(files)} file(s) ({reasons}).")
    records.sort(key=lambda item: item[0])
    X, stations, meta = finish([record for _, record in records], reading)
    return (X, stations, meta) if return_meta else (X, stations)
