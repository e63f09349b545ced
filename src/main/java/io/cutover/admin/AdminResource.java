package io.cutover.admin;

import io.quarkus.runtime.annotations.RegisterForReflection;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cutover.audit.Operator;
import io.cutover.dualwrite.OutboxStatusSource;
import io.cutover.notify.WebhookNotifier;
import io.cutover.policy.PolicySnapshot;
import io.cutover.progression.Progression;
import io.cutover.policy.PolicyStore;
import io.cutover.policy.RollbackThresholds;
import io.cutover.policy.TrafficPolicy;
import io.cutover.resilience.BackendBreakers;
import io.cutover.rollback.LatchState;
import io.cutover.rollback.RollbackGuard;
import io.cutover.rollback.Verdict;
import io.cutover.rollback.SharedLatch;
import io.cutover.routing.Backend;
import io.cutover.routing.TrafficRouter;
import io.cutover.tenantstate.TenantStates;
import io.cutover.shadow.ShadowReads;
import io.cutover.shadow.ShadowStatus;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The operators' API: what the router is doing, and the rollback latch by hand. Every path needs
 * {@code Authorization: Bearer <cutover.admin.token>} ({@link AdminAuthFilter}); every change is an
 * {@code AUDIT} log line naming the client's address (never the token).
 */
@Path("/admin")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "admin", description = "Status and the rollback latch")
@SecurityScheme(securitySchemeName = "adminToken", type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "cutover.admin.token (env CUTOVER_ADMIN_TOKEN)")
@SecurityRequirement(name = "adminToken")
@APIResponse(responseCode = "401", description = "No bearer token, or a wrong one")
@APIResponse(responseCode = "503", description = "Admin API disabled: cutover.admin.token is not set")
// Bodies bound by hand (a String body read by the ObjectMapper, a Response entity): Quarkus registers only
// the declared types of resource methods for the native image, so these are registered with what they hold.
@RegisterForReflection(targets = {AdminResource.RollbackRequest.class, AdminResource.RollbackResponse.class},
        registerFullHierarchy = true)
public class AdminResource {

    public static final int MAX_REASON = io.cutover.audit.Reason.MAX;

    /** The body of {@code POST} and {@code DELETE /admin/rollback}. */
    public record RollbackRequest(@Schema(description = "Why; written to the audit log and the latch", required = true,
            example = "V2 writes time out for tenant acme") String reason) {
    }

    /** The answer to a change: whether it changed anything, and the latch now. */
    public record RollbackResponse(boolean changed, AdminStatus.Latch latch) {
    }

    private final PolicyStore policies;
    private final SharedLatch latch;
    private final RollbackGuard guard;
    private final BackendBreakers breakers;
    private final OutboxStatusSource outbox;
    private final ObjectMapper json;
    private final MigrationRuns migrationRuns;
    private final TenantStates tenants;
    private final ShadowReads shadowReads;
    private final TrafficRouter router;
    private final Progression progression;
    private final WebhookNotifier notifier;

    AdminResource(PolicyStore policies, SharedLatch latch, RollbackGuard guard, BackendBreakers breakers,
                  OutboxStatusSource outbox, ObjectMapper json, MigrationRuns migrationRuns, TenantStates tenants,
                  ShadowReads shadowReads, TrafficRouter router, Progression progression, WebhookNotifier notifier) {
        this.router = router;
        this.progression = progression;
        this.notifier = notifier;
        this.tenants = tenants;
        this.shadowReads = shadowReads;
        this.migrationRuns = migrationRuns;
        this.json = json;
        this.policies = policies;
        this.latch = latch;
        this.guard = guard;
        this.breakers = breakers;
        this.outbox = outbox;
    }

    @GET
    @Path("/status")
    @Operation(summary = "Effective weight, policy, rollback latch, breakers, guard window, outbox, last migration runs,"
            + " tenants' migration states, shadow reads, progression, notifications")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = AdminStatus.class)))
    public Uni<AdminStatus> status() {
        PolicySnapshot snapshot = policies.current();
        TrafficPolicy p = snapshot.policy();
        LatchState l = latch.state();
        Map<String, String> pins = new TreeMap<>();
        p.pins().forEach((tenant, b) -> pins.put(tenant, b.id()));
        RollbackThresholds t = p.rollback();
        Map<String, Object> thresholds = new LinkedHashMap<>();
        thresholds.put("errorRate", t.errorRate());
        thresholds.put("minRequests", t.minRequests());
        thresholds.put("window", t.window().toMillis() + "ms");
        thresholds.put("p99LatencyMs", t.p99LatencyMs());
        thresholds.put("confidence", t.confidence());
        thresholds.put("promoteConfidence", t.promoteConfidence());
        thresholds.put("horizon", t.horizon().toMillis() + "ms");
        thresholds.put("latencyMargin", t.latencyMargin());
        Map<String, String> breakerStates = new LinkedHashMap<>();
        for (Backend b : Backend.values()) {
            breakerStates.put(b.id(), breakers.state(b).name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        // Everything but the migration runs is in memory; those are read from the router's database, without blocking.
        return Uni.combine().all().unis(migrationRuns.last(), shadowReads.status()).asTuple().map(both -> new AdminStatus(
                router.effectiveV2Weight(p),
                new AdminStatus.Policy(p.v2Weight(), p.stickyBy().toString(), pins, p.dualWrite(), p.shadowReads(),
                        thresholds, snapshot.version(), snapshot.source(), snapshot.loadedAt(),
                        new TreeMap<>(snapshot.refusedPins())),
                AdminStatus.Latch.of(l),
                breakerStates,
                guardStatus(),
                outbox.outboxStatus(),
                both.getItem1(),
                tenants.list(),
                both.getItem2(),
                progression.view(),
                notifier.status()));
    }

    private AdminStatus.Guard guardStatus() {
        Verdict v = guard.explainedVerdict();
        return new AdminStatus.Guard(v.kind().tag(), v.reason(), guard.recent(), v.figures(), guard.inconclusiveWindows(),
                guard.blindFor().toMillis() / 1000.0, guard.noDataFor().toMillis() / 1000.0);
    }

    @GET
    @Path("/shadow")
    @Operation(summary = "Shadow reads: sample rate, compared and mismatched reads per route and tenant, the last differences")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ShadowStatus.class)))
    public Uni<ShadowStatus> shadow() {
        return shadowReads.status();
    }

    @POST
    @Path("/rollback")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Latch the rollback by hand: all traffic to V1, on every replica, until released")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = RollbackRequest.class)))
    @APIResponse(responseCode = "200", description = "Latched (changed=false if it already was)",
            content = @Content(schema = @Schema(implementation = RollbackResponse.class)))
    @APIResponse(responseCode = "400", description = "No reason given")
    public Response latch(RollbackRequest body, @Context HttpServerRequest http) {
        String reason = reason(body);
        if (reason == null) {
            return badRequest("reason is required (expected: {\"reason\": \"...\"}, at most " + MAX_REASON + " characters)");
        }
        SharedLatch.Transition t = latch.latchByHand(reason, Operator.of(http), guard.figures());
        return Response.ok(new RollbackResponse(t.changed(), AdminStatus.Latch.of(t.state()))).build();
    }

    @DELETE
    @Path("/rollback")
    @Operation(summary = "Release the rollback latch: routing follows the traffic policy again")
    @RequestBody(required = false, content = @Content(schema = @Schema(implementation = RollbackRequest.class)))
    @APIResponse(responseCode = "200", description = "Released (changed=false if it was not latched)",
            content = @Content(schema = @Schema(implementation = RollbackResponse.class)))
    public Response release(String text, @Context HttpServerRequest http) {
        RollbackRequest body;
        try {
            body = text == null || text.isBlank() ? null : json.readValue(text, RollbackRequest.class);
        } catch (java.io.IOException e) {
            return badRequest("body is not JSON (expected: none, or {\"reason\": \"...\"})");
        }
        String reason = reason(body);
        if (body != null && body.reason() != null && reason == null) {
            return badRequest("reason must be at most " + MAX_REASON + " characters");
        }
        SharedLatch.Transition t = latch.release(reason == null ? "released by hand" : reason, Operator.of(http));
        return Response.ok(new RollbackResponse(t.changed(), AdminStatus.Latch.of(t.state()))).build();
    }

    /** The reason on one line (it goes to the audit log), or null when absent, blank or too long. */
    private static String reason(RollbackRequest body) {
        return body == null ? null : io.cutover.audit.Reason.oneLine(body.reason());
    }

    private static Response badRequest(String message) {
        return Response.status(400).type(MediaType.APPLICATION_JSON_TYPE).entity(Map.of("error", message)).build();
    }

    /**
     * The client's address.
     *
     * @deprecated use {@link Operator#address}: the other packages name their operator there, not
     *     through the admin API (admin reads the others, never the reverse)
     */
    @Deprecated(forRemoval = true)
    public static String client(HttpServerRequest http) {
        return Operator.address(http);
    }
}
