package io.cutover;

import io.cutover.migration.MigrationCli;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Entry point of the packaged application. {@code backfill}, {@code verify} and {@code preflight} run
 * a migration job and exit without starting Quarkus (so a job never opens the router's HTTP port);
 * anything else serves as the router.
 */
@QuarkusMain
public final class Main {

    private Main() {
    }

    public static void main(String... args) {
        if (MigrationCli.isJob(args)) {
            System.exit(MigrationCli.run(args));
        }
        eventLoopsPerCore();
        Quarkus.run(args);
    }

    /**
     * One event loop per core the JVM may use (its container's CPU limit), where Vert.x would start two: a proxy's event
     * loops never block, so more of them than cores only adds thread switches (CPU per proxied read 1.86-1.97x nginx's
     * with one per core, 2.06-2.07x with two, on 2 cores, bench/RESULTS.md; peak reads the same). An explicit
     * {@code quarkus.vertx.event-loops-pool-size} (property or environment) wins.
     */
    static void eventLoopsPerCore() {
        if (System.getProperty("quarkus.vertx.event-loops-pool-size") == null
                && System.getenv("QUARKUS_VERTX_EVENT_LOOPS_POOL_SIZE") == null) {
            System.setProperty("quarkus.vertx.event-loops-pool-size", String.valueOf(Runtime.getRuntime().availableProcessors()));
        }
    }
}
