"""A device whose one model family was timed unlike its other families: a training data rule.

HELP timed the same search spaces (NAS-Bench-201 cells, FBNet networks, ...) on every device
with one harness, so a device's efficiency on one family, over its peers' (the same source's
other devices of its kind), should be about what it is on its other families: a device is
faster or slower than its peers as a whole. HELP's Xeon Gold 6226 is not: on NAS-Bench-201 it
runs at its peers' efficiency (1.05x), on FBNet at 0.26x, an FBNet / NAS-Bench-201 ratio of
median latencies 4.7x its peers' (``reports/help_family_ratios.md``). One family was timed under
other settings (threads, load, a build) that no spec row shows, and those rows taught the trees
that Xeons run FBNet 3.5x slower than they do, which put the unseen Gold 6240 at 1.53x its
measured times (``reports/evaluation.md``, "Where (c)'s error lies"; with the rows out of
training, a two-fold probe took its (c) from 65.9% to 28.5%:
``reports/ablations/family_outlier_rule.txt``).

The rule is for sources whose devices all ran the same families with one harness
(``SAME_HARNESS_SOURCES``). It is not for ncnn's or MLPerf's tables: there each family is a few
networks timed at settings that differ by family, and the same test flags half their devices.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Sources whose every device timed the same families with one harness.
SAME_HARNESS_SOURCES = ("help",)
#: A device whose families' efficiencies over their peers' differ by more than this factor has
#: one family timed unlike the others.
MAX_FAMILY_SPREAD = 3.0
#: Peers (other devices of the same source, kind and family) needed to judge a family.
MIN_PEERS = 2

REASON = (f"{'/'.join(SAME_HARNESS_SOURCES)}: a device's family timed over {MAX_FAMILY_SPREAD:g}x "
          "off its other families, against its peers")


def family_departures(meta: pd.DataFrame, log_efficiency: np.ndarray) -> pd.DataFrame:
    """Per (source, device, family) of ``SAME_HARNESS_SOURCES``: the median log efficiency
    (log roofline / measured) minus the median of its peers' medians, where it has
    ``MIN_PEERS`` peers (columns source, hw_id, family, departure)."""
    rows = meta[["source", "hw_id", "kind", "family"]].assign(eff=np.asarray(log_efficiency, float))
    rows = rows[rows["source"].isin(SAME_HARNESS_SOURCES)]
    groups = rows.groupby(["source", "kind", "family", "hw_id"])["eff"].median().reset_index()
    out = []
    for _, same in groups.groupby(["source", "kind", "family"]):
        if len(same) <= MIN_PEERS:
            continue
        for i, hw in enumerate(same["hw_id"]):
            peers = same["eff"].drop(same.index[i])
            out.append((same["source"].iat[i], hw, same["family"].iat[i],
                        float(same["eff"].iat[i] - peers.median())))
    return pd.DataFrame(out, columns=["source", "hw_id", "family", "departure"])


def outlying_families(departures: pd.DataFrame) -> list[tuple[str, str, str]]:
    """The (source, device, family) groups the rule leaves out: while a device's departures
    spread over more than ``MAX_FAMILY_SPREAD``, the family departing furthest from the
    device's own departure. The spread alone does not say which end is wrong: with three or
    more families their median is the device's departure; with two, the one nearer its peers'
    efficiency is (the spec row, through the roofline, already says how fast the device is)."""
    limit = np.log(MAX_FAMILY_SPREAD)
    out = []
    for (source, hw), dev in departures.groupby(["source", "hw_id"]):
        dev = dev.set_index("family")["departure"]
        while len(dev) >= 2 and dev.max() - dev.min() > limit:
            centre = dev.median() if len(dev) > 2 else 0.0
            worst = (dev - centre).abs().idxmax()
            out.append((source, hw, worst))
            dev = dev.drop(worst)
    return out


def family_outlier_rows(meta: pd.DataFrame, log_efficiency: np.ndarray) -> np.ndarray:
    """Rows of the groups ``outlying_families`` leaves out (a boolean mask over ``meta``)."""
    flagged = outlying_families(family_departures(meta, log_efficiency))
    if not flagged:
        return np.zeros(len(meta), bool)
    keys = pd.MultiIndex.from_frame(meta[["source", "hw_id", "family"]].astype(str))
    return keys.isin(flagged)
