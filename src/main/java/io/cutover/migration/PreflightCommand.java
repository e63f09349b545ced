package io.cutover.migration;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "preflight", mixinStandardHelpOptions = true,
        description = "Check that every table and column the mapping needs exists in V1 and V2; writes nothing.%n"
                + "Exit 0 when all are there, 2 when one is missing or a database cannot be reached.")
public final class PreflightCommand implements Callable<Integer> {

    @Mixin
    DatabaseOptions db;
    @Mixin
    MappingOptions mapping;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Mapping m = mapping.load();
        try (Databases dbs = Databases.open(db.v1(), db.v2(), null, 2)) {
            PreflightReport report = Preflight.run(m, dbs.source(), dbs.target());
            PrintWriter out = spec.commandLine().getOut();
            if (report.ok()) {
                out.println("preflight ok: " + m.tables().size() + " tables, mapping '" + m.name() + "'");
                out.flush();
                return 0;
            }
            PrintWriter err = spec.commandLine().getErr();
            report.problems().forEach(p -> err.println("preflight: " + p));
            err.flush();
            return JobFailure.UNUSABLE;
        }
    }
}
