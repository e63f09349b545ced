package io.cutover.shadow;

import java.time.Instant;
import java.util.List;

/**
 * The {@code shadow} object of {@code GET /admin/status}, and the body of {@code GET /admin/shadow}.
 * Counts are this replica's since it started; {@code recent} is the last differences of every
 * replica (the router's database), newest first.
 */
public record ShadowStatus(double sampleRate, long compared, long mismatched, double mismatchRate, long noise,
                           List<RouteFigures> routes, List<Recent> recent) {

    /** Comparisons of one route and tenant. */
    public record RouteFigures(String route, String tenant, long compared, long mismatched, double mismatchRate,
                               long noise) {
    }

    /** One shadow read whose answers differed, with the differing fields. */
    public record Recent(Instant at, String route, String tenant, String method, String path, String primary,
                         int primaryStatus, int secondaryStatus, List<Difference> differences) {
    }

    static double rate(long mismatched, long compared) {
        return compared == 0 ? 0 : Math.round(mismatched * 10_000.0 / compared) / 10_000.0;
    }
}
