package io.cutover.demo;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An in-memory backend serving the reference API ({@code reference/README.md}) as V1 or V2, for
 * demos and tests. Needs no CDI:
 *
 * <pre>{@code
 * DemoBackend v2 = DemoBackend.builder(Flavor.V2).build();
 * vertx.createHttpServer().requestHandler(v2.router(vertx)).listen(0);
 * }</pre>
 *
 * The read methods ({@link #writeCount()}, {@link #device(String)}, {@link #idempotencyKeys()})
 * let tests see what the backend received; they change nothing. Thread-safe.
 */
public final class DemoBackend {

    /** Tenant header V2 reads unless told otherwise: {@value}. */
    public static final String DEFAULT_TENANT_HEADER = "X-Tenant-Id";
    /** Header whose repeated value makes a write answer its first answer again: {@value}. */
    public static final String IDEMPOTENCY_KEY_HEADER = "Idempotency-Key";

    private final Flavor flavor;
    private final String tenantHeader;
    private final Clock clock;
    private final DemoStore store = new DemoStore();

    private DemoBackend(Builder builder) {
        this.flavor = builder.flavor;
        this.tenantHeader = builder.tenantHeader;
        this.clock = builder.clock;
    }

    public static Builder builder(Flavor flavor) {
        return new Builder(flavor);
    }

    /** Shorthand for a fresh backend's router when the caller needs no read access. */
    public static Router router(Vertx vertx, Flavor flavor, String tenantHeader) {
        return builder(flavor).tenantHeader(tenantHeader).build().router(vertx);
    }

    /**
     * A router serving this backend's data. Routers made from one backend share its data, so it
     * may also be mounted on several servers or event loops.
     */
    public Router router(Vertx vertx) {
        return new DemoRoutes(flavor, tenantHeader, clock, store).router(vertx);
    }

    public Flavor flavor() {
        return flavor;
    }

    public String tenantHeader() {
        return tenantHeader;
    }

    /**
     * Writes (POST, PUT, PATCH, DELETE) that succeeded and changed data. A write answered from
     * an earlier Idempotency-Key is not counted again.
     */
    public long writeCount() {
        return store.writeCount();
    }

    /** Every Idempotency-Key received on a write, in arrival order, repeats included. */
    public List<String> idempotencyKeys() {
        return store.idempotencyKeys();
    }

    /** A copy of the device as the API would return it, searched in all tenants (V2). */
    public Optional<JsonObject> device(String id) {
        return store.device(id);
    }

    /** A copy of one tenant's device; on V1 the tenant is ignored. */
    public Optional<JsonObject> device(String tenantId, String id) {
        return store.device(flavor == Flavor.V1 ? DemoStore.SINGLE_TENANT : tenantId, id);
    }

    @Override
    public String toString() {
        return "DemoBackend[" + flavor + (flavor == Flavor.V2 ? ", tenant header " + tenantHeader : "") + "]";
    }

    /** Builds a {@link DemoBackend}; every setting but the flavour has a default. */
    public static final class Builder {

        private final Flavor flavor;
        private String tenantHeader = DEFAULT_TENANT_HEADER;
        private Clock clock = Clock.systemUTC();

        private Builder(Flavor flavor) {
            this.flavor = Objects.requireNonNull(flavor, "flavor");
        }

        /** Header that carries the tenant on V2 (default {@value DemoBackend#DEFAULT_TENANT_HEADER}). */
        public Builder tenantHeader(String tenantHeader) {
            Objects.requireNonNull(tenantHeader, "tenantHeader");
            if (tenantHeader.isBlank()) {
                throw new IllegalArgumentException("tenantHeader: \"" + tenantHeader + "\" (expected: a header name)");
            }
            this.tenantHeader = tenantHeader;
            return this;
        }

        /** Clock for {@code createdAt} and {@code updatedAt} (default {@link Clock#systemUTC()}). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public DemoBackend build() {
            return new DemoBackend(this);
        }
    }
}
