package io.cutover.observability;

import io.cutover.routing.Backend;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.vertx.core.MultiMap;
import jakarta.inject.Singleton;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The router's own spans around the requests it sends (docs/operations.md, "Observability"). The server span of a
 * client request is Quarkus's (its Vert.x HTTP instrumentation, W3C trace context); every request the router sends
 * to a backend is a client span of its own, child of that server span (or, for an outbox send, of the server span
 * stored with the intent), and carries that span's {@code traceparent}: the client's is replaced. The backends'
 * HTTP clients are not instrumented by Vert.x ({@code TracingPolicy.IGNORE}): these spans are the only ones.
 *
 * <p>With the SDK off ({@code quarkus.otel.sdk.disabled}, the default without an OTLP endpoint) every method returns
 * at once without allocating, and the client's {@code traceparent} reaches the backend unchanged.
 */
@Singleton
public class Tracing {

    /** The W3C header the context travels in. */
    public static final String TRACEPARENT = "traceparent";
    /** Which backend a client span called. */
    public static final AttributeKey<String> BACKEND = AttributeKey.stringKey("cutover.backend");
    /** The outbox row (intent id) an outbox send delivers. */
    public static final AttributeKey<String> OUTBOX_ID = AttributeKey.stringKey("cutover.outbox.id");
    static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
    static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
    static final AttributeKey<String> URL_PATH = AttributeKey.stringKey("url.path");

    private static final TextMapSetter<MultiMap> SETTER = (headers, key, value) -> headers.set(key, value);
    private static final TextMapGetter<String> TRACEPARENT_ONLY = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String carrier) {
            return List.of(TRACEPARENT);
        }

        @Override
        public String get(String carrier, String key) {
            return TRACEPARENT.equals(key) ? carrier : null;
        }
    };

    private static final Logger LOG = Logger.getLogger(Tracing.class);

    private final boolean enabled;
    private final Tracer tracer;
    private final TextMapPropagator propagator;

    public Tracing(OpenTelemetry otel, @ConfigProperty(name = "quarkus.otel.sdk.disabled", defaultValue = "false") boolean disabled) {
        this.enabled = !disabled;
        this.tracer = otel.getTracer("io.cutover");
        this.propagator = otel.getPropagators().getTextMapPropagator();
        if (enabled) {
            LOG.infof("tracing on: spans of every proxied request, exported over OTLP (quarkus.otel.exporter.otlp.*)");
        }
    }

    public boolean enabled() {
        return enabled;
    }

    /** The trace context current on this thread (on a request's event loop: its server span), or {@code null} when off. */
    public Context current() {
        return enabled ? Context.current() : null;
    }

    /**
     * Starts a client span for one call to a backend and puts its {@code traceparent} into {@code headers} (replacing
     * any). Off, or without a parent, returns {@link Call#NONE} and leaves the headers alone.
     *
     * @param name what the call is: {@code "forward"}, {@code "fallback"}, {@code "shadow read"}, {@code "outbox send"}
     */
    public Call client(Context parent, String name, Backend backend, String method, String path, MultiMap headers) {
        if (!enabled || parent == null) {
            return Call.NONE;
        }
        Span span = tracer.spanBuilder(name + " " + backend.id()).setParent(parent).setSpanKind(SpanKind.CLIENT)
                .setAttribute(BACKEND, backend.id()).setAttribute(METHOD, method).setAttribute(URL_PATH, path)
                .startSpan();
        propagator.inject(parent.with(span), headers, SETTER);
        return new Call(span);
    }

    /** A span of the router's own work (a shadow read's comparison of answers) under {@code parent}. */
    public Call internal(Context parent, String name) {
        if (!enabled || parent == null) {
            return Call.NONE;
        }
        return new Call(tracer.spanBuilder(name).setParent(parent).setSpanKind(SpanKind.INTERNAL).startSpan());
    }

    /** The {@code traceparent} of the current span (to store with an outbox intent), or {@code null}. */
    public String traceparent() {
        if (!enabled) {
            return null;
        }
        SpanContext c = Span.current().getSpanContext();
        if (!c.isValid()) {
            return null;
        }
        return "00-" + c.getTraceId() + "-" + c.getSpanId() + "-" + c.getTraceFlags().asHex();
    }

    /** The context a stored {@code traceparent} names (the parent of an outbox send), or {@code null}. */
    public Context fromTraceparent(String traceparent) {
        if (!enabled || traceparent == null) {
            return null;
        }
        Context c = propagator.extract(Context.root(), traceparent, TRACEPARENT_ONLY);
        return Span.fromContext(c).getSpanContext().isValid() ? c : null;
    }

    /**
     * The trace id of a request: its server span's ({@code trace}, from {@link #current()}) when tracing is on, else the
     * one of the client's {@code traceparent} (so that the access log joins the client's trace either way), or
     * {@code null}.
     */
    public String traceId(Context trace, String clientTraceparent) {
        if (trace != null) {
            SpanContext c = Span.fromContext(trace).getSpanContext();
            if (c.isValid()) {
                return c.getTraceId();
            }
        }
        // version "00", '-', 32 hex digits of trace id, '-', ...
        if (clientTraceparent != null && clientTraceparent.length() >= 55 && clientTraceparent.charAt(2) == '-') {
            String id = clientTraceparent.substring(3, 35);
            return isHex(id) && !id.equals("00000000000000000000000000000000") ? id : null;
        }
        return null;
    }

    private static boolean isHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    /** One span in flight; {@link #NONE} when tracing is off. */
    public static final class Call {

        public static final Call NONE = new Call(null);

        private final Span span;

        private Call(Span span) {
            this.span = span;
        }

        /** The context of this span, to parent others on; {@code null} for {@link #NONE}. */
        public Context context() {
            return span == null ? null : Context.root().with(span);
        }

        public Call attribute(AttributeKey<String> key, String value) {
            if (span != null) {
                span.setAttribute(key, value);
            }
            return this;
        }

        /** The call ended with this HTTP status (0: no answer); a 5xx marks the span as an error. */
        public void end(int status, Throwable failure) {
            if (span == null) {
                return;
            }
            if (status > 0) {
                span.setAttribute(STATUS, (long) status);
            }
            if (failure != null) {
                span.recordException(failure);
                span.setStatus(StatusCode.ERROR, String.valueOf(failure.getMessage()));
            } else if (status >= 500) {
                span.setStatus(StatusCode.ERROR);
            }
            span.end();
        }

        public void end() {
            end(0, null);
        }
    }
}
