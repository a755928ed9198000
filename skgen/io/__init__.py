"""Readers and writers: real strong-motion records in, records out.

Everything here turns files and obspy streams into skgen's data convention,
``X`` of shape (n_records, 3, n_times) in m/s^2 with channels E, N, U, plus
one station label per record, and back. One module per format, each a
detect/read pair (PEER ``.AT2``, AFAD ``.mat``, COSMOS ``.V1``/``.V2``, ASDF,
SeisBench, everything obspy reads), and :func:`read_records`, which knows
only the pairs. Records are processed and cut to an event window as
``docs/data.rst`` describes. :func:`write_records` and :class:`RecordWriter`
write records to miniSEED, SAC, ASDF and SeisBench, all read back.
"""

from ._afad import AFAD_SAMPLING_RATE, read_afad_mat
from ._arrays import G, fix_length
from ._cosmos import read_cosmos
from ._files import SkippedFilesWarning
from ._peer import read_peer_at2
from ._read import read_records
from ._stream import from_stream, to_stream
from ._window import pick_onset
from ._write import RecordWriter, write_records

__all__ = [
    "AFAD_SAMPLING_RATE",
    "G",
    "RecordWriter",
    "SkippedFilesWarning",
    "fix_length",
    "from_stream",
    "pick_onset",
    "read_afad_mat",
    "read_cosmos",
    "read_peer_at2",
    "read_records",
    "to_stream",
    "write_records",
]
