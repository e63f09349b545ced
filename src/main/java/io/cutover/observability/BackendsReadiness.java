package io.cutover.observability;

import io.cutover.backend.BackendClients;
import io.cutover.resilience.BackendBreakers;
import io.cutover.routing.Backend;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready while V1 answers: every client can be served by V1 alone, so V2 being down never takes
 * the router out of its Service. Reports both breakers and V1's probe in the details.
 */
@Readiness
@ApplicationScoped
public class BackendsReadiness implements AsyncHealthCheck {

    private static final long PROBE_TIMEOUT_MS = 2000;

    private final BackendClients clients;
    private final BackendBreakers breakers;

    BackendsReadiness(BackendClients clients, BackendBreakers breakers) {
        this.clients = clients;
        this.breakers = breakers;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        BackendClients.Target v1 = clients.target(Backend.V1);
        RequestOptions probe = new RequestOptions().setMethod(HttpMethod.GET)
                .setHost(v1.host()).setPort(v1.port()).setURI(v1.basePath() + "/health")
                .setConnectTimeout(PROBE_TIMEOUT_MS).setIdleTimeout(PROBE_TIMEOUT_MS);
        return Uni.createFrom().completionStage(() -> clients.client(Backend.V1).request(probe)
                        .compose(r -> r.send()).compose(r -> r.body().map(b -> r.statusCode()))
                        .toCompletionStage())
                .map(status -> status < 500 ? null : "V1 /health answered " + status)
                .onFailure().recoverWithItem(e -> "V1 unreachable: " + e.getMessage())
                .map(problem -> {
                    HealthCheckResponseBuilder b = HealthCheckResponse.named("backends")
                            .status(problem == null)
                            .withData("v1.url", v1.host() + ":" + v1.port())
                            .withData("v1.breaker", breakers.state(Backend.V1).name().toLowerCase())
                            .withData("v2.breaker", breakers.state(Backend.V2).name().toLowerCase());
                    if (problem != null) {
                        b.withData("v1.problem", problem);
                    }
                    return b.build();
                });
    }
}
