"""Readers and writers: real strong-motion records in, records out.

Everything here turns files and obspy streams into skgen's data convention,
``X`` of shape (n_records, 3, n_times) in m/s^2 with channels E, N, U, plus
one station label per record, and back. One module per format, each a
detect/read pair (PEER ``.AT2``, AFAD ``.mat``, everything obspy reads), and
:func:`read_records`, which knows only the pairs. Records are processed and
cut to an event window as ``docs/data.rst`` describes.
"""

from ._afad import AFAD_SAMPLING_RATE, read_afad_mat
from ._arrays import G, fix_length
from ._files import SkippedFilesWarning
from ._peer import read_peer_at2
from ._read import read_records
from ._stream import from_stream, to_stream
from ._window import pick_onset

__all__ = [
    "AFAD_SAMPLING_RATE",
    "G",
    "SkippedFilesWarning",
    "fix_length",
    "from_stream",
    "pick_onset",
    "read_afad_mat",
    "read_peer_at2",
    "read_records",
    "to_stream",
]
