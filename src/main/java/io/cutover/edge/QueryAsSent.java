package io.cutover.edge;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.quarkus.runtime.annotations.StaticInitSafe;
import java.util.List;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Lets request targets through as clients send them: Quarkus's HTTP layer answers 400, before any
 * handler, to a target that {@link java.net.URI} does not parse, and that is every query string with
 * {@code |}, {@code {}}, {@code ^}, a backtick or {@code "}, which browsers send unencoded. The
 * router screens targets itself ({@link RequestScreen}: printable ASCII, no fragment, a canonical
 * path), so Quarkus's check ({@value #PROPERTY}) is turned off. It is read once, when Quarkus's HTTP
 * recorder is loaded; configuration is built before that, in the packaged jar as in tests, so this
 * factory sets it (unless the JVM was started with it).
 */
@StaticInitSafe
public final class QueryAsSent implements ConfigSourceFactory {

    /** The system property Quarkus's root handler reads. */
    static final String PROPERTY = "vertx.disableURIValidation";

    static {
        if (System.getProperty(PROPERTY) == null) {
            System.setProperty(PROPERTY, "true");
        }
    }

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        return List.of();
    }
}
