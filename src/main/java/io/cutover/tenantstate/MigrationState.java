package io.cutover.tenantstate;

import io.cutover.routing.TenantPhases.Phase;
import java.util.ArrayList;
import java.util.List;

/**
 * Where one tenant is in its migration. Forward one step at a time; back to any earlier state (a
 * rollback of the tenant). A tenant without a recorded state is in {@link #DUAL_WRITE}.
 */
public enum MigrationState {
    /** Its writes are dual-written; the policy (weight, pins) routes it. */
    DUAL_WRITE("dual-write", Phase.FOLLOW_POLICY),
    /** Its V1 rows were copied to V2 (a backfill run completed, or an operator says so). */
    BACKFILLED("backfilled", Phase.FOLLOW_POLICY),
    /** Its last verify found V1 and V2 equal. */
    VERIFIED("verified", Phase.FOLLOW_POLICY),
    /** Reads on V2, writes on V1 (dual write keeps V2 up to date). */
    READS_ON_V2("reads-on-v2", Phase.READS_ON_V2),
    /** Reads and writes on V2 (dual write keeps V1 up to date, for a rollback). */
    WRITES_ON_V2("writes-on-v2", Phase.WRITES_ON_V2);

    private static final MigrationState[] ALL = values();

    private final String id;
    private final Phase phase;

    MigrationState(String id, Phase phase) {
        this.id = id;
        this.phase = phase;
    }

    /** The name in the API, the database and logs. */
    public String id() {
        return id;
    }

    public Phase phase() {
        return phase;
    }

    /** {@code null} when {@code value} is not a state's name. */
    public static MigrationState parse(String value) {
        for (MigrationState s : ALL) {
            if (s.id.equals(value)) {
                return s;
            }
        }
        return null;
    }

    public static List<String> ids() {
        return java.util.Arrays.stream(ALL).map(MigrationState::id).toList();
    }

    /** The states a tenant in this one may move to: the next, and every earlier one. */
    public List<MigrationState> allowedNext() {
        List<MigrationState> allowed = new ArrayList<>();
        if (ordinal() + 1 < ALL.length) {
            allowed.add(ALL[ordinal() + 1]);
        }
        for (int i = 0; i < ordinal(); i++) {
            allowed.add(ALL[i]);
        }
        return allowed;
    }

    public boolean isForward(MigrationState to) {
        return to.ordinal() > ordinal();
    }

    /** Whether a forward move into this state needs a last verify that found no difference. */
    public boolean needsEqualVerify() {
        return this == VERIFIED || this == READS_ON_V2 || this == WRITES_ON_V2;
    }
}
