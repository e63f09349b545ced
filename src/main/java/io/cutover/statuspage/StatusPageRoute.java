package io.cutover.statuspage;

import io.cutover.edge.CanonicalPath;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Serves the status page at {@code /admin/ui/}: three static files (HTML, script, style sheet), with no data in them.
 * The figures come from {@code GET /admin/status}, which the page's script calls with the admin token as a bearer
 * header; so the page itself needs no token, and the admin API's filter is not involved here.
 *
 * <p>Every answer carries a strict Content-Security-Policy (scripts, styles and requests to this origin only, no
 * inline script, no framing, no form submission), {@code Cache-Control: no-store} and {@code nosniff}. Any other path
 * under {@code /admin/ui/} is 404 here, so nothing else under it is ever served without these headers.
 */
@ApplicationScoped
class StatusPageRoute {

    static final String BASE = "/admin/ui";

    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    void mount(@Observes Router router) {
        StatusPageAssets assets = StatusPageAssets.load();
        // In dev mode the files are read again on each request, so that an edit shows on reload.
        boolean dev = LaunchMode.current() == LaunchMode.DEVELOPMENT;
        // After the proxy's catch-all (which passes /admin on), before the REST resources.
        router.route(BASE + "*").order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT + 1)
                .handler(rc -> serve(rc, dev ? StatusPageAssets.load() : assets));
    }

    private static void serve(RoutingContext rc, StatusPageAssets assets) {
        String path = rc.request().path();
        if (!CanonicalPath.within(path, BASE)) {
            rc.next();                                  // /admin/uix...: not ours
            return;
        }
        HttpServerResponse response = rc.response();
        secure(response);
        HttpMethod method = rc.request().method();
        if (method != HttpMethod.GET && method != HttpMethod.HEAD) {
            response.setStatusCode(405).putHeader(HttpHeaders.ALLOW, "GET, HEAD").end();
            return;
        }
        if (path.equals(BASE)) {                        // relative URLs in the page resolve against /admin/ui/
            response.setStatusCode(301).putHeader(HttpHeaders.LOCATION, BASE + "/").end();
            return;
        }
        StatusPageAssets.Asset asset = assets.get(path.substring(BASE.length() + 1));
        if (asset == null) {
            response.setStatusCode(404).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
                    .end("not found: " + path);
            return;
        }
        response.putHeader(HttpHeaders.CONTENT_TYPE, asset.contentType()).end(asset.body());
    }

    private static void secure(HttpServerResponse response) {
        response.putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("X-Frame-Options", "DENY")
                .putHeader("Referrer-Policy", "no-referrer");
    }
}
