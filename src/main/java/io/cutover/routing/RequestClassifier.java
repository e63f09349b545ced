package io.cutover.routing;

import io.cutover.policy.TrafficPolicy;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Sorts a request into its {@link RequestKind} by the route table of the policy in force, or, when the
 * policy declares none, by the table the router was started with ({@link RouteTable#REFERENCE}, or what the
 * deprecated {@code cutover.proxy.migrating-paths} stands for).
 */
public final class RequestClassifier {

    private static final Logger LOG = Logger.getLogger(RequestClassifier.class);

    private final RouteTable fallback;

    /** @param fallback the table in force while the policy declares no {@code routes} */
    public RequestClassifier(RouteTable fallback) {
        this.fallback = fallback;
    }

    /** @param migratingPaths the deprecated {@code cutover.proxy.migrating-paths} ({@link RouteTable#fromMigratingPaths}) */
    public RequestClassifier(List<String> migratingPaths) {
        this(RouteTable.fromMigratingPaths(migratingPaths));
        if (fallback != RouteTable.REFERENCE) {
            LOG.warnf("cutover.proxy.migrating-paths=%s is deprecated: declare the routes in the traffic policy"
                    + " (docs/policy.md, routes). While the policy declares none, these routes are in force: %s",
                    migratingPaths, fallback);
        }
    }

    /** The table {@code policy} classifies by. */
    public RouteTable table(TrafficPolicy policy) {
        RouteTable declared = policy.routes();
        return declared != null ? declared : fallback;
    }

    public RequestKind classify(TrafficPolicy policy, String method, String path) {
        return table(policy).classify(method, path);
    }

    /** By the table the router was started with. */
    public RequestKind classify(String method, String path) {
        return fallback.classify(method, path);
    }

    /** @see RouteTable#caseVariantOf */
    public String caseVariantOf(TrafficPolicy policy, String path) {
        return table(policy).caseVariantOf(path);
    }
}
