package io.cutover.tenantstate;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.cutover.audit.Operator;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The tenants' migration states in the admin API. Same bearer token as the rest of {@code /admin}
 * ({@code AdminAuthFilter}); every move is an {@code AUDIT} log line naming the client's address.
 */
@Path("/admin/tenants")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "tenants", description = "Per-tenant migration state: dual-write -> backfilled -> verified -> reads-on-v2 -> writes-on-v2")
@SecurityRequirement(name = "adminToken")
@APIResponse(responseCode = "401", description = "No bearer token, or a wrong one")
@APIResponse(responseCode = "503", description = "Admin API disabled (no cutover.admin.token), or no router database")
// Response entities: Quarkus registers only the declared types of resource methods for the native image.
@RegisterForReflection(targets = {TenantResource.MoveResponse.class, TenantView.class, TenantStates.Detail.class},
        registerFullHierarchy = true)
public class TenantResource {

    static final int MAX_REASON = io.cutover.audit.Reason.MAX;
    static final int MAX_TENANT = 200;
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

    /** The body of {@code POST /admin/tenants/{tenant}/state}. */
    public record StateRequest(
            @Schema(description = "The state to move to", required = true,
                    enumeration = {"dual-write", "backfilled", "verified", "reads-on-v2", "writes-on-v2"}) String state,
            @Schema(description = "Why; written to the history and the audit log", required = true,
                    example = "verify --tenant acme equal on 2026-11-22") String reason,
            @Schema(description = "Move even though the last verify found differences (or there is none); recorded as forced",
                    defaultValue = "false") Boolean force) {
    }

    /** The answer to an accepted move. */
    public record MoveResponse(boolean changed, boolean forced,
                               @Schema(description = "Why the gate would have refused it (forced moves only)") String overridden,
                               TenantView tenant) {
    }

    private final TenantStates states;

    TenantResource(TenantStates states) {
        this.states = states;
    }

    @GET
    @Operation(summary = "Every tenant with a recorded migration state, with the verify run that counts for it")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = TenantView.class, type =
            org.eclipse.microprofile.openapi.annotations.enums.SchemaType.ARRAY)))
    public Response list() {
        if (!states.available()) {
            return noDatabase();
        }
        return Response.ok(states.list()).build();
    }

    @GET
    @Path("/{tenant}")
    @Operation(summary = "One tenant's state (dual-write when none is recorded) and its moves, newest first")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = TenantStates.Detail.class)))
    public Uni<Response> get(@PathParam("tenant") String tenant) {
        if (!states.available()) {
            return Uni.createFrom().item(noDatabase());
        }
        String problem = tenantProblem(tenant);
        if (problem != null) {
            return Uni.createFrom().item(error(400, problem));
        }
        return uni(states.detail(tenant)).map(d -> Response.ok(d).build());
    }

    @POST
    @Path("/{tenant}/state")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Move a tenant: forward one step at a time, back to any earlier state. A forward move into"
            + " verified, reads-on-v2 or writes-on-v2 needs a last verify without differences, unless forced")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = StateRequest.class)))
    @APIResponse(responseCode = "200", description = "Moved",
            content = @Content(schema = @Schema(implementation = MoveResponse.class)))
    @APIResponse(responseCode = "400", description = "No or unknown state, no reason")
    @APIResponse(responseCode = "409", description = "Not an allowed next state, or refused by the verification gate;"
            + " the message names the allowed next states or the verify run")
    public Uni<Response> move(@PathParam("tenant") String tenant, StateRequest body, @Context HttpServerRequest http) {
        if (!states.available()) {
            return Uni.createFrom().item(noDatabase());
        }
        String problem = tenantProblem(tenant);
        if (problem == null && (body == null || body.state() == null)) {
            problem = "state is required (expected: {\"state\": \"" + String.join("|", MigrationState.ids())
                    + "\", \"reason\": \"...\", \"force\": false})";
        }
        MigrationState target = problem == null ? MigrationState.parse(body.state()) : null;
        if (problem == null && target == null) {
            problem = "state: '" + body.state() + "' (expected one of " + String.join(", ", MigrationState.ids()) + ")";
        }
        String reason = problem == null ? io.cutover.audit.Reason.oneLine(body.reason()) : null;
        if (problem == null && reason == null) {
            problem = "reason is required (expected: a non-empty string of at most " + MAX_REASON + " characters)";
        }
        if (problem != null) {
            return Uni.createFrom().item(error(400, problem));
        }
        boolean force = Boolean.TRUE.equals(body.force());
        return uni(states.move(tenant, target, reason, Operator.of(http), force)).map(m -> {
            if (m.moved()) {
                return Response.ok(new MoveResponse(true, m.forced(), m.forced() ? m.message() : null, m.tenant())).build();
            }
            Map<String, Object> refused = new LinkedHashMap<>();
            refused.put("error", m.message());
            refused.put("status", 409);
            refused.put("tenant", m.tenant());
            return Response.status(409).type(MediaType.APPLICATION_JSON_TYPE).entity(refused).build();
        });
    }

    private static String tenantProblem(String tenant) {
        if (tenant == null || tenant.isBlank() || tenant.length() > MAX_TENANT || CONTROL.matcher(tenant).find()) {
            return "tenant: expected a non-blank name of at most " + MAX_TENANT + " characters";
        }
        return null;
    }


    private static <T> Uni<T> uni(Future<T> future) {
        return Uni.createFrom().completionStage(future::toCompletionStage);
    }

    private static Response noDatabase() {
        return error(503, "no router database (quarkus.datasource.reactive.url): per-tenant migration state is not available");
    }

    private static Response error(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(Map.of("error", message, "status", status)).build();
    }
}
