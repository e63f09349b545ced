package io.cutover.history;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code GET /admin/history}: the curves of the status page, as this replica kept them (bearer token, as all of /admin). */
@Path("/admin/history")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "admin")
@SecurityRequirement(name = "adminToken")
@APIResponse(responseCode = "401", description = "No bearer token, or a wrong one")
@APIResponse(responseCode = "503", description = "Admin API disabled: cutover.admin.token is not set")
public class HistoryResource {

    private final History history;

    HistoryResource(History history) {
        this.history = history;
    }

    @GET
    @Operation(summary = "This replica's last hour (cutover.history.span) per interval: V1 and V2 request rate, error rate"
            + " and p99, effective V2 weight, outbox lag; the rollback latch's changes as marks")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = HistoryView.class)))
    public HistoryView history() {
        return history.view();
    }
}
