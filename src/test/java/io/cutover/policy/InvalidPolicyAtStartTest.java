package io.cutover.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An invalid policy file at start stops the router with the parser's message; it never serves. */
@QuarkusMainTest
@TestProfile(InvalidPolicyAtStartTest.BadPolicy.class)
class InvalidPolicyAtStartTest {

    public static class BadPolicy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Path bad = Files.createTempFile("bad-policy", ".yaml");
                Files.writeString(bad, "v2Weight: 140\nstickyBy: cookie\n");
                return Map.of("cutover.traffic.file", bad.toString(),
                        "cutover.backends.v1.url", "http://127.0.0.1:1",
                        "cutover.backends.v2.url", "http://127.0.0.1:1");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Test
    @Launch(value = {}, exitCode = 1)
    void shouldRefuseToStartWithAnInvalidPolicyFileNamingTheFields(LaunchResult result) {
        assertThat(result.getErrorOutput() + result.getOutput())
                .contains("v2Weight: 140 (expected: a number from 0 to 100)")
                .contains("stickyBy: 'cookie' (expected: tenant, device, random or header:<Name>)");
    }
}
