package io.cutover.rollback;

/**
 * Time-uniform confidence bounds for the rate of a stream of yes/no outcomes (a backend's failures,
 * or its calls slower than a latency threshold): the beta-binomial mixture martingale of Robbins
 * (1970, "Statistical methods related to the law of the iterated logarithm", Ann. Math. Statist.
 * 41(5)), as set out by Howard, Ramdas, McAuliffe and Sekhon (2021, "Time-uniform, nonparametric,
 * nonasymptotic confidence sequences", Ann. Statist. 49(2), section 3 and the conjugate-mixture
 * examples).
 * <p>
 * For a true rate {@code q}, after {@code n} outcomes of which {@code s} were yes and {@code f = n - s} no,
 * <pre>
 *   M(q) = mix(s, f) / (q^s (1 - q)^f),    mix(s, f) = sum_i w_i B(a_i + s, b_i + f) / B(a_i, b_i)
 * </pre>
 * is a nonnegative martingale with mean 1 (the likelihood of the data under a Beta prior over the rate,
 * divided by its likelihood under {@code q}), so by Ville's inequality
 * {@code P(M(q) >= 1/alpha at any time at all) <= alpha}. The set {@code {q : M(q) < 1/alpha}} therefore
 * holds the true rate at every look with probability at least {@code 1 - alpha}: the guard may look
 * every 250 ms for as long as it likes (optional stopping, optional continuation) without the
 * error rate growing with the looks. That set is an interval, as {@code s ln q + f ln(1-q)} is concave.
 * <p>
 * The prior is an even mixture of the uniform Beta(1, 1) (fast on overwhelming evidence: a dead
 * backend) and Beta(1, b) with its mean at the rate of interest (tight near the threshold: 0
 * failures in about {@code 3.5/threshold} requests shows a backend under it at 95 %). A mixture of
 * priors costs at most {@code ln 2} nats of evidence against the better of the two.
 */
final class ConfidenceSequence {

    private static final int MAX_NEWTON = 200;
    private static final double NEWTON_TOLERANCE = 1e-9;
    private static final double[] LANCZOS = {
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
        -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
        1.5056327351493116e-7};
    private static final double HALF_LN_2PI = 0.5 * Math.log(2 * Math.PI);

    /** The rate the second prior is centred on, as Beta(1, b) with mean {@code 1/(1+b)}. */
    private final double lnPriorBetaB;
    private final double priorB;

    /** @param rateOfInterest where the second prior is centred: the threshold the rate is compared to */
    ConfidenceSequence(double rateOfInterest) {
        double m = Math.min(0.5, Math.max(1e-6, rateOfInterest));
        this.priorB = (1 - m) / m;
        this.lnPriorBetaB = lnBeta(1, priorB);
    }

    /** ln mix(s, f): the log marginal likelihood of the data under the mixture prior. */
    double lnMixture(long s, long f) {
        double uniform = lnBeta(1 + s, 1 + f);                   // B(1,1) = 1
        double centred = lnBeta(1 + s, priorB + f) - lnPriorBetaB;
        double hi = Math.max(uniform, centred);
        return hi + Math.log(0.5 * Math.exp(uniform - hi) + 0.5 * Math.exp(centred - hi));
    }

    /**
     * The lowest rate not ruled out at confidence {@code 1 - e^-lnInvAlpha}: the true rate is at
     * least this at every look with that confidence. 0 without a yes.
     */
    double lower(long s, long f, double lnInvAlpha) {
        return s == 0 ? 0 : lowest(s, f, lnMixture(s, f) - lnInvAlpha);
    }

    /** The highest rate not ruled out at that confidence. 1 without a no. */
    double upper(long s, long f, double lnInvAlpha) {
        return f == 0 ? 1 : 1 - lowest(f, s, lnMixture(s, f) - lnInvAlpha);
    }

    /**
     * The lowest {@code q} with {@code s ln q + f ln(1-q) >= cut} ({@code s > 0}). In {@code u = ln q} the left side is
     * concave and increasing below the maximum likelihood, so Newton's method started left of the root climbs to it
     * from the left, never past it: the result is never above the exact bound (it errs on the side of the wider
     * interval, by under 1e-9 nats of evidence).
     */
    private static double lowest(long s, long f, double cut) {
        double top = Math.log((double) s / (s + f));
        if (logLikelihoodAt(s, f, top) <= cut) {
            return Math.exp(top);
        }
        double u = Math.min(top, cut / s) - 1;
        for (int i = 0; i < MAX_NEWTON; i++) {
            double g = logLikelihoodAt(s, f, u) - cut;
            if (g > -NEWTON_TOLERANCE) {
                break;
            }
            double eu = Math.exp(u);
            double slope = s - (f == 0 ? 0 : f * eu / (1 - eu));
            double next = u - g / slope;
            if (!(next > u) || next >= top) {
                break;
            }
            u = next;
        }
        return Math.exp(u);
    }

    /** {@code s u + f ln(1 - e^u)}: the log likelihood at {@code q = e^u}. */
    private static double logLikelihoodAt(long s, long f, double u) {
        return s * u + (f == 0 ? 0 : f * Math.log1p(-Math.exp(u)));
    }

    /** {@code ln(1/alpha)} for a confidence {@code 1 - alpha}. */
    static double lnInvAlpha(double confidence) {
        return -Math.log1p(-confidence);
    }

    /** The confidence {@code 1 - alpha} of a {@code ln(1/alpha)}. */
    static double confidenceOf(double lnInvAlpha) {
        return lnInvAlpha <= 0 ? 0 : -Math.expm1(-lnInvAlpha);
    }

    static double lnBeta(double a, double b) {
        return lnGamma(a) + lnGamma(b) - lnGamma(a + b);
    }

    /** ln Gamma(x) for x > 0 (Lanczos, g = 7: about 15 significant digits). */
    static double lnGamma(double x) {
        if (x < 0.5) {
            return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lnGamma(1 - x);
        }
        double z = x - 1;
        double sum = LANCZOS[0];
        for (int i = 1; i < LANCZOS.length; i++) {
            sum += LANCZOS[i] / (z + i);
        }
        double t = z + 7.5;
        return HALF_LN_2PI + (z + 0.5) * Math.log(t) - t + Math.log(sum);
    }
}
