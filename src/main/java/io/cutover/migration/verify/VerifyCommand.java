package io.cutover.migration.verify;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "verify", mixinStandardHelpOptions = true, description = "Compare V1 and V2 (not yet implemented).")
public final class VerifyCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        return 2;
    }
}
