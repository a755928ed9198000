"""PEER NGA-West2 ``.AT2`` files: one component per file, three per record."""

import re
from pathlib import Path

import numpy as np

from .._validation import check_finite
from ._arrays import UNITS
from ._components import triplet_record
from ._files import check_file

# PEER component tokens: verticals, and named horizontals with their azimuth.
_AT2_VERTICAL = {"UP", "DWN", "DOWN", "DN", "UD", "V", "VER", "VERT", "Z"}
_AT2_AZIMUTH = {"N": 0.0, "NS": 0.0, "E": 90.0, "EW": 90.0}
# A component suffix at the end of a PEER file stem, e.g. ELC180, ELC-UP,
# HMCDWN, G02000.
_AT2_SUFFIX = re.compile(
    r"[-_.]?(UP|DWN|DOWN|DN|UD|VERT|VER|V|Z|EW|NS|E|N|\d{1,3})$", re.IGNORECASE
)


def is_peer_at2(path):
    """PEER files are told by their name: ``*.AT2`` in any case."""
    return Path(path).suffix.lower() == ".at2"


def _parse_at2(path):
    """Values, unit factor to m/s^2, dt, station, component and event of an AT2 file."""
    path = Path(path)
    try:
        text = path.read_bytes().decode("ascii")
    except UnicodeDecodeError as exc:
        raise ValueError(
            f"{path}: not a PEER AT2 text file (non-ASCII byte at {exc.start})."
        ) from exc
    lines = text.splitlines()
    if len(lines) < 4:
        raise ValueError(f"{path}: truncated PEER AT2 file ({len(lines)} of 4 header lines).")
    if re.search(r"VELOCITY|DISPLACEMENT", lines[2], re.IGNORECASE):
        raise ValueError(f"{path}: holds {lines[2].strip()!r}, not an acceleration time series.")
    unit = re.search(r"UNITS\s+OF\s+(\S+)", lines[2], re.IGNORECASE)
    factor = UNITS["G"]
    if unit:
        factor = UNITS.get(unit.group(1).upper().rstrip(".,"))
        if factor is None:
            raise ValueError(f"{path}: unknown acceleration unit {unit.group(1)!r}.")
    npts, dt = _at2_npts_dt(lines[3], path)
    tokens = " ".join(lines[4:]).split()
    try:
        values = np.array(tokens, dtype=np.float64)
    except ValueError as exc:
        raise ValueError(f"{path}: garbled PEER AT2 data ({exc}).") from exc
    n_exponents = sum("E" in token.upper() for token in tokens)
    if 0 < n_exponents < len(tokens):
        # PEER writes every value in one format (E15.7 in NGA-West2); a value
        # that lost its exponent was cut off, e.g. by a truncated download.
        raise ValueError(
            f"{path}: truncated or garbled PEER AT2 data ({len(tokens) - n_exponents}"
            " value(s) without the exponent the others have)."
        )
    if values.size != npts:
        problem = "truncated" if values.size < npts else "garbled"
        raise ValueError(
            f"{path}: {problem} PEER AT2 file, header NPTS={npts} but {values.size} values."
        )
    check_finite(values, f"{path}: PEER AT2 data")
    # "Event name, date, station, component" in NGA-West2 files.
    fields = [field.strip() for field in lines[1].split(",")]
    station = fields[-2] if len(fields) >= 3 and fields[-2] else None
    component = fields[-1].upper() if len(fields) >= 2 and fields[-1] else None
    event = {}
    if len(fields) >= 4:
        event = {"event": ", ".join(fields[:-3]), "event_date": fields[-3]}
    return {
        "values": values,
        "factor": factor,
        "dt": dt,
        "station": station,
        "component": component,
        "event": event,
    }


def _at2_npts_dt(line, path):
    """NPTS and DT from the 4th header line, both PEER layouts."""
    npts = re.search(r"NPTS\s*=\s*(\d+)", line, re.IGNORECASE)
    dt = re.search(r"DT\s*=\s*([-+0-9.Ee]+)", line, re.IGNORECASE)
    try:
        if npts and dt:
            npts, dt = int(npts.group(1)), float(dt.group(1))
        else:
            # Older layout: "5590    0.0050    NPTS, DT".
            first, second = line.replace(",", " ").split()[:2]
            npts, dt = int(first), float(second)
    except ValueError as exc:
        raise ValueError(
            f"{path}: cannot read NPTS and DT from header line {line.strip()!r}."
        ) from exc
    if npts < 1 or not np.isfinite(dt) or dt <= 0:
        raise ValueError(f"{path}: invalid NPTS={npts} or DT={dt} in header line {line.strip()!r}.")
    return npts, dt


def read_peer_at2(path):
    """Read one PEER NGA-West2 ``.AT2`` acceleration file.

    The file has four header lines; the fourth gives the number of points and
    the time step, as ``NPTS=  5590, DT= .0050 SEC`` (NGA-West2) or
    ``5590    0.0050    NPTS, DT`` (older PEER files). Values in g (the third
    line's ``UNITS OF G``) are converted to m/s^2 with g = 9.80665.

    Parameters
    ----------
    path : str or path-like
        The ``.AT2`` file.

    Returns
    -------
    acceleration : ndarray of shape (npts,)
        Acceleration in m/s^2, float64.
    dt : float
        Time step in seconds.

    Raises
    ------
    FileNotFoundError
        If the file does not exist.
    ValueError
        If the file is truncated, garbled, not text, or not an acceleration
        record; the message names the file.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from skgen.io import read_peer_at2
    >>> text = ("PEER NGA STRONG MOTION DATABASE RECORD\\n"
    ...         "Test event, 1/1/2000, Test station, 090\\n"
    ...         "ACCELERATION TIME SERIES IN UNITS OF G\\n"
    ...         "NPTS=    3, DT=   .0100 SEC\\n"
    ...         "  .1000000E+00 -.2000000E+00  .0000000E+00\\n")
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "TEST090.AT2"
    >>> _ = path.write_text(text)
    >>> acceleration, dt = read_peer_at2(path)
    >>> acceleration.round(5).tolist(), dt
    ([0.98066, -1.96133, 0.0], 0.01)
    """
    check_file(path)
    parsed = _parse_at2(path)
    return parsed["values"] * parsed["factor"], parsed["dt"]


def _at2_orientation(component, stem):
    """('vertical', None) or ('horizontal', azimuth) of a PEER component."""
    tokens = [component] if component else []
    suffix = _AT2_SUFFIX.search(stem)
    if suffix:
        tokens.append(suffix.group(1).upper())
    for token in tokens:
        if token in _AT2_VERTICAL or token.endswith(("-UP", "-DWN")):
            return "vertical", None
        if token in _AT2_AZIMUTH:
            return "horizontal", _AT2_AZIMUTH[token]
        if re.fullmatch(r"\d{1,3}(\.\d*)?", token):
            return "horizontal", float(token) % 360.0
    return None, None


def _at2_group_key(path, component):
    """Group key and base name: the file stem minus its component suffix."""
    stem = path.stem
    if component and stem.upper().endswith(component):
        base = stem[: -len(component)]
    else:
        suffix = _AT2_SUFFIX.search(stem)
        base = stem[: suffix.start()] if suffix else stem
    base = base.rstrip("-_. ")
    return (str(path.parent.resolve()), base.upper()), base


def _component(path, factor):
    """One parsed AT2 file with its orientation, values in m/s^2."""
    parsed = _parse_at2(path)
    kind, azimuth = _at2_orientation(parsed["component"], path.stem)
    if kind is None:
        raise ValueError(
            f"{path}: cannot tell the component from the header "
            f"({parsed['component']!r}) or the file name; expected an azimuth "
            "(e.g. 090, 180), UP, DWN or V."
        )
    scale = parsed["factor"] if factor is None else factor
    acceleration = parsed["values"] * scale
    return dict(parsed, path=path, kind=kind, azimuth=azimuth, acceleration=acceleration)


def peer_records(paths, fs, factor, on_error):
    """Records from AT2 files grouped into triplets by file name.

    Returns ``(index of the triplet's first path, record)`` pairs; ``factor``
    (to m/s^2) replaces the header's unit when not None.
    """
    groups = {}
    for index, path in paths:
        try:
            member = _component(path, factor)
        except ValueError as exc:
            on_error([path], exc)
            continue
        key, base = _at2_group_key(path, member["component"])
        groups.setdefault(key, (base, []))[1].append(dict(member, index=index))
    records = []
    for base, members in groups.values():
        try:
            record = triplet_record(members, base, fs, "PEER AT2 files")
        except ValueError as exc:
            on_error([m["path"] for m in members], exc)
            continue
        records.append((min(m["index"] for m in members), record))
    return records
