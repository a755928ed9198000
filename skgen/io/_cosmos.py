"""COSMOS V1/V2 strong-motion files (``*.V1``, ``*.V2``, ``*.V1c``, ``*.V2c``).

The COSMOS Strong Motion Data Format (v1.20, COSMOS Strong Motion Programs
Board, 2001) stores one or more channels per file, each as: a text header
(its first line says ``(Format v01.20 with 13 text lines)``), an integer
header (``100 Integer-header values follow on 10 lines, Format= (10I8)``), a
real header (``100 Real-header values follow on 20 lines, Format=
(5F15.6)``), comment lines (``N Comment line(s) follow``), a data line
(``8000 acceleration pts, approx 40 secs, units=cm/sec2 (04),
Format=(8F10.5)``), the values and ``End-of-data for Chan ...``. V2 files
carry velocity and displacement sections after each acceleration section;
only acceleration is read. Header fields used (1-based, as the
specification numbers them):

- integer 1 processing stage (1 V1, 2 V2), 2 physical parameter (1
  acceleration), 3 units code (Table 2: 2 g, 4 cm/s^2, 7 in/s^2, 10 gal,
  11 milli-g), 40-45 start year, day of year, month, day, hour, minute,
  54 channel azimuth (degrees from north; 400 up, 401 down, 402 vertical);
- real 1-3 station latitude, longitude, elevation (m), 10-13 epicentre
  latitude, longitude, depth (km) and magnitude, 17 epicentral distance (km),
  30 start second, 62 sampling interval (ms);
- text line 5: network code (columns 26-27) and station code (29-34);
  line 13: the values standing for "unknown" (usually -999).
"""

import math
import re
from pathlib import Path

import numpy as np
from obspy import UTCDateTime
from obspy.geodetics import gps2dist_azimuth

from .._validation import check_finite
from ..signal import G
from ._components import triplet_record
from ._stream import station_label

_SUFFIXES = {".v1", ".v2", ".v1c", ".v2c"}
# Table 2 units codes of accelerations, factor to m/s^2.
UNITS_CODES = {2: G, 4: 0.01, 7: 0.0254, 10: 0.01, 11: G / 1000.0}
_VERTICAL = {400: 1.0, 401: -1.0, 402: 1.0}

_TEXT_LINES = re.compile(r"with\s+(\d+)\s+text\s+lines", re.IGNORECASE)
_COUNT = re.compile(
    r"^\s*(\d+)\s+(Integer|Real)-header values follow on\s+(\d+)\s+lines", re.IGNORECASE
)
_FORMAT = re.compile(r"Format\s*=\s*\(\s*(\d+)\s*([IFE])\s*(\d+)", re.IGNORECASE)
_COMMENTS = re.compile(r"^\s*(\d+)\s+Comment line", re.IGNORECASE)
_DATA = re.compile(r"^\s*(\d+)\s+([A-Za-z]+)\s+pts", re.IGNORECASE)
_UNKNOWN = re.compile(r"(-?\d+)\s*,\s*(-?\d+(?:\.\d*)?)\s*$")


def is_cosmos(path):
    """COSMOS files are told by their name: ``*.V1``, ``*.V2``, ``*.V1c``, ``*.V2c``."""
    return Path(path).suffix.lower() in _SUFFIXES


def _fixed(lines, count, per_line, width, path, what, first_line):
    """``count`` fixed-width numbers from ``lines`` (``per_line`` of ``width`` each)."""
    values = []
    for offset, line in enumerate(lines):
        for column in range(per_line):
            if len(values) == count:
                break
            field = line[column * width : (column + 1) * width]
            if not field.strip():
                break
            try:
                values.append(float(field))
            except ValueError:
                raise ValueError(
                    f"{path}: line {first_line + offset}: {what} value {field.strip()!r} "
                    "is not a number."
                ) from None
    if len(values) != count:
        raise ValueError(f"{path}: {what} has {len(values)} of {count} values (truncated file?).")
    return np.array(values)


class _Lines:
    """The file's lines with a cursor, for messages that name the line."""

    def __init__(self, path, text):
        self.path, self.lines, self.at = path, text.splitlines(), 0

    def take(self, n, what):
        if self.at + n > len(self.lines):
            raise ValueError(f"{self.path}: truncated in the {what} (line {len(self.lines)}).")
        chunk = self.lines[self.at : self.at + n]
        self.at += n
        return chunk

    def skip_blank(self):
        while self.at < len(self.lines) and not self.lines[self.at].strip():
            self.at += 1
        return self.at < len(self.lines)


def _block(cursor, pattern, what):
    """The values of an integer or real header block."""
    (line,) = cursor.take(1, f"{what} header")
    count, form = pattern.match(line), _FORMAT.search(line)
    if count is None or form is None:
        raise ValueError(
            f"{cursor.path}: line {cursor.at}: expected the {what} header line "
            f"('N {what}-header values follow on M lines, Format=(...)'), got {line.strip()!r}."
        )
    n_values, n_lines = int(count.group(1)), int(count.group(3))
    first = cursor.at + 1
    lines = cursor.take(n_lines, f"{what} header")
    return _fixed(
        lines,
        n_values,
        int(form.group(1)),
        int(form.group(3)),
        cursor.path,
        f"{what} header",
        first,
    )


def _section(cursor):
    """One data section: header dict and values as stored."""
    path = cursor.path
    start_line = cursor.at + 1
    first = cursor.lines[cursor.at]
    text_lines = _TEXT_LINES.search(first)
    if "(format v" not in first.lower() or text_lines is None:
        raise ValueError(
            f"{path}: line {start_line}: not a COSMOS text header (expected '(Format vNN.NN "
            "with N text lines)'); CSMIP/CDMG Volume 2 files are not COSMOS files."
        )
    text = cursor.take(int(text_lines.group(1)), "text header")
    unknown_int, unknown_real = -999, -999.0
    if len(text) >= 13 and _UNKNOWN.search(text[12]):
        found = _UNKNOWN.search(text[12])
        unknown_int, unknown_real = int(found.group(1)), float(found.group(2))
    integers = _block(cursor, _COUNT, "Integer").astype(int)
    reals = _block(cursor, _COUNT, "Real")
    if len(integers) < 54 or len(reals) < 63:
        raise ValueError(
            f"{path}: section at line {start_line} has {len(integers)} integer and "
            f"{len(reals)} real header values; COSMOS gives 100 of each."
        )
    (line,) = cursor.take(1, "comment count")
    comments = _COMMENTS.match(line)
    if comments is None:
        raise ValueError(f"{path}: line {cursor.at}: expected 'N Comment line(s) follow'.")
    cursor.take(int(comments.group(1)), "comments")
    (line,) = cursor.take(1, "data header")
    data, form = _DATA.match(line), _FORMAT.search(line)
    if data is None or form is None:
        raise ValueError(
            f"{path}: line {cursor.at}: expected the data line ('N acceleration pts, ..., "
            f"Format=(...)'), got {line.strip()!r}."
        )
    npts, per_line, width = int(data.group(1)), int(form.group(1)), int(form.group(3))
    first_value = cursor.at + 1
    values = _fixed(
        cursor.take(math.ceil(npts / per_line), "data"),
        npts,
        per_line,
        width,
        path,
        "data",
        first_value,
    )
    (end,) = cursor.take(1, "end-of-data line")
    if not end.strip().lower().startswith("end-of-data"):
        raise ValueError(f"{path}: line {cursor.at}: expected 'End-of-data', got {end.strip()!r}.")

    def known(value, missing):
        return None if value == missing else value

    return {
        "line": start_line,
        "kind": data.group(2).lower(),
        "stage": int(integers[0]),
        "parameter": int(integers[1]),
        "units_code": int(integers[2]),
        "start": [known(v, unknown_int) for v in integers[[39, 41, 42, 43, 44]]],
        "second": known(reals[29], unknown_real),
        "azimuth": int(integers[53]),
        "network": text[4][25:27].strip() if len(text) > 4 else "",
        "station_code": text[4][28:34].strip() if len(text) > 4 else "",
        "station_coordinates": [known(v, unknown_real) for v in reals[:2]],
        "epicentre": [known(v, unknown_real) for v in reals[9:12]],
        "magnitude": known(reals[12], unknown_real),
        "epicentral_distance": known(reals[16], unknown_real),
        "dt_ms": known(reals[61], unknown_real),
        "values": values,
    }


def read_cosmos(path):
    """Read the acceleration channels of a COSMOS V1/V2 file.

    Parameters
    ----------
    path : str or path-like
        The file.

    Returns
    -------
    channels : list of dict
        One per acceleration channel, in file order: ``values`` (as stored),
        ``units_code`` (COSMOS Table 2) and ``factor`` (to m/s^2), ``dt``
        (s), ``azimuth`` (integer header 54), ``station`` (``NET.STA``),
        ``start`` (obspy.UTCDateTime or None), ``stage`` (1 for V1, 2 for
        V2), ``magnitude`` and ``distance`` (hypocentral km, None when the
        header does not say), ``line`` (first line of its section).

    Raises
    ------
    ValueError
        If the file is not COSMOS, is truncated, or a channel is not an
        acceleration in known units or lacks its sampling interval; the
        message names the file, the line and the field.
    """
    path = Path(path)
    try:
        text = path.read_bytes().decode("latin-1")
    except OSError as exc:
        raise ValueError(f"{path}: cannot read ({exc}).") from exc
    cursor = _Lines(path, text)
    channels = []
    while cursor.skip_blank():
        section = _section(cursor)
        if section["parameter"] != 1 and section["kind"] != "acceleration":
            continue  # V2 velocity and displacement sections
        channels.append(_channel(path, section))
    if not channels:
        raise ValueError(f"{path}: no acceleration channel in the file.")
    return channels


def _hypocentral(section):
    latitude, longitude, depth = section["epicentre"]
    epicentral = section["epicentral_distance"]
    station = section["station_coordinates"]
    if epicentral is None and None not in (latitude, longitude, *station):
        epicentral = gps2dist_azimuth(latitude, longitude, *station)[0] / 1000.0
    if epicentral is None or depth is None:
        return None
    return math.hypot(epicentral, depth)


def _channel(path, section):
    where = f"{path}: section at line {section['line']}"
    code = section["units_code"]
    if code not in UNITS_CODES:
        raise ValueError(
            f"{where}: units code {code} (integer header 3) is not an acceleration unit "
            f"(COSMOS Table 2: {sorted(UNITS_CODES)})."
        )
    if section["dt_ms"] is None or section["dt_ms"] <= 0:
        raise ValueError(f"{where}: no sampling interval (real header 62, ms).")
    check_finite(section["values"], f"{where}: data")
    start = None
    if None not in section["start"]:
        year, month, day, hour, minute = section["start"]
        start = UTCDateTime(year, month, day, hour, minute) + (section["second"] or 0.0)
    return {
        "values": section["values"],
        "units_code": code,
        "factor": UNITS_CODES[code],
        "dt": section["dt_ms"] / 1000.0,
        "azimuth": section["azimuth"],
        "station": station_label(section["network"], section["station_code"], "")
        if section["station_code"]
        else "",
        "start": start,
        "stage": section["stage"],
        "magnitude": section["magnitude"],
        "distance": _hypocentral(section),
        "line": section["line"],
    }


def _member(path, channel, factor):
    """A channel as a component of a record (see :func:`triplet_record`)."""
    azimuth = channel["azimuth"]
    scale = channel["factor"] if factor is None else factor
    if azimuth in _VERTICAL:
        kind, scale, name = "vertical", scale * _VERTICAL[azimuth], "UP"
    elif 1 <= azimuth <= 360:
        kind, name = "horizontal", f"{azimuth:03d}"
    else:
        raise ValueError(
            f"{path}: section at line {channel['line']}: channel azimuth code {azimuth} "
            "(integer header 54) is neither a compass azimuth (1-360) nor vertical "
            "(400-402); skgen cannot rotate it to E and N."
        )
    return {
        "kind": kind,
        "azimuth": float(azimuth % 360),
        "acceleration": channel["values"] * scale,
        "dt": channel["dt"],
        "station": channel["station"],
        "path": path,
        "component": name,
        "start": channel["start"],
        "event": {
            "magnitude": channel["magnitude"],
            "distance": channel["distance"],
            "cosmos_stage": f"V{channel['stage']}",
        },
    }


def cosmos_records(indexed, reading, factor, errors, tag):
    """Records of COSMOS files: channels grouped by station and start time.

    A record's three channels may sit in one file (``.V2c``) or in three.
    """
    groups = {}
    for index, path in indexed:
        try:
            members = [_member(path, c, factor) for c in read_cosmos(path)]
        except ValueError as exc:
            errors([path], exc)
            continue
        for member in members:
            key = (member["station"] or path.stem, str(member["start"]))
            groups.setdefault(key, []).append(dict(member, index=index))
    records = []
    for (base, _), members in groups.items():
        try:
            record = triplet_record(members, base, reading.fs, "COSMOS channels")
        except ValueError as exc:
            errors(sorted({m["path"] for m in members}), exc)
            continue
        records.append((min(m["index"] for m in members), record))
    return records
