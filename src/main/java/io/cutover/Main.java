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
        Quarkus.run(args);
    }
}
