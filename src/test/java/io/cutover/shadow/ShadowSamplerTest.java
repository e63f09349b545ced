package io.cutover.shadow;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.routing.RequestKind.Route;
import org.junit.jupiter.api.Test;

class ShadowSamplerTest {

    private static final int KEYS = 10_000;

    private static long sampledOf(double rate) {
        long n = 0;
        for (int i = 0; i < KEYS; i++) {
            if (ShadowSampler.sampled(rate, "cutover", Route.DEVICES, "tenant-" + (i % 37), "/api/devices/d-" + i)) {
                n++;
            }
        }
        return n;
    }

    @Test
    void shouldSampleTheSameReadsEveryTime() {
        for (int i = 0; i < 1000; i++) {
            String uri = "/api/devices/d-" + i + "?limit=10";
            boolean first = ShadowSampler.sampled(0.3, "cutover", Route.DEVICES, "acme", uri);
            for (int k = 0; k < 3; k++) {
                assertThat(ShadowSampler.sampled(0.3, "cutover", Route.DEVICES, "acme", uri)).isEqualTo(first);
            }
        }
    }

    @Test
    void shouldSampleNoneAtZeroAllAtOneAndAboutTheRateBetween() {
        assertThat(sampledOf(0)).isZero();
        assertThat(sampledOf(1)).isEqualTo(KEYS);
        assertThat(sampledOf(0.5)).isBetween(4_800L, 5_200L);
        assertThat(sampledOf(0.1)).isBetween(900L, 1_100L);
    }

    @Test
    void shouldOnlyAddKeysWhenTheRateGrows() {
        for (int i = 0; i < 2000; i++) {
            String uri = "/api/devices/d-" + i;
            if (ShadowSampler.sampled(0.2, "cutover", Route.DEVICES, "acme", uri)) {
                assertThat(ShadowSampler.sampled(0.6, "cutover", Route.DEVICES, "acme", uri)).isTrue();
            }
        }
    }
}
