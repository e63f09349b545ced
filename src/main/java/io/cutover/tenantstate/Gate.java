package io.cutover.tenantstate;

import java.util.List;

/**
 * The rules of a move, pure: forward one step at a time, back to any earlier state; a forward
 * move into {@code verified}, {@code reads-on-v2} or {@code writes-on-v2} needs a last verify that
 * found no difference, unless forced. {@code force} never lets a move skip a step.
 */
final class Gate {

    enum Kind { ALLOWED, FORCED, INVALID, REFUSED }

    record Verdict(Kind kind, String message) {
        boolean moves() {
            return kind == Kind.ALLOWED || kind == Kind.FORCED;
        }
    }

    private Gate() {
    }

    /** @param current {@code null} when the tenant has no recorded state (it is then in dual-write) */
    static Verdict check(String tenant, MigrationState current, MigrationState target, LastVerify last, boolean force) {
        MigrationState from = current == null ? MigrationState.DUAL_WRITE : current;
        boolean register = current == null && target == MigrationState.DUAL_WRITE;
        if (!register && !from.allowedNext().contains(target)) {
            return new Verdict(Kind.INVALID, "tenant " + tenant + " is in " + from.id() + (current == null ? " (no state recorded)" : "")
                    + ": cannot move to " + target.id() + " (allowed next states: " + ids(from.allowedNext())
                    + "; forward moves go one step at a time)");
        }
        if (!from.isForward(target) || !target.needsEqualVerify()) {
            return new Verdict(Kind.ALLOWED, null);
        }
        String problem = verifyProblem(tenant, last);
        if (problem == null) {
            return new Verdict(Kind.ALLOWED, null);
        }
        if (force) {
            return new Verdict(Kind.FORCED, problem);
        }
        return new Verdict(Kind.REFUSED, "tenant " + tenant + ": moving to " + target.id()
                + " needs a last verify without differences, but " + problem
                + ". Run backfill and verify --tenant " + tenant + " --record-url ... until it is equal,"
                + " or send \"force\": true to move anyway (recorded as forced)");
    }

    /** Why the last verify does not allow moving a tenant towards V2, or {@code null} when it does. */
    static String verifyProblem(String tenant, LastVerify last) {
        if (last == null) {
            return "no verify run is recorded for tenant " + tenant + " (nor one over every tenant)";
        }
        return last.equal() ? null : "the last " + last.describe();
    }

    /** Why a pin to V2 is refused: only when a last verify found differences (no verify at all does not refuse). */
    static String pinProblem(String tenant, LastVerify last) {
        return last == null || last.equal() ? null : "its last verify, " + last.describe();
    }

    private static String ids(List<MigrationState> states) {
        return String.join(", ", states.stream().map(MigrationState::id).toList());
    }
}
