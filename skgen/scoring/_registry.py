"""The one registry of metric names: which scorer class computes each.

:func:`compare`, ``skgen score --metric`` and user code resolve a metric
name here, as ``sklearn.metrics.get_scorer`` does. A scorer class joins with
one line, ``@register_scorer`` on its definition, which reads the class's
``_metrics`` (see docs/scoring.rst, "Writing a scorer").
"""

__all__ = ["get_scorer", "get_scorer_class", "get_scorer_names", "register_scorer"]

_SCORERS = {}


def register_scorer(cls):
    """Class decorator: register every name of ``cls._metrics`` for ``cls``.

    Parameters
    ----------
    cls : subclass of BaseStationScorer
        With a ``metric`` parameter and a non-empty ``_metrics`` tuple.

    Returns
    -------
    cls : the same class

    Raises
    ------
    TypeError
        ``cls`` declares no metric names.
    ValueError
        A name is already registered for another class (names must be
        unique, so that ``get_scorer(name)`` is unambiguous).
    """
    names = tuple(getattr(cls, "_metrics", ()))
    if not names:
        raise TypeError(f"{cls.__name__} must list its metric names in _metrics.")
    taken = [n for n in names if n in _SCORERS and _SCORERS[n] is not cls]
    if taken:
        raise ValueError(
            f"metric name(s) {', '.join(repr(n) for n in taken)} of {cls.__name__} are "
            f"already registered for {_SCORERS[taken[0]].__name__}."
        )
    for name in names:
        _SCORERS[name] = cls
    return cls


def get_scorer_names():
    """Every registered metric name, in registration order.

    Returns
    -------
    names : list of str

    Examples
    --------
    >>> from skgen.scoring import get_scorer_names
    >>> "alignment" in get_scorer_names() and "psa" in get_scorer_names()
    True
    """
    return list(_SCORERS)


def get_scorer_class(name):
    """The scorer class that computes metric ``name``.

    Parameters
    ----------
    name : str

    Returns
    -------
    cls : subclass of BaseStationScorer

    Raises
    ------
    ValueError
        ``name`` is not a registered metric; the message lists them.
    """
    if not isinstance(name, str) or name not in _SCORERS:
        raise ValueError(
            f"metric must be one of {', '.join(repr(n) for n in _SCORERS)} "
            f"(skgen.scoring.get_scorer_names()); got {name!r}."
        )
    return _SCORERS[name]


def get_scorer(name, **params):
    """A scorer computing metric ``name``, like ``sklearn.metrics.get_scorer``.

    Parameters
    ----------
    name : str
        A metric of :func:`get_scorer_names`, e.g. ``"alignment"`` (an
        :class:`HVSRAlignmentScorer`) or ``"psa"`` (an
        :class:`IntensityMeasureScorer`).
    **params
        Other parameters of the scorer, e.g. ``random_state=0``.

    Returns
    -------
    scorer : BaseStationScorer
        ``scorer(estimator, X, stations)`` is a float, greater is better.

    Raises
    ------
    ValueError
        ``name`` is not a registered metric (the message lists them), or a
        parameter is not one of the scorer's.

    Examples
    --------
    >>> from skgen.scoring import get_scorer
    >>> scorer = get_scorer("duration", random_state=0)
    >>> type(scorer).__name__, scorer.metric
    ('IntensityMeasureScorer', 'duration')
    """
    cls = get_scorer_class(name)
    scorer = cls(metric=name)
    unknown = [key for key in params if key not in scorer.get_params()]
    if unknown:
        raise ValueError(
            f"{cls.__name__} has no parameter(s) {', '.join(repr(k) for k in unknown)}; "
            f"its parameters: {', '.join(scorer.get_params())}."
        )
    return scorer.set_params(**params)
