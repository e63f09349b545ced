package io.cutover.statuspage;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import io.cutover.testing.ProxyTestBase;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

/** What the status page's files are, over plain HTTP: a shell with no data, strict headers, never proxied. */
@QuarkusTest
class StatusPageTest extends ProxyTestBase {

    @Test
    void shouldServeThePageWithoutATokenButWithNoDataInIt() {
        Response page = given().redirects().follow(false).get("/admin/ui/");
        page.then().statusCode(200)
                .contentType(startsWith("text/html"))
                .header("Content-Security-Policy", equalTo(StatusPageRoute.CONTENT_SECURITY_POLICY))
                .header("Cache-Control", "no-store")
                .header("X-Content-Type-Options", "nosniff")
                .header("X-Frame-Options", "DENY")
                .body(containsString("id=\"token-form\""))
                .body(containsString("<script src=\"status.js\" defer></script>"));
        given().head("/admin/ui/").then().statusCode(200).contentType(startsWith("text/html"))
                .header("Content-Security-Policy", equalTo(StatusPageRoute.CONTENT_SECURITY_POLICY));
        // The shell is the same for everyone: nothing of the router's state or configuration is in it.
        String html = page.asString();
        assertThat(html).doesNotContain("test-admin-token").doesNotContain("policy.yaml").doesNotContain("armed");
        assertThat(html).as("no inline script (the CSP forbids it anyway)").doesNotContainPattern("<script>|<script [^>]*>[^<]+</script>");
        // ... and the data itself still needs the token.
        given().get("/admin/status").then().statusCode(401);
        // The router's own path: no backend saw any of it.
        assertThat(v1.received()).isEmpty();
        assertThat(v2.received()).isEmpty();
    }

    @Test
    void shouldRedirectToTheDirectorySoThatRelativeUrlsResolve() {
        given().redirects().follow(false).get("/admin/ui").then().statusCode(301).header("Location", "/admin/ui/");
    }

    @Test
    void shouldServeTheScriptAndStyleSheetWithTheirTypes() {
        given().get("/admin/ui/status.js").then().statusCode(200).contentType(startsWith("text/javascript"))
                .header("Content-Security-Policy", equalTo(StatusPageRoute.CONTENT_SECURITY_POLICY))
                .body(containsString("'../status'"))
                .body(not(containsString("innerHTML =")));
        given().get("/admin/ui/status.css").then().statusCode(200).contentType(startsWith("text/css"));
    }

    @Test
    void shouldAnswer404ForAnyOtherFileAnd405ForAnyOtherMethod() {
        given().get("/admin/ui/secrets.json").then().statusCode(404)
                .header("Content-Security-Policy", equalTo(StatusPageRoute.CONTENT_SECURITY_POLICY));
        given().get("/admin/ui/../status").then().statusCode(400);      // normalises to /admin/status: refused at the edge (issue 12)
        given().post("/admin/ui/").then().statusCode(405).header("Allow", "GET, HEAD");
        assertThat(v1.received()).isEmpty();
    }
}
