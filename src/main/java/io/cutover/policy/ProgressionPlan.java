package io.cutover.policy;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The policy's {@code progression}: the V2 weights to move through, in increasing order, how long
 * each is held at least, and the weights that an operator must let traffic into.
 *
 * @param steps    V2 weights, strictly increasing, each 0 to 100 (at least one)
 * @param interval each step is held at least this long, and promoted only if every guard window of
 *                 the whole interval was healthy
 * @param gates    weights of {@code steps} whose promotion into them waits for an operator
 */
public record ProgressionPlan(List<Double> steps, Duration interval, Set<Double> gates) {

    public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(10);

    public ProgressionPlan {
        steps = List.copyOf(steps);
        gates = Set.copyOf(gates);
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("progression.steps: empty (expected: at least one weight)");
        }
    }

    public double first() {
        return steps.get(0);
    }

    public double last() {
        return steps.get(steps.size() - 1);
    }

    /** The highest step not above {@code weight}; {@code weight} itself when it is below every step (never up). */
    public double stepAtOrBelow(double weight) {
        double found = -1;
        for (double s : steps) {
            if (s <= weight) {
                found = s;
            }
        }
        return found < 0 ? weight : found;
    }

    /** The first step above {@code weight}, or -1 when there is none (the progression is done). */
    public double nextAbove(double weight) {
        for (double s : steps) {
            if (s > weight) {
                return s;
            }
        }
        return -1;
    }

    /** 1-based position of {@code weight} among the steps, 0 when it is not one of them. */
    public int position(double weight) {
        return steps.indexOf(weight) + 1;
    }

    public boolean gated(double weight) {
        return gates.contains(weight);
    }
}
