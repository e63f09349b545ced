package io.cutover.migration;

import io.cutover.migration.backfill.BackfillCommand;
import io.cutover.migration.verify.VerifyCommand;
import java.io.PrintWriter;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The migration jobs' command line: {@code backfill}, {@code verify}, {@code preflight}. Exit codes:
 * 0 done / no difference, 1 differences found, 2 bad usage, unreachable database, failed preflight
 * or a failure mid-run.
 */
@Command(name = "cutover", mixinStandardHelpOptions = true,
        subcommands = {BackfillCommand.class, VerifyCommand.class, PreflightCommand.class},
        description = "Cutover's migration jobs (without a job name, the jar serves as the router).")
public final class MigrationCli {

    private static final Set<String> JOBS = Set.of("backfill", "verify", "preflight");

    private MigrationCli() {
    }

    public static boolean isJob(String... args) {
        return args.length > 0 && JOBS.contains(args[0]);
    }

    public static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new MigrationCli());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parsed) -> {
            if (e instanceof JobFailure failure) {
                err.println(commandLine.getCommandName() + ": " + failure.getMessage());
                err.flush();
                return failure.exitCode();
            }
            err.println(commandLine.getCommandName() + " failed: " + e);
            err.flush();
            return JobFailure.UNUSABLE;
        });
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }
}
