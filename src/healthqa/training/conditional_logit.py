"""A conditional logit (McFadden's choice model) fitted by maximum likelihood with L2: each
query chooses one of its candidate rows or "none of them", the row of features x with
probability exp(x.w + b) / (1 + sum over its rows of exp(x.w + b)), "none" with 1 / (1 + sum).

Hand-written because scikit-learn has no conditional logit (its LogisticRegression scores each
row alone, its multinomial one needs the same classes for every sample); the likelihood and its
gradient are a dozen numpy lines, minimised by scipy's L-BFGS. The scale of the penalty follows
scikit-learn's: C x the weighted sum of the queries' negative log-likelihoods + |w|^2 / 2, the
bias unpenalised, on features standardised as `LinearModel.fit` does.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from healthqa.answer.chooser_es import PageModel


def _negative_log_likelihood(
    theta: np.ndarray,
    x: np.ndarray,
    labels: np.ndarray,
    starts: np.ndarray,
    weight: np.ndarray,
    c: float,
) -> tuple[float, np.ndarray]:
    """The penalised objective and its gradient; the rows of a query are contiguous, its first
    at `starts`, `weight` per query. A query whose right page is not among its rows chose
    "none"; of several right rows, any one is right (the likelihood of their set)."""
    w, b = theta[:-1], theta[-1]
    logits = x @ w + b
    sizes = np.diff(np.append(starts, len(logits)))
    top = np.maximum(np.maximum.reduceat(logits, starts), 0.0)  # 0: the "none" alternative
    exp = np.exp(logits - np.repeat(top, sizes))
    total = np.exp(-top) + np.add.reduceat(exp, starts)
    right = np.add.reduceat(exp * labels, starts)
    answered = right > 0
    right = np.where(answered, right, 1.0)
    log_right = np.where(answered, np.log(right), -top)  # "none": logit 0
    loss = c * float(weight @ (np.log(total) - log_right)) + 0.5 * float(w @ w)
    # d loss / d logit: P(row) less its share of the right rows (0 off them)
    d = exp * (1.0 / np.repeat(total, sizes) - labels / np.repeat(right, sizes))
    d *= c * np.repeat(weight, sizes)
    return loss, np.concatenate([x.T @ d + w, [d.sum()]])


def fit_conditional_logit(
    features: np.ndarray,
    labels: np.ndarray,
    queries: np.ndarray,
    names: Sequence[str],
    sample_weight: np.ndarray | None = None,
    c: float = 1.0,
) -> PageModel:
    """A listwise `PageModel` of the rows of `queries` (each row's query number), labels 1 for
    a right row; `sample_weight` per row (one value for all the rows of a query)."""
    from scipy.optimize import minimize

    mean = features.mean(axis=0)
    scale = features.std(axis=0)
    scale[scale == 0] = 1.0  # as StandardScaler: a constant column stays 0
    x = (features - mean) / scale
    order = np.argsort(queries, kind="stable")  # each query's rows together
    ordered = queries[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    weight = np.ones(len(starts)) if sample_weight is None else sample_weight[order][starts]
    found = minimize(
        _negative_log_likelihood,
        np.zeros(x.shape[1] + 1),
        args=(x[order], labels[order].astype(np.float64), starts, weight, c),
        jac=True,
        method="L-BFGS-B",
        options={"maxiter": 2000},
    )
    return PageModel(
        features=tuple(names),
        mean=mean,
        scale=scale,
        coef=found.x[:-1],
        intercept=float(found.x[-1]),
        listwise=True,
    )
