package io.cutover.admin;

import io.cutover.audit.Operator;
import io.cutover.edge.CanonicalPath;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/** Guards every {@code /admin} path with {@link AdminAuth}; refusals are JSON {@code {"error": ...}}. */
class AdminAuthFilter {

    private static final Logger LOG = Logger.getLogger(AdminAuthFilter.class);

    private final AdminAuth auth;

    AdminAuthFilter(AdminConfig config) {
        this.auth = new AdminAuth(config.token());
    }

    @ServerRequestFilter
    Response check(ContainerRequestContext request, HttpServerRequest http) {
        String path = request.getUriInfo().getPath();
        if (!CanonicalPath.within(path, "/admin")) {
            return null;
        }
        AdminAuth.Decision d = auth.check(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        if (d == AdminAuth.Decision.ALLOWED) {
            return null;
        }
        LOG.debugf("admin API refused %s %s from %s: %s", request.getMethod(), path, Operator.address(http), d);
        Response.ResponseBuilder r = Response.status(d.status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(Map.of("error", d.message));
        if (d.status == 401) {
            r.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"cutover-admin\"");
        }
        return r.build();
    }
}
