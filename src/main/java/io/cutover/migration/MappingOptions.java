package io.cutover.migration;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Which mapping a job uses: the built-in default or a file, with variables overridden, and the tenant the run is
 * about ({@code --tenant}).
 */
public final class MappingOptions {

    /** The mapping variable that {@code --tenant} sets (the default mapping's V2 tenant of every V1 row). */
    public static final String TENANT_VARIABLE = "tenant";

    @Option(names = "--mapping", paramLabel = "FILE",
            description = "mapping file (YAML); default: the built-in mapping of the reference schemas")
    Path file;

    @Option(names = "--var", paramLabel = "NAME=VALUE", description = "override a mapping variable, e.g. tenant=acme")
    Map<String, String> variables = new LinkedHashMap<>();

    @Option(names = "--tenant", paramLabel = "TENANT",
            description = "the tenant this run is about: sets the mapping variable 'tenant', keeps its own backfill"
                    + " checkpoints, is recorded with the run (--record-url) for the tenant's migration state; verify"
                    + " compares only that tenant's V2 rows (tables with a tenant_id column)")
    String tenant;

    /** The tenant of the run, or {@code null} for a run over everything. */
    public String tenant() {
        return tenant == null || tenant.isBlank() ? null : tenant.strip();
    }

    public Mapping load() {
        Map<String, String> vars = variables;
        String t = tenant();
        if (t != null) {
            String given = variables.get(TENANT_VARIABLE);
            if (given != null && !given.equals(t)) {
                throw new JobFailure(JobFailure.UNUSABLE, "--tenant " + t + " and --var " + TENANT_VARIABLE + "=" + given
                        + " disagree (expected: one of them, or the same tenant)");
            }
            vars = new LinkedHashMap<>(variables);
            vars.put(TENANT_VARIABLE, t);
        }
        Mapping m = file == null ? MappingLoader.defaultMapping(vars) : MappingLoader.load(file, vars);
        // checkpoints are kept per mapping name: each tenant's backfill resumes on its own
        return t == null ? m : new Mapping(m.name() + "@" + t, m.requiredSource(), m.requiredTarget(), m.setup(), m.tables());
    }
}
