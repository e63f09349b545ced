package io.cutover.tenantstate;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.time.Instant;

/**
 * The step the {@code backfill} job takes itself: a complete {@code backfill --tenant T} recorded in the
 * router's database moves T from {@code dual-write} to {@code backfilled} (written and audited like a move
 * through the admin API, by {@code backfill}). A tenant already further on is left where it is.
 */
public final class BackfillStep {

    private BackfillStep() {
    }

    /** @return whether the tenant moved */
    public static Future<Boolean> completed(Pool routerDatabase, String tenant, String reason, Instant at) {
        return new TenantStateStore(routerDatabase).advance(tenant, MigrationState.DUAL_WRITE, MigrationState.BACKFILLED,
                reason, "backfill", at);
    }
}
