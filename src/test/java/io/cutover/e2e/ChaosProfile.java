package io.cutover.e2e;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * The test application of {@link ChaosIT}: it hosts the reference backends V1 and V2 over their
 * PostgreSQL databases (in the test profile's embedded PostgreSQL) on free ports. The routers under
 * test are the packaged jar, run as separate processes; this application's own router is not used
 * (its backend URLs point nowhere and it has no traffic policy: everything would go to V1).
 */
public class ChaosProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "cutover.demo.enabled", "true",
                "cutover.demo.v1-port", "0",
                "cutover.demo.v2-port", "0",
                "cutover.backends.v1.url", "http://127.0.0.1:9",
                "cutover.backends.v2.url", "http://127.0.0.1:9");
    }

    @Override
    public boolean disableGlobalTestResources() {
        return true;
    }
}
