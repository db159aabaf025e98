"""Student t quantiles for fractional degrees of freedom (Welch-Satterthwaite), without
SciPy: the regularized incomplete beta by its continued fraction (Numerical Recipes,
betacf), the quantile by bisection. t_q975(9) = 2.2621571627982..., as R qt(0.975, 9)."""
import math
def betacf(a, b, x):
    qab, qap, qam = a + b, a + 1, a - 1
    c, d = 1.0, 1 - qab * x / qap
    d = 1 / d; h = d
    for m in range(1, 300):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1 + aa * d; c = 1 + aa / c; d = 1 / d; h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1 + aa * d; c = 1 + aa / c; d = 1 / d; de = d * c; h *= de
        if abs(de - 1) < 1e-15: break
    return h
def ibeta(a, b, x):
    if x <= 0: return 0.0
    if x >= 1: return 1.0
    lb = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log(1 - x)
    if x < (a + 1) / (a + b + 2): return math.exp(lb) * betacf(a, b, x) / a
    return 1 - math.exp(lb) * betacf(b, a, 1 - x) / b
def t_q975(df):
    """t with P(T > t) = 0.025 for df degrees of freedom (fractional allowed), by bisection."""
    lo, hi = 0.0, 1000.0
    for _ in range(200):
        t = (lo + hi) / 2
        upper = 0.5 * ibeta(df / 2, 0.5, df / (df + t * t))
        lo, hi = (t, hi) if upper > 0.025 else (lo, t)
    return (lo + hi) / 2
