package io.cutover.dualwrite;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * The router with its outbox worker's timer out of the way (an idle poll of an hour): the test
 * runs the worker's rounds itself and counts them, with nothing else sending the outbox's rows.
 */
public class WorkerByHandProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("cutover.outbox.poll-interval", "1h");
    }
}
