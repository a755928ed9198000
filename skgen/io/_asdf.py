"""ASDF files: gmprocess workspaces and the files skgen writes.

An ASDF file (HDF5, read with pyasdf, extra ``asdf``) holds waveforms under
tags, StationXML per station and events as QuakeML. Three kinds of tags are
read:

- ``generated``: records skgen wrote (:func:`skgen.io.write_records`), in
  m/s^2, with the generator's provenance and each record's scenario as
  auxiliary data;
- raw waveforms (gmprocess's ``<event>_unprocessed``, or any tag of a file
  that is not a gmprocess workspace), in counts, converted to m/s^2 with the
  file's StationXML (the overall sensitivity, as for miniSEED);
- gmprocess's processed waveforms (``<event>_<label>``, any label but
  ``unprocessed``; ``tag="processed"`` picks the one label there is), which
  gmprocess stores in cm/s^2.

Each record gets the magnitude of its event (the preferred one) and the
hypocentral distance from the event's preferred origin to the station's
coordinates in the StationXML: ``sqrt(R_epi^2 + depth^2)`` with ``R_epi``
the WGS84 distance (:func:`obspy.geodetics.gps2dist_azimuth`), as gmprocess
computes it.
"""

import json
import math
from pathlib import Path

from obspy import Inventory, Stream
from obspy.geodetics import gps2dist_azimuth

from ._optional import require
from ._stream import FILE_KEY, stream_records
from ._write import ASDF_PROVENANCE, ASDF_RECORDS, ASDF_TAG

_SUFFIXES = {".h5", ".hdf5", ".asdf"}
_RAW_LABEL = "unprocessed"
# gmprocess converts processed waveforms to cm/s^2.
_PROCESSED_UNITS = ("cm/s^2", 0.01)


def is_asdf(path):
    """ASDF files are told by their name: ``*.h5``, ``*.hdf5`` or ``*.asdf``."""
    return Path(path).suffix.lower() in _SUFFIXES


def _label(tag):
    """gmprocess tags are ``<event id>_<label>``; labels hold no underscore."""
    return tag.rsplit("_", 1)[-1]


def _choose_tags(path, tags, tag, gmprocess):
    """The waveform tags to read and their kind: generated, raw or processed."""
    if not tags:
        raise ValueError(f"{path}: the ASDF file holds no waveforms.")
    listing = ", ".join(sorted(tags))
    if tag is None:
        if ASDF_TAG in tags:
            chosen = [ASDF_TAG]
        elif gmprocess:
            chosen = [t for t in tags if _label(t) == _RAW_LABEL]
        else:
            chosen = list(tags) if len(tags) == 1 else []
        if not chosen:
            raise ValueError(
                f"{path}: which waveforms? the file has tags {listing}; give tag= "
                "(a tag, a gmprocess label, or 'processed')."
            )
    else:
        chosen = [t for t in tags if tag in (t, _label(t))]
        if not chosen and tag == "processed" and gmprocess:
            labels = sorted({_label(t) for t in tags} - {_RAW_LABEL})
            if len(labels) > 1:
                raise ValueError(
                    f"{path}: tag 'processed' is ambiguous, the workspace has processed "
                    f"labels {', '.join(labels)}; give one of them as tag=."
                )
            chosen = [t for t in tags if _label(t) in labels]
        if not chosen:
            raise ValueError(f"{path}: no waveforms tagged {tag!r}; the file has tags {listing}.")
    labels = {_label(t) for t in chosen}
    if chosen == [ASDF_TAG]:
        kind = "generated"
    elif gmprocess and _RAW_LABEL not in labels:
        kind = "processed"
    elif gmprocess and labels != {_RAW_LABEL}:
        raise ValueError(
            f"{path}: tag {tag!r} mixes raw and processed gmprocess waveforms "
            f"({', '.join(sorted(chosen))}); give one label."
        )
    else:
        kind = "raw"
    return sorted(chosen), kind


def _auxiliary_json(dataset, data_type):
    """JSON documents stored as bytes under one auxiliary data type, by path."""
    if data_type not in dataset.auxiliary_data.list():
        return {}
    group = dataset.auxiliary_data[data_type]
    return {name: json.loads(bytes(group[name].data[()])) for name in group.list()}


def _event_summary(event):
    """Id, magnitude and origin (lat, lon, depth km) of a QuakeML event."""
    origin = event.preferred_origin() or (event.origins[0] if event.origins else None)
    magnitude = event.preferred_magnitude() or (event.magnitudes[0] if event.magnitudes else None)
    return {
        "event_id": str(event.resource_id),
        "magnitude": None if magnitude is None else float(magnitude.mag),
        "origin": None
        if origin is None or origin.latitude is None
        else (origin.latitude, origin.longitude, (origin.depth or 0.0) / 1000.0),
    }


def _hypocentral_km(origin, coordinates):
    latitude, longitude, depth = origin
    epicentral = gps2dist_azimuth(latitude, longitude, *coordinates)[0] / 1000.0
    return math.hypot(epicentral, depth)


def _station_coordinates(inventory):
    """``NET.STA`` -> (latitude, longitude) of every station in the inventory."""
    return {
        f"{network.code}.{station.code}": (station.latitude, station.longitude)
        for network in inventory
        for station in network
    }


def _trace_event(trace, events):
    """Id of the event a trace belongs to: its ASDF link, else the file's only event."""
    linked = trace.stats.get("asdf", {}).get("event_ids") or []
    if linked:
        return str(linked[0])
    return next(iter(events)) if len(events) == 1 else None


def _load(path, tag):
    """Waveforms, StationXML, events and skgen's records of one ASDF file."""
    pyasdf = require("pyasdf")
    try:
        dataset = pyasdf.ASDFDataSet(str(path), mode="r")
    except Exception as exc:
        raise ValueError(f"{path}: cannot read as ASDF ({exc}).") from exc
    try:
        auxiliary = dataset.auxiliary_data.list()
        tags = {t for station in dataset.waveforms for t in station.get_waveform_tags()}
        gmprocess = "gmprocess_version" in auxiliary or any(_label(t) == _RAW_LABEL for t in tags)
        chosen, kind = _choose_tags(path, tags, tag, gmprocess)
        stream, inventory = Stream(), Inventory()
        for station in dataset.waveforms:
            held = [t for t in chosen if t in station.get_waveform_tags()]
            for t in held:
                stream += station[t]
            if held and "StationXML" in station.list():
                inventory += station.StationXML
        events = {}
        for event in dataset.events:
            summary = _event_summary(event)
            events[summary["event_id"]] = summary
        provenance = _auxiliary_json(dataset, ASDF_PROVENANCE).get("generator", {})
        written = {}
        for rows in _auxiliary_json(dataset, ASDF_RECORDS).values():
            written.update({(row["station"], row["start"]): row for row in rows})
    finally:
        del dataset
    return stream, inventory, kind, chosen, events, provenance, written


def _units(kind, factor, path, inventory):
    """(units in the file, factor to m/s^2, inventory to use) for one kind of tag."""
    if factor is not None:
        return "given by units=", factor, None
    if kind == "generated":
        return "m/s^2", 1.0, None
    if kind == "processed":
        return _PROCESSED_UNITS[0], _PROCESSED_UNITS[1], None
    if not len(inventory):
        raise ValueError(
            f"{path}: the raw waveforms have no StationXML to convert counts to m/s^2; "
            "give units= if they are already an acceleration."
        )
    return "counts (StationXML response)", 1.0, inventory


def _file_records(path, fs, factor, tag, on_error):
    stream, inventory, kind, chosen, events, provenance, written = _load(path, tag)
    units, factor, response = _units(kind, factor, path, inventory)
    coordinates = _station_coordinates(inventory)
    by_event = {}
    for trace in stream:
        trace.stats[FILE_KEY] = str(path)
        by_event.setdefault(_trace_event(trace, events), Stream()).append(trace)
    records = []
    for event_id, traces in by_event.items():
        event = events.get(event_id, {})
        for record in stream_records(traces, fs, response, factor, on_error):
            info = {
                "provenance": {"tag": ", ".join(chosen), "units": units, **provenance},
                "event_id": event_id,
                "magnitude": event.get("magnitude"),
                "distance": None,
            }
            network_station = ".".join(record.station.split(".")[:2])
            if event.get("origin") and network_station in coordinates:
                info["distance"] = _hypocentral_km(event["origin"], coordinates[network_station])
            row = written.get((record.station, str(record.start)))
            if row is not None:
                info.update(magnitude=row["magnitude"], distance=row["distance"])
            record.event = info
            records.append(record)
    # Written order for skgen's files (records follow each other in time);
    # by start then station for a workspace.
    records.sort(key=lambda record: (str(record.start), record.station))
    return records


def asdf_records(indexed, reading, factor, errors, tag):
    """``(index, record)`` pairs of ASDF files; a bad file is raised or skipped."""
    records = []
    for index, path in indexed:
        try:
            records += [(index, r) for r in _file_records(path, reading.fs, factor, tag, errors)]
        except ValueError as exc:
            errors([path], exc)
    return records
