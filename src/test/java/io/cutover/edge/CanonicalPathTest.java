package io.cutover.edge;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CanonicalPathTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = ' ', value = {
            "/api/devices /api/devices",
            "//api/devices /api/devices",
            "/api//devices /api/devices",
            "/api/./devices /api/devices",
            "/api/users/../devices /api/devices",
            "/api/%64evices /api/devices",
            "/api/%44evices /api/Devices",
            "/%61dmin/status /admin/status",
            "//admin/status /admin/status",
            "/api/../admin/status /admin/status",
            "/api/devices/../../admin/rollback /admin/rollback",
            "/api/devices/ /api/devices/",
            "/api/devices/d-1/.. /api/devices/",
            "/api/devices/. /api/devices/",
            "/api/devices// /api/devices/",
            "/ /",
            "// /",
            "/api/devices/a%7eb /api/devices/a~b",
            "/api/devices/%c3%a9 /api/devices/%C3%A9",
            "/api/devices/a%20b /api/devices/a%20b",
            "/api/devices/a%25b /api/devices/a%25b",
            "/api/devices/d-1/telemetry /api/devices/d-1/telemetry",
    })
    void shouldNormaliseToTheFormTheBackendsExecute(String raw, String canonical) {
        CanonicalPath.Result r = CanonicalPath.of(raw);
        assertThat(r.refusal()).isNull();
        assertThat(r.path()).isEqualTo(canonical);
        assertThat(CanonicalPath.of(r.path()).path()).as("canonical is a fixed point").isEqualTo(canonical);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "", "*", "api/devices", "http://evil.example/api/devices",
            "/api/devices%2f..%2fadmin", "/api/devices/%2F", "/api/%2e%2e/admin", "/api/%2E/devices",
            "/api/devices/a%5cb", "/api/devices\\..\\admin", "/api/devices/..;/..;/admin",
            "/api/devices;jsessionid=x", "/..", "/api/../..", "/api/devices/%00", "/api/devices/%0d%0a",
            "/api/devices/%zz", "/api/devices/%4", "/api/devices/%", "/api/devices/\u00ff", "/api/devices/\u0000",
            "/api/dev ices", "/api/devices/\r\nX-Injected: 1", "/api/devices/\u007f", "/api/devices/é",
    })
    void shouldRefuseWhatBackendsWouldReadDifferently(String raw) {
        CanonicalPath.Result r = CanonicalPath.of(raw);
        assertThat(r.path()).isNull();
        assertThat(r.refusal()).isNotBlank();
    }

    @ParameterizedTest
    @CsvSource({"/admin, /admin, true", "/admin/status, /admin, true", "/admin/, /admin, true", "/admin/x, /admin/, true",
            "/q/metrics, /q/, true", "/q, /q/, true", "/administrators/42, /admin, false", "/adminx, /admin, false",
            "/qux, /q, false", "/q-and-a, /q/, false", "/api/admin, /admin, false", "/anything, /, true"})
    void shouldTellWhetherAPathIsABaseOrBelowItByWholeSegments(String path, String base, boolean within) {
        assertThat(CanonicalPath.within(path, base)).isEqualTo(within);
    }
}
