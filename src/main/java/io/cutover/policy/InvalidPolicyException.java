package io.cutover.policy;

import java.util.List;

/** A traffic policy that was refused; the message names each bad field and what was expected. */
public final class InvalidPolicyException extends Exception {

    private final List<String> problems;

    InvalidPolicyException(String source, List<String> problems) {
        super("invalid traffic policy " + source + ": " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    /** One entry per problem, e.g. {@code v2Weight: 150 (expected: a number from 0 to 100)}. */
    public List<String> problems() {
        return problems;
    }
}
