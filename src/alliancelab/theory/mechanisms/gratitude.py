"""Gratitude (E8g): a patron's support is a costly signal that dispels the ruler's mistrust of it."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["trusted_mistrust"]


def trusted_mistrust(mistrust: ArrayLike, backing_share: ArrayLike) -> NDArray[np.float64]:
    """The mistrust a ruler brings to treaty talks with a patron, ``mistrust x (1 - backing_share)``.

    Paper E, H1: a country allies with the state that gave the greatest support to *the friendly elite*
    and so secured its rise to power; the alliance is made by the faction that rules, not by the state's
    history alone. A case's mistrust between a client and a patron (Y10) is the state's record: the
    predecessor's war with the patron, old interventions. Support is a costly signal of benign intent
    to the faction that receives it (Kydd 2005, *Trust and Mistrust in International Relations*, ch. 1
    and 7: only costly signals build trust; Larson 1997 on reassurance), so the ruler's mistrust of a
    patron falls with that patron's share of the support the ruler received (H1's ``share_p``): a ruler
    raised by one patron's money does not carry its predecessor's grievance against that patron into
    the talks; a patron that gave the ruler nothing meets the state's full mistrust. Both inputs in
    [0, 1]; the result is in [0, mistrust].

    Examples
    --------
    >>> import numpy as np
    >>> trusted_mistrust(0.8, np.array([0.0, 0.75, 1.0])).tolist()
    [0.8, 0.2, 0.0]
    """
    m = np.clip(np.asarray(mistrust, dtype=float), 0.0, 1.0)
    return m * (1.0 - np.clip(np.asarray(backing_share, dtype=float), 0.0, 1.0))
