package io.cutover.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.policy.StickyBy;
import io.cutover.policy.TrafficPolicy;
import io.cutover.routing.RequestKind.Route;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class StickyBucketsTest {

    private static final int TENANTS = 10_000;
    private static final RequestKind READ = new RequestKind(Route.DEVICES, false, null);
    private final TrafficRouter router = new TrafficRouter(() -> false);

    static TrafficPolicy weight(double w) {
        return new TrafficPolicy(w, StickyBuckets.bucketsFor(w), StickyBy.TENANT, "cutover", Map.of(), true, 0,
                TrafficPolicy.DEFAULT.rollback());
    }

    @ParameterizedTest
    @ValueSource(doubles = {1, 10, 25, 30, 50, 75, 90, 12.5})
    void shouldSplitTenThousandTenantsWithinTwoPercentOfTheWeight(double w) {
        TrafficPolicy p = weight(w);
        long onV2 = 0;
        for (int i = 0; i < TENANTS; i++) {
            if (router.decide(p, READ, "tenant-" + i, h -> null).backend() == Backend.V2) {
                onV2++;
            }
        }
        assertThat(100.0 * onV2 / TENANTS).isBetween(w - 2, w + 2);
    }

    @Test
    void shouldAlwaysPutTheSameKeyInTheSameBucket() {
        for (int i = 0; i < 1000; i++) {
            String key = "tenant-" + i;
            int first = StickyBuckets.bucket("cutover", key);
            assertThat(StickyBuckets.bucket("cutover", new String(key.toCharArray()))).isEqualTo(first);
            assertThat(first).isBetween(0, StickyBuckets.BUCKETS - 1);
        }
    }

    /**
     * A change of hash would reshuffle every tenant of a running migration: its output is pinned.
     * The expected buckets were computed outside this code base (a Python transcription of the
     * documented FNV-1a 64 over UTF-16 code units, separator 0x1F, fmix64-style finish with the
     * constants 0xff51afd7ed558ccd and 0xc4ceb93fe53d1a85), not by {@link StickyBuckets}.
     */
    @ParameterizedTest(name = "{0}/{1} -> {2}")
    @CsvSource(delimiter = '|', emptyValue = "", value = {
            "cutover    | acme              | 8083",
            "cutover    | tenant-1          | 1822",
            "cutover    | tenant-2          | 6353",
            "cutover    | default_tenant_id | 3980",
            "cutover    | d-42              | 6717",
            "other-salt | acme              | 6509",
            "cutover    | ''                | 1699",
            "cutover    | tenant-\u00fc      | 3149",
            "cutover    | \ud83d\ude00      | 133"})
    void shouldKeepEveryKeyInItsPinnedBucketAcrossJvmsAndReleases(String salt, String key, int bucket) {
        assertThat(StickyBuckets.bucket(salt, key)).isEqualTo(bucket);
    }

    @Test
    void shouldMoveNoKeyFromV2BackToV1WhenTheWeightRises() {
        TrafficPolicy at30 = weight(30);
        TrafficPolicy at50 = weight(50);
        int moved = 0;
        for (int i = 0; i < TENANTS; i++) {
            String t = "tenant-" + i;
            Backend before = router.decide(at30, READ, t, h -> null).backend();
            Backend after = router.decide(at50, READ, t, h -> null).backend();
            assertThat(before == Backend.V2 && after == Backend.V1).as("tenant %s moved back to V1", t).isFalse();
            if (before == Backend.V1 && after == Backend.V2) {
                moved++;
            }
        }
        assertThat(100.0 * moved / TENANTS).isBetween(18.0, 22.0);
    }

    @Test
    void shouldRouteReadsAndWritesOfOneTenantToTheSameSide() {
        TrafficPolicy p = weight(50);
        for (int i = 0; i < 500; i++) {
            String t = "tenant-" + i;
            Backend read = router.decide(p, READ, t, h -> null).backend();
            Backend write = router.decide(p, new RequestKind(Route.DEVICES, true, null), t, h -> null).backend();
            Backend telemetry = router.decide(p, new RequestKind(Route.TELEMETRY, true, "d-1"), t, h -> null).backend();
            assertThat(write).isEqualTo(read);
            assertThat(telemetry).isEqualTo(read);
        }
    }
}
