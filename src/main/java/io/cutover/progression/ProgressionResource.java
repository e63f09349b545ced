package io.cutover.progression;

import io.cutover.audit.Operator;
import io.cutover.audit.Reason;
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
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The operators' hands on the progression: look, promote (pass a manual gate, or skip the rest of an
 * interval), pause, resume, restart after an abort. Bearer token as every {@code /admin} path; every
 * change is an {@code AUDIT} log line and a row of {@code cutover_progression_events} with who and why.
 */
@Path("/admin/progression")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "progression", description = "The steps of the V2 weight, gated by the rollback guard")
@SecurityRequirement(name = "adminToken")
@APIResponse(responseCode = "401", description = "No bearer token, or a wrong one")
public class ProgressionResource {

    /** The body of every change. */
    public record Request(@Schema(description = "Why; written to the audit log and the progression's events",
            required = true, example = "gate 50: dashboards reviewed with the V2 team") String reason) {
    }

    /** The answer to a change. */
    public record Answer(boolean changed, String refused, ProgressionView progression) {
    }

    /** {@code GET}: the progression with its last audited changes, newest first. */
    public record Detail(ProgressionView progression, List<ProgressionStore.Event> events) {
    }

    private final Progression progression;

    ProgressionResource(Progression progression) {
        this.progression = progression;
    }

    @GET
    @Operation(summary = "The steps, the current one (time left or why it holds), the last changes")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = Detail.class)))
    public Uni<Detail> get() {
        return uni(progression.events().map(events -> new Detail(progression.view(), events)));
    }

    @POST
    @Path("/{action: promote|pause|resume|restart}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "promote: the next step now (passes a manual gate, skips the rest of an interval);"
            + " pause / resume; restart: from the first step after an abort (the latch released)")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = Request.class)))
    @APIResponse(responseCode = "200", description = "Done", content = @Content(schema = @Schema(implementation = Answer.class)))
    @APIResponse(responseCode = "400", description = "No reason given")
    @APIResponse(responseCode = "409", description = "Not possible now (the message says why); nothing changed",
            content = @Content(schema = @Schema(implementation = Answer.class)))
    public Uni<Response> change(@PathParam("action") String action, Request body, @Context HttpServerRequest http) {
        String reason = body == null ? null : Reason.oneLine(body.reason());
        if (reason == null) {
            return Uni.createFrom().item(Response.status(400).type(MediaType.APPLICATION_JSON_TYPE).entity(Map.of("error",
                    "reason is required (expected: {\"reason\": \"...\"}, at most " + Reason.MAX + " characters)")).build());
        }
        String who = Operator.of(http);
        Future<Progression.Result> result = switch (action) {
            case "promote" -> progression.promote(who, reason);
            case "pause" -> progression.pause(who, reason);
            case "resume" -> progression.resume(who, reason);
            default -> progression.restart(who, reason);
        };
        return uni(result.map(r -> Response.status(r.changed() ? 200 : 409)
                .entity(new Answer(r.changed(), r.refused(), progression.view())).build()));
    }

    private static <T> Uni<T> uni(Future<T> f) {
        return Uni.createFrom().completionStage(f.toCompletionStage());
    }
}
