package io.cutover.migration;

/** A job cannot go on; carries the exit code the command line ends with. */
public final class JobFailure extends RuntimeException {

    /** Differences found (verify). */
    public static final int DIFFERENT = 1;
    /** Bad usage, unreachable database, failed preflight or a failure mid-run. */
    public static final int UNUSABLE = 2;

    private final int exitCode;

    public JobFailure(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public JobFailure(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
